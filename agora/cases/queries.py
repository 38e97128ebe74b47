"""Read paths the pages and the API share: the comments on a case, with the office each was
written for, and the cases a person follows."""

from django.db.models import Q, QuerySet

from agora.cases.models import Case, CaseFollow, OfficeComment
from agora.social.queries import comment_thread


def case_comments(viewer, case: Case) -> list:
    """The comments on a public case as social's thread, each marked with the office it was
    written for when an official spoke for one: two queries however many comments."""
    if not case.is_public:
        return []
    thread = comment_thread(viewer, case)
    offices = {
        row.comment_id: row.office
        for row in OfficeComment.objects.filter(case=case).select_related("office")
    }
    if offices:
        nodes = list(thread)
        while nodes:
            node = nodes.pop()
            node.comment.office = offices.get(node.comment.pk)
            nodes.extend(node.replies)
    return thread


def followed_cases(user) -> QuerySet:
    """The person's follows of cases they may still see (public cases, their own, and private
    ones of an office they work for now), unordered: callers page them by `-pk`, the latest
    followed first."""
    follows = CaseFollow.objects.filter(user=user).filter(
        Q(case__is_public=True)
        | Q(case__submitted_by=user)
        | Q(case__office__memberships__user=user)
    )
    return follows.select_related("case", "case__topic", "case__office")
