"""A small directory for the tests of follows of offices, topics and areas and of
announcements: one city with a district, two offices with an official each, and two topics."""

from dataclasses import dataclass

from agora.accounts.models import Role
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
class Directory:
    city: Area
    district: Area
    lighting: Topic
    parks: Topic
    lighting_office: Office
    parks_office: Office
    lighting_official: object
    parks_official: object


def build_directory() -> Directory:
    authority = AuthorityFactory(name_en="City of Testville")
    city = AreaFactory(slug="testville", name_en="Testville", kind="city")
    district = AreaFactory(
        slug="old-town", name_en="Old Town", name_es="Casco Antiguo", kind="district", parent=city
    )
    lighting = TopicFactory(
        slug="street-lighting",
        name_en="Street lighting",
        name_es="Alumbrado público",
        keywords_en="streetlight; lamp post",
        keywords_es="farola",
    )
    parks = TopicFactory(slug="parks", name_en="Parks and gardens", keywords_en="playground")
    lighting_office = OfficeFactory(
        slug="public-lighting", name_en="Public Lighting Unit", authority=authority
    )
    parks_office = OfficeFactory(slug="parks-office", name_en="Parks Office", authority=authority)
    ResponsibilityFactory(topic=lighting, area=city, office=lighting_office)
    ResponsibilityFactory(topic=parks, area=district, office=parks_office)
    lighting_official = UserFactory(handle="lucia", display_name="Lucía Luz", role=Role.OFFICIAL)
    parks_official = UserFactory(handle="pablo", display_name="Pablo Parque", role=Role.OFFICIAL)
    directory_services.add_official(lighting_office, lighting_official)
    directory_services.add_official(parks_office, parks_official)
    return Directory(
        city=city,
        district=district,
        lighting=lighting,
        parks=parks,
        lighting_office=lighting_office,
        parks_office=parks_office,
        lighting_official=lighting_official,
        parks_official=parks_official,
    )
