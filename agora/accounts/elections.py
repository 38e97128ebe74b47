"""Pre-election periods: which one, if any, runs on a given day (`ElectionPeriod`, declared by
the administrator in the admin). Days are the authority's local days, both ends included, so
a period "1 to 28 May" starts at midnight on the 1st and ends at midnight after the 28th."""

from datetime import datetime

from django.utils import timezone

from agora.accounts.models import ElectionPeriod


def period_at(moment: datetime | None = None) -> ElectionPeriod | None:
    """The pre-election period running at this moment (now by default), or None. One query,
    asked only when something is written (a post, an announcement), never on a read."""
    day = timezone.localdate(moment or timezone.now())
    return (
        ElectionPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on")
        .first()
    )
