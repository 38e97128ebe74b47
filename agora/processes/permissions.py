"""Small named predicates: who may see a process, create one, and change one. What a person
may do *in* a process (propose, support, answer) is `features.can_act`."""

from agora.accounts.permissions import is_administrator
from agora.directory.models import Office, OfficeMembership
from agora.directory.permissions import is_official_of
from agora.processes.models import Process


def can_create_process(user) -> bool:
    """Administrators, and officials of any office (for an office they act for)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_administrator(user) or OfficeMembership.objects.filter(user=user).exists()


def can_manage_process(user, process: Process) -> bool:
    """Administrators, and the officials of the responsible office or of an office it is part
    of (`directory.permissions.is_official_of`)."""
    return is_administrator(user) or is_official_of(user, process.office)


def can_view_process(user, process: Process) -> bool:
    """A published process is for everyone; a draft for those who may change it."""
    return process.is_published or can_manage_process(user, process)


def offices_managed_by(user) -> list[Office]:
    """The offices a person may run processes for: every office for an administrator; for an
    official, their offices and every office part of one (one query per office they belong
    to, a handful)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if is_administrator(user):
        return list(Office.objects.select_related("authority").order_by("name_en"))
    found: dict[int, Office] = {}
    for office in Office.objects.filter(memberships__user=user).order_by("name_en"):
        for part in office.subtree():
            found.setdefault(part.pk, part)
    return sorted(found.values(), key=lambda office: office.name_en)
