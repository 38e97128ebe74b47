"""Nothing a person can send answers 500: every page of Agora's own and the Open311
endpoints (not the JSON API, which tests/api/test_fuzz.py covers, nor the admin), reached with
real objects in their addresses, gets the same junk in its query string and in a form, signed
in as an official who may act on cases. Each answer must be below 500; an exception inside a
view fails the test with its traceback."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agora.accounts import services as account_services
from agora.cases import services as case_services
from agora.conversations import services as conversation_services
from agora.notifications.models import Notification
from agora.social import services
from agora.social.models import ConnectionRequest
from tests.cases.conftest import build_city

pytestmark = pytest.mark.django_db

JUNK = ["\x00", "9" * 40, "-1", "²", "é<script>alert(1)</script>'\"", ""]
FIELDS = [
    *("q", "before", "filter", "state", "topic", "age", "area", "kind", "page", "next"),
    *("text", "language", "body", "title", "description", "visibility", "reply_policy"),
    *("assignee", "office", "parent", "code", "answer", "vote", "question", "reason"),
    *("display_name", "bio", "name", "email", "channel", "address", "photo_alt", "post_as"),
    *("undo", "action", "moderation", "seeds", "delivery", "profile_visibility", "images"),
    *("service_code", "service_request_id", "start_date", "end_date", "lat", "long"),
    *("jurisdiction_id", "api_key", "media_url", "first_name", "address_string", "device_id"),
]
APPS = ("agora.core", "agora.accounts", "agora.social", "agora.notifications")
APPS += ("agora.directory", "agora.cases", "agora.conversations")


def our_patterns(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from our_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            module = pattern.callback.__module__
            if module.startswith(APPS):
                yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


PATTERNS = dict(our_patterns())


@pytest.fixture
def world():
    """Real things for every address: the official's own post and comment (so editing and
    deleting are theirs to try), a resident's case with the official's comment on it, a
    token, a conversation, a connection request, a notification and an Open311 key."""
    town = build_city()
    official, resident = town.lighting_official, town.resident
    post = services.create_post(by=official, body="Hello #parks")
    comment = services.comment_on_post(post, by=official, body="Hi")
    case = case_services.submit_case(
        by=resident,
        kind="problem",
        title="Dark street",
        description="No light",
        topic=town.lighting,
    )
    case_comment = case_services.comment_on_case(case, by=official, body="We are on it")
    conversation = conversation_services.open_conversation(
        owner=official, question="What should the square be?", seeds=["Trees"]
    )
    services.follow(official, by=resident)
    services.connect(official, by=resident)
    token, _secret = account_services.create_access_token(official, name="junk")
    values = {
        "handle": resident.handle,
        "token_id": token.pk,
        "post_id": post.pk,
        "image_id": 1,
        "attachment_id": 1,
        "comment_id": comment.pk,
        "name": "parks",
        "action": "follow",
        "kind": "office",
        "request_id": ConnectionRequest.objects.get().pk,
        "answer": "accept",
        "which": "followers",
        "notification_id": Notification.objects.filter(recipient=official).first().pk,
        "office_slug": town.lighting_office.slug,
        "case_id": case.pk,
        "pk": conversation.pk,
        "statement_pk": conversation.statements.first().pk,
        "fmt": "json",
        "code": town.lighting.slug,
    }
    special = {
        "cases:act": {"action": "acknowledge"},
        "accounts:relationship": {"action": "follow"},
        "cases:like_comment": {"comment_id": case_comment.pk},
        "cases:delete_comment": {"comment_id": case_comment.pk},
        "directory:topic": {"slug": town.lighting.slug},
        "directory:area": {"slug": town.city.slug},
        "directory:office": {"slug": town.lighting_office.slug},
        "social:follow_source": {"slug": town.lighting_office.slug},
        "social:source_feed": {"slug": town.lighting_office.slug, "form": "rss"},
        "social:person_feed": {"form": "atom"},
    }
    return official, values, special, case_services.create_open311_key("junk")


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_page_answers_500_to_junk_in_its_address_or_its_forms(client, world, name):
    official, values, special, open311_key = world
    kwargs = {parameter: values.get(parameter) for parameter in PATTERNS[name]}
    kwargs |= special.get(name, {})
    url = reverse(name, kwargs=kwargs)
    client.force_login(official)
    for method in ("get", "post"):
        for junk in JUNK:
            data = dict.fromkeys(FIELDS, junk)
            if name.startswith("open311:"):
                data["api_key"] = open311_key  # past the key, into the checks of the rest
            response = getattr(client, method)(url, data)
            assert response.status_code < 500, (method, url, repr(junk))
            if "_auth_user_id" not in client.session:  # a junk POST may have logged out
                client.force_login(official)


def test_the_junk_reaches_every_kind_of_page():
    assert len(PATTERNS) > 60
    for expected in (
        "social:create_post",
        "cases:act",
        "open311:requests",
        "accounts:set_language",
    ):
        assert expected in PATTERNS
