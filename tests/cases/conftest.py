"""A small city for cases: three offices, two topics routed to two of them, and the people
who act on cases (residents, officials of each office, a moderator, an administrator)."""

from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from agora.accounts.models import Role
from agora.cases import services
from agora.cases.models import Case
from agora.directory import services as directory_services
from agora.directory.models import Area, Office, Topic
from tests.directory.factories import (
    AreaFactory,
    AuthorityFactory,
    OfficeFactory,
    ResponsibilityFactory,
    TopicFactory,
)
from tests.factories import UserFactory


@dataclass
class City:
    city: Area
    lighting: Topic
    potholes: Topic
    lighting_office: Office
    roads_office: Office
    parks_office: Office
    resident: object
    other_resident: object
    lighting_official: object
    roads_official: object
    parks_official: object
    moderator: object
    administrator: object

    def submit(self, *, by=None, topic=None, is_public=True, **fields) -> Case:
        values = {
            "kind": "report",
            "title": "Streetlight out on Calle Mayor",
            "description": "The lamp in front of number 12 has been dark for a week.",
        }
        values.update(fields)
        return services.submit_case(
            by=by or self.resident,
            topic=topic or self.lighting,
            is_public=is_public,
            **values,
        )


def build_city() -> City:
    authority = AuthorityFactory(name_en="City of Testville")
    city = AreaFactory(slug="testville", name_en="Testville", kind="city")
    lighting = TopicFactory(slug="street-lighting", name_en="Street lighting")
    potholes = TopicFactory(slug="potholes", name_en="Potholes")
    lighting_office = OfficeFactory(
        slug="public-lighting", name_en="Public Lighting Unit", authority=authority
    )
    roads_office = OfficeFactory(slug="roads", name_en="Roads Department", authority=authority)
    parks_office = OfficeFactory(slug="parks", name_en="Parks Department", authority=authority)
    ResponsibilityFactory(topic=lighting, area=city, office=lighting_office)
    ResponsibilityFactory(topic=potholes, area=city, office=roads_office)
    people = {
        "resident": UserFactory(display_name="Rosa Resident"),
        "other_resident": UserFactory(display_name="Otto Other"),
        "lighting_official": UserFactory(display_name="Lucia Lighting", role=Role.OFFICIAL),
        "roads_official": UserFactory(display_name="Ramon Roads", role=Role.OFFICIAL),
        "parks_official": UserFactory(display_name="Paula Parks", role=Role.OFFICIAL),
        "moderator": UserFactory(role=Role.MODERATOR),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
    }
    for staff in (people["moderator"], people["administrator"]):
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # they must sign in with TOTP
    directory_services.add_official(lighting_office, people["lighting_official"])
    directory_services.add_official(roads_office, people["roads_official"])
    directory_services.add_official(parks_office, people["parks_official"])
    return City(
        city=city,
        lighting=lighting,
        potholes=potholes,
        lighting_office=lighting_office,
        roads_office=roads_office,
        parks_office=parks_office,
        **people,
    )


@pytest.fixture
def town(db) -> City:
    return build_city()
