"""Notifications keep no list of the apps that use them: a kind or a barrier registered by
another app works everywhere, the way a later app (proposals, moderation) will plug in."""

import pytest
from django.db.models import Q

from agora.notifications import registry
from agora.notifications import services as notification_services
from agora.notifications.models import Notification
from agora.notifications.queries import notifications_for
from agora.social import services
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal_answered():
    """A kind a later app might register, with a template of the suite's own."""
    name = registry.register_kind(
        "test_answered", label="A proposal you support was answered", template="test_kind.html"
    )
    yield name
    registry._kinds.pop(name)


@pytest.fixture(autouse=True)
def kind_template(settings, tmp_path):
    (tmp_path / "test_kind.html").write_text("{{ name }} answered “{{ subject }}”.")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]


def test_the_kinds_are_those_the_apps_registered_in_the_order_of_the_apps():
    names = registry.kind_names()
    assert names[:7] == [
        "new_follower",
        "connection_request",
        "reply",
        "mention",
        "like",
        "share",
        "urgent_announcement",
    ]
    assert names[7:11] == [
        "moderation_decision",
        "moderation_received",
        "moderation_misuse",
        "moderation_outcome",
    ]
    assert names[11:13] == ["case_update", "case_comment"]
    assert all(registry.kind(name).template.endswith(f"/{name}.html") for name in names)


def test_a_registered_kind_is_sent_shown_and_offered_in_the_preferences(proposal_answered):
    ada, office_voice = UserFactory(), UserFactory(display_name="Parks Office")
    told = notification_services.notify(
        ada, kind=proposal_answered, actor=office_voice, url="/proposals/1/"
    )
    assert told is True
    Notification.objects.filter(recipient=ada).update(subject="More benches")
    page = main_part(signed_in(ada).get("/notifications/"))
    assert "Parks Office answered “More benches”." in page
    settings_page = main_part(signed_in(ada).get("/notifications/settings/"))
    assert "A proposal you support was answered" in settings_page
    # The API's schema names the kinds as an enum, built when the URL map loads, after every
    # app's `ready` registered its kinds; one registered by a test later is not in it.


def test_a_kind_no_app_registers_any_more_still_reads_as_something_that_happened():
    ada = UserFactory()
    Notification.objects.create(recipient=ada, kind="gone_kind", url="/")
    assert "Something happened that concerns you." in main_part(
        signed_in(ada).get("/notifications/")
    )


def test_a_kind_is_registered_once_and_names_fit_the_column():
    with pytest.raises(ValueError, match="registered twice"):
        registry.register_kind("like", label="Another like", template="x.html")
    with pytest.raises(ValueError, match="24 characters"):
        registry.register_kind("k" * 25, label="Too long", template="x.html")


def test_a_barrier_another_app_registers_keeps_people_apart_both_when_sending_and_reading():
    """What moderation will do for suspended people: one more filter, no edit here."""
    ada, bob, cem = UserFactory(), UserFactory(handle="suspended_bob"), UserFactory()

    def suspended(person, field):
        return (
            Q(**{f"{field}__handle__startswith": "suspended_"})
            if field != "pk"
            else Q(handle__startswith="suspended_")
        )

    services.follow(ada, by=bob)  # told before the barrier exists
    registry.register_barrier(suspended)
    try:
        assert not notifications_for(ada).exists()  # bob's follow no longer shows
        services.follow(bob, by=cem)  # bob is not told
        assert not Notification.objects.filter(recipient=bob).exists()
        services.follow(ada, by=cem)  # others still are
        assert notifications_for(ada).count() == 1
    finally:
        registry._barriers.remove(suspended)
    assert notifications_for(ada).count() == 2


def test_the_api_offers_every_kind_the_apps_registered():
    ada = UserFactory()
    answer = signed_in(ada).get("/api/v1/notifications/preferences").json()
    assert [entry["kind"] for entry in answer] == registry.kind_names()
