"""The reads of the process pages and the API, each in a fixed number of queries whatever
the number of processes and phases."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from agora.accounts.permissions import is_administrator
from agora.processes.models import Phase, Process, ProcessState
from agora.processes.permissions import offices_managed_by

STATES = tuple(ProcessState.values)


def visible_processes(viewer) -> QuerySet:
    """Published processes, and the drafts of the offices the viewer runs processes for."""
    if is_administrator(viewer):
        return Process.objects.all()
    offices = [office.pk for office in offices_managed_by(viewer)]
    if offices:
        return Process.objects.filter(Q(is_published=True) | Q(office_id__in=offices))
    return Process.objects.filter(is_published=True)


def in_state(processes: QuerySet, state: str | None, now=None) -> QuerySet:
    """Open now, upcoming or past by the dates of their phases (kept on the process)."""
    now = now or timezone.now()
    if state == ProcessState.OPEN:
        return processes.filter(starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
    if state == ProcessState.UPCOMING:
        return processes.filter(starts_at__gt=now)
    if state == ProcessState.PAST:
        return processes.filter(ends_at__lte=now)
    return processes


def for_list(processes: QuerySet) -> QuerySet:
    """What a row of the list shows: the office and the phases (to say which runs now)."""
    return processes.select_related("office").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "pk"))
    )


def for_page(processes: QuerySet) -> QuerySet:
    return for_list(processes).select_related("office__parent").prefetch_related("areas", "topics")
