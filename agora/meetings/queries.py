"""The reads of the meeting pages, in a fixed number of queries."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from agora.meetings.models import Meeting, Registration
from agora.moderation.models import ModerationState
from agora.proposals.models import Proposal
from agora.results.models import Result

FEED_SIZE = 200  # the latest meetings a calendar feed holds


def meeting_for_page(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("process__office", "office").prefetch_related(
            "process__phases"
        ),
        pk=pk,
    )


def registration_of(meeting: Meeting, person) -> Registration | None:
    if not person.is_authenticated:
        return None
    return Registration.objects.filter(meeting=meeting, person=person).first()


def for_feed(meetings):
    return meetings.order_by("-starts_at")[:FEED_SIZE]


def discussable(meeting: Meeting):
    """The proposals and results a meeting may be linked to: those of its process, or of the
    office's processes for an office's meeting."""
    if meeting.process_id is not None:
        scope = Q(process_id=meeting.process_id)
    else:
        scope = Q(process__office_id=meeting.office_id)
    proposals = Proposal.objects.filter(scope, moderation_state=ModerationState.VISIBLE)
    results = Result.objects.filter(scope)
    return proposals, results


#: The most matches the staff's finder lists of each kind.
FOUND_SIZE = 10


def discussed(meeting: Meeting) -> dict[str, list]:
    """The proposals (those still visible) and results the meeting discussed: two queries."""
    return {
        "proposals": list(
            meeting.discussed_proposals.filter(moderation_state=ModerationState.VISIBLE).order_by(
                "title", "pk"
            )
        ),
        "results": list(meeting.discussed_results.order_by("title", "pk")),
    }


def find_discussable(meeting: Meeting, text: str) -> dict[str, list]:
    """Proposals and results the meeting may be linked to whose title holds `text`, not yet
    linked: at most FOUND_SIZE of each, two queries."""
    proposals, results = discussable(meeting)
    return {
        "proposals": list(
            proposals.filter(title__icontains=text)
            .exclude(meetings=meeting)
            .order_by("title", "pk")[:FOUND_SIZE]
        ),
        "results": list(
            results.filter(title__icontains=text)
            .exclude(meetings=meeting)
            .order_by("title", "pk")[:FOUND_SIZE]
        ),
    }
