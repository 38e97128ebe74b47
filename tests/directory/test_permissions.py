"""Who acts for an office, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.directory import services
from agora.directory.permissions import is_official_of, offices_of
from tests.directory.factories import OfficeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    department = OfficeFactory()
    unit = OfficeFactory(parent=department, authority=department.authority)
    return department, unit


def test_an_official_acts_for_their_office_and_a_department_head_for_its_units(offices):
    department, unit = offices
    head, unit_official = UserFactory(), UserFactory()
    services.add_official(department, head, role="head")
    services.add_official(unit, unit_official)

    assert is_official_of(head, department) and is_official_of(head, unit)
    assert is_official_of(unit_official, unit)
    assert not is_official_of(unit_official, department)
    assert list(offices_of(unit_official)) == [unit]


def test_anonymous_people_residents_and_deactivated_officials_act_for_no_office(offices):
    department, _unit = offices
    former = UserFactory()
    services.add_official(department, former)
    former.is_active = False
    former.save(update_fields=["is_active"])

    assert not is_official_of(AnonymousUser(), department)
    assert not is_official_of(UserFactory(), department)
    assert not is_official_of(former, department)
    assert not offices_of(AnonymousUser()).exists()


def test_adding_an_official_is_audited_once(offices):
    from agora.core.models import AuditEntry

    department, _unit = offices
    admin, person = UserFactory(role="administrator"), UserFactory()
    services.add_official(department, person, by=admin)
    services.add_official(department, person, by=admin)
    services.add_official(department, person, role="head", title="Head", by=admin)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["directory.official_added", "directory.official_changed"]
