"""The topics and places the case form offers: ordered once per build of the directory's index
and language, and still in step with the directory and the reader's language."""

import pytest
from django.utils import translation

from agora.cases.forms import CaseDetailsForm, topic_choices
from agora.directory.forms import area_choices
from agora.directory.index import get_index
from tests.directory.factories import AreaFactory, TopicFactory

pytestmark = pytest.mark.django_db


def read(choices) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in choices]


def test_the_lists_are_sorted_once_per_index_and_language(town):
    index = get_index()
    with translation.override("en"):
        english = read(topic_choices())
        assert read(topic_choices()) == english
    with translation.override("es"):
        spanish = read(topic_choices())
    assert english[0] == ("", "Choose a topic") and spanish[0] == ("", "Elige un tema")
    assert ("street-lighting", "Street lighting") in english
    assert ("cases.topic_choices", "en") in index.derived
    assert ("cases.topic_choices", "es") in index.derived
    assert [value for value, _label in area_choices()][:2] == ["", "testville"]


def test_a_new_topic_or_place_is_offered_and_accepted_at_once(town):
    topic_choices(), area_choices()  # kept for the index as it was
    TopicFactory(slug="graffiti", name_en="Graffiti")
    AreaFactory(slug="old-town", name_en="Old Town", kind="district", parent=town.city)
    assert ("graffiti", "Graffiti") in topic_choices()
    assert ("old-town", "\u2003Old Town") in area_choices()
    form = CaseDetailsForm(
        {
            "kind": "report",
            "title": "Paint on the wall",
            "description": "Since Monday.",
            "topic": "graffiti",
            "area": "old-town",
            "address": "",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topic"].slug == "graffiti"
    assert form.cleaned_data["area"].slug == "old-town"


def test_the_choices_a_form_changes_are_its_own(town):
    """A form that adds a place carried from "Who handles this?" changes its own list only."""
    AreaFactory(slug="calle-mayor", name_en="Calle Mayor", kind="street", parent=town.city)
    carried = CaseDetailsForm(initial={"area": "calle-mayor"})
    assert ("calle-mayor", "Calle Mayor") in carried.fields["area"].choices
    plain = CaseDetailsForm().fields["area"].choices
    assert "calle-mayor" not in [value for value, _label in plain]
    assert "calle-mayor" not in [value for value, _label in area_choices()]
