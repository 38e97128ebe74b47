"""Who is responsible: one office per topic and area, found by walking up the areas and then
the topics."""

import pytest
from django.db import IntegrityError, transaction

from agora.directory.routing import find_responsibility, responsible_office
from tests.directory.factories import (
    AreaFactory,
    OfficeFactory,
    ResponsibilityFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    city = AreaFactory(kind="city", name_en="Townsville")
    district = AreaFactory(parent=city, name_en="District 4")
    street = AreaFactory(parent=district, kind="street", name_en="High Street")
    return city, district, street


def test_the_office_of_the_area_itself_wins_over_the_wider_area(places):
    city, district, street = places
    roads = TopicFactory(name_en="Roads")
    citywide, district_crew = OfficeFactory(), OfficeFactory()
    ResponsibilityFactory(topic=roads, area=city, office=citywide)
    ResponsibilityFactory(topic=roads, area=district, office=district_crew)

    assert responsible_office(roads, street) == district_crew
    assert responsible_office(roads, district) == district_crew
    assert responsible_office(roads, city) == citywide


def test_without_an_area_the_office_of_the_whole_city_answers(places):
    city, district, _street = places
    roads = TopicFactory()
    citywide = OfficeFactory()
    ResponsibilityFactory(topic=roads, area=city, office=citywide)
    ResponsibilityFactory(topic=roads, area=district)

    assert responsible_office(roads, None) == citywide


def test_a_topic_without_its_own_office_falls_back_to_its_parent_topic(places):
    city, _district, street = places
    roads = TopicFactory()
    kerbs = TopicFactory(parent=roads)
    department = OfficeFactory()
    ResponsibilityFactory(topic=roads, area=city, office=department)

    found = find_responsibility(kerbs, street)
    assert found.office == department
    assert found.topic == roads
    assert found.area == city


def test_nobody_responsible_is_none(places):
    _city, _district, street = places
    assert responsible_office(TopicFactory(), street) is None


def test_one_topic_in_one_area_has_exactly_one_office(places):
    city, _district, _street = places
    topic = TopicFactory()
    ResponsibilityFactory(topic=topic, area=city)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityFactory(topic=topic, area=city)


def test_a_change_to_the_directory_is_seen_by_the_next_lookup(places):
    city, _district, _street = places
    topic = TopicFactory()
    assert responsible_office(topic, city) is None
    office = OfficeFactory()
    ResponsibilityFactory(topic=topic, area=city, office=office)
    assert responsible_office(topic, city) == office
