"""A small town for processes: two districts, an office with a unit inside it (the unit is
responsible for the process), another office, and one person for each role of the
permissions matrix."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from agora.accounts.models import Role, Verification
from agora.directory import services as directory_services
from agora.processes import services
from agora.processes.models import Participation, Process
from tests.directory.factories import AreaFactory, AuthorityFactory, OfficeFactory, TopicFactory
from tests.factories import UserFactory


@dataclass
class Town:
    city: object
    north: object
    south: object
    north_quarter: object
    cycling: object
    mobility: object
    cycling_unit: object
    parks: object
    people: dict

    def __getattr__(self, name):
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None

    def phases(self, *spans, base: datetime | None = None) -> list[services.PhaseInput]:
        """Phases from (kind, start day, end day or None) relative to `base` (now)."""
        base = base or timezone.now()
        return [
            services.PhaseInput(
                kind=kind,
                starts_at=base + timedelta(days=start),
                ends_at=None if end is None else base + timedelta(days=end),
            )
            for kind, start, end in spans
        ]

    def process(self, *spans, by=None, base=None, **fields) -> Process:
        values = {
            "title_en": "Cycle lanes for the north",
            "title_es": "Carriles bici para el norte",
            "description_en": "Where should the **new lanes** go?",
            "office": self.cycling_unit,
            "participation": Participation.AREAS,
            "is_published": True,
            "areas": [self.north],
            "topics": [self.cycling],
        }
        values.update(fields)
        return services.create_process(
            by=by or self.administrator, phases=self.phases(*spans, base=base), **values
        )


def build_town() -> Town:
    authority = AuthorityFactory(name_en="Testville Council")
    city = AreaFactory(slug="testville", name_en="Testville", kind="city")
    north = AreaFactory(
        slug="north", name_en="North", name_es="Norte", parent=city, aliases="District 2"
    )
    south = AreaFactory(slug="south", name_en="South", name_es="Sur", parent=city)
    north_quarter = AreaFactory(
        slug="pines", name_en="The Pines", name_es="Los Pinos", kind="neighbourhood", parent=north
    )
    cycling = TopicFactory(slug="cycling", name_en="Cycling")
    mobility = OfficeFactory(slug="mobility", name_en="Mobility", authority=authority)
    cycling_unit = OfficeFactory(
        slug="cycling-unit", name_en="Cycling Unit", authority=authority, parent=mobility
    )
    parks = OfficeFactory(slug="parks", name_en="Parks", authority=authority)
    verified = {"verification": Verification.VERIFIED_RESIDENT}
    people = {
        "anonymous": AnonymousUser(),
        "signed_in": UserFactory(display_name="Sara Signed", home_area="North"),
        "verified": UserFactory(display_name="Vera Verified", home_area="north", **verified),
        "outsider": UserFactory(display_name="Omar Outside", home_area="South", **verified),
        "official": UserFactory(display_name="Olga Official", role=Role.OFFICIAL),
        "other_official": UserFactory(display_name="Pablo Parks", role=Role.OFFICIAL),
        "moderator": UserFactory(display_name="Mona Moderator", role=Role.MODERATOR),
        "administrator": UserFactory(display_name="Adam Admin", role=Role.ADMINISTRATOR),
    }
    for staff in (people["moderator"], people["administrator"]):
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    directory_services.add_official(cycling_unit, people["official"])
    directory_services.add_official(parks, people["other_official"])
    return Town(
        city=city,
        north=north,
        south=south,
        north_quarter=north_quarter,
        cycling=cycling,
        mobility=mobility,
        cycling_unit=cycling_unit,
        parks=parks,
        people=people,
    )


@pytest.fixture
def town(db) -> Town:
    return build_town()
