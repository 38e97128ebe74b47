"""Who follows a case and who said “me too” about it."""

from django.db import IntegrityError, transaction
from django.db.models import F

from agora.cases.models import Case, CaseFollow, CaseSupport
from agora.cases.permissions import can_follow_case, can_support_case
from agora.cases.services.errors import require


def add_follower(case: Case, person) -> bool:
    """Make the person follow the case; False when they already did. The verbs call it for
    the people a case concerns (its resident, its assignee, a commenter)."""
    try:
        with transaction.atomic():
            CaseFollow.objects.create(case=case, user=person)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def follow_case(case: Case, *, by) -> bool:
    """Follow a case to be told of everything that happens to it. True when it is new."""
    require(can_follow_case(by, case))
    return add_follower(case, by)


@transaction.atomic
def unfollow_case(case: Case, *, by) -> bool:
    deleted, _rows = CaseFollow.objects.filter(case=case, user=by).delete()
    return bool(deleted)


@transaction.atomic
def support_case(case: Case, *, by) -> bool:
    """Say “me too” about a public case. True when it counted, False when already said."""
    require(can_support_case(by, case))
    _support, created = CaseSupport.objects.get_or_create(case=case, user=by)
    if created:
        Case.objects.filter(pk=case.pk).update(support_count=F("support_count") + 1)
        case.refresh_from_db(fields=["support_count"])
    return created


@transaction.atomic
def withdraw_support(case: Case, *, by) -> bool:
    deleted, _rows = CaseSupport.objects.filter(case=case, user=by).delete()
    if deleted:
        Case.objects.filter(pk=case.pk).update(support_count=F("support_count") - 1)
        case.refresh_from_db(fields=["support_count"])
    return bool(deleted)
