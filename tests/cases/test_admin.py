"""Administrators set service levels and public holidays, see cases (read only) and turn
Open311 keys off."""

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from agora.accounts.models import Role
from agora.cases import services
from tests.directory.factories import AuthorityFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    administrator = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    TOTP.activate(administrator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(administrator)
    return client


def test_the_cases_admin_pages_open_and_cases_cannot_be_edited_there(admin_client, town):
    case = town.submit(title="Lamp in the admin")
    services.create_open311_key("City app")
    assert "Lamp in the admin" in admin_client.get("/admin/cases/case/").content.decode()
    assert "City app" in admin_client.get("/admin/cases/open311apikey/").content.decode()
    assert admin_client.get("/admin/cases/servicelevel/add/").status_code == 200
    assert admin_client.get("/admin/cases/case/add/").status_code == 403
    page = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'name="title"' not in page  # shown, not editable


def test_holidays_are_kept_in_the_admin(admin_client):
    city = AuthorityFactory(name_en="City of Holidays")
    services.add_public_holiday(city, day=date(2026, 12, 25), name_en="Christmas Day")
    html = admin_client.get("/admin/cases/publicholiday/").content.decode()
    assert "Christmas Day" in html and "City of Holidays" in html
    response = admin_client.post(
        "/admin/cases/publicholiday/add/",
        {"authority": city.pk, "date": "2026-12-26", "name_en": "Boxing Day", "name_es": ""},
    )
    assert response.status_code == 302
    assert city.holidays.filter(date=date(2026, 12, 26), name_en="Boxing Day").exists()
    response = admin_client.post(
        "/admin/cases/publicholiday/add/",
        {"authority": city.pk, "date": "2026-12-25", "name_en": "Twice", "name_es": ""},
    )
    assert response.status_code == 200  # the same day twice is refused on the form
    assert city.holidays.count() == 2
