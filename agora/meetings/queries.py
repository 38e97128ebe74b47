"""The reads of the meeting pages, in a fixed number of queries."""

from django.shortcuts import get_object_or_404

from agora.meetings.models import Meeting, Registration

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
