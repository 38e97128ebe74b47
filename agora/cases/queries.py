"""Read paths the pages and the API share: the comments on a case, with the office each was
written for, and the cases a person follows."""

from django.db import models
from django.db.models import Count, F, Q, QuerySet, When
from django.utils import timezone

from agora.cases.models import Case, CaseFollow, OfficeComment
from agora.cases.models.lifecycle import OPEN_STATES, State
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


def overdue(now=None) -> Q:
    """The cases past a deadline, as `Case.is_overdue` says: not finished, and not
    acknowledged in time or not answered in time."""
    now = now or timezone.now()
    return Q(state__in=OPEN_STATES) & (
        Q(state=State.NEW, acknowledge_due_at__lt=now)
        | Q(answered_at__isnull=True, answer_due_at__lt=now)
    )


def open_work(office_ids: list[int]) -> dict:
    """An inbox's open cases by state, in the lifecycle's order, and how many are overdue: one
    query over the open cases only (an office's backlog, not its history)."""
    counts = Case.objects.filter(office__in=office_ids, state__in=OPEN_STATES).aggregate(
        overdue=Count("pk", filter=overdue()),
        **{state: Count("pk", filter=Q(state=state)) for state in OPEN_STATES},
    )
    return {
        "states": [
            (state, label, counts[state])
            for state, label in State.choices
            if state in OPEN_STATES and counts[state]
        ],
        "overdue": counts["overdue"],
    }


def next_deadline():
    """The case's next deadline, as an expression: acknowledging while it is new, then
    answering until it is answered; null once neither is pending. Pairs with `Case.is_overdue`
    (the case is overdue when this is past)."""
    return models.Case(
        When(state=State.NEW, then=F("acknowledge_due_at")),
        When(state__in=OPEN_STATES, answered_at__isnull=True, then=F("answer_due_at")),
        default=None,
    )
