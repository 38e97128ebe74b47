"""The OpenAPI schema at /api/v1/openapi.json: what clients and fuzzers read the API from. It
must list every operation the API really has, with the authentication it really takes and the
error statuses it really answers."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from ninja.utils import normalize_path

from agora.accounts import authentication as auth
from agora.accounts.models import Role
from agora.accounts.services import create_access_token
from agora.site.api import api
from tests.api.conftest import assert_error, bearer
from tests.factories import UserFactory


@pytest.fixture(scope="module")
def schema():
    """Fetched once: the schema needs no database and does not change between tests."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


# The kinds of authentication an operation takes, as `auth=` in
# agora.accounts.authentication names them.
SIGNED_IN = "signed in"  # a token or a session (the API's default)
ANYONE = "anyone"  # a token, a session or nobody: authentication is optional
SESSION_ONLY = "session only"  # a browser session, never a token

ENDPOINTS = {
    "accounts": {
        ("/api/v1/me", "get"): SIGNED_IN,
        ("/api/v1/me", "patch"): SIGNED_IN,
        ("/api/v1/profiles/{handle}", "get"): ANYONE,
        ("/api/v1/me/tokens", "get"): SIGNED_IN,
        ("/api/v1/me/tokens", "post"): SESSION_ONLY,
        ("/api/v1/me/tokens/{token_id}", "delete"): SIGNED_IN,
    },
    "social": {
        ("/api/v1/announcements", "post"): SIGNED_IN,
        ("/api/v1/announcements/{post_id}", "get"): ANYONE,
        ("/api/v1/announcements/{post_id}/corrections", "post"): SIGNED_IN,
        ("/api/v1/comments/{comment_id}", "delete"): SIGNED_IN,
        ("/api/v1/comments/{comment_id}/like", "delete"): SIGNED_IN,
        ("/api/v1/comments/{comment_id}/like", "post"): SIGNED_IN,
        ("/api/v1/feed", "get"): SIGNED_IN,
        ("/api/v1/people/{handle}/block", "delete"): SIGNED_IN,
        ("/api/v1/people/{handle}/block", "post"): SIGNED_IN,
        ("/api/v1/people/{handle}/connection", "delete"): SIGNED_IN,
        ("/api/v1/people/{handle}/connection", "post"): SIGNED_IN,
        ("/api/v1/people/{handle}/connections", "get"): ANYONE,
        ("/api/v1/people/{handle}/follow", "delete"): SIGNED_IN,
        ("/api/v1/people/{handle}/follow", "post"): SIGNED_IN,
        ("/api/v1/people/{handle}/followers", "get"): ANYONE,
        ("/api/v1/people/{handle}/following", "get"): ANYONE,
        ("/api/v1/people/{handle}/mute", "delete"): SIGNED_IN,
        ("/api/v1/people/{handle}/mute", "post"): SIGNED_IN,
        ("/api/v1/people/{handle}/posts", "get"): ANYONE,
        ("/api/v1/posts", "get"): ANYONE,
        ("/api/v1/posts", "post"): SIGNED_IN,
        ("/api/v1/posts/with-images", "post"): SIGNED_IN,
        ("/api/v1/me/following", "get"): SIGNED_IN,
        ("/api/v1/posts/{post_id}", "delete"): SIGNED_IN,
        ("/api/v1/posts/{post_id}", "get"): ANYONE,
        ("/api/v1/posts/{post_id}", "patch"): SIGNED_IN,
        ("/api/v1/posts/{post_id}/comments", "get"): ANYONE,
        ("/api/v1/posts/{post_id}/comments", "post"): SIGNED_IN,
        ("/api/v1/posts/{post_id}/like", "delete"): SIGNED_IN,
        ("/api/v1/posts/{post_id}/like", "post"): SIGNED_IN,
        ("/api/v1/posts/{post_id}/shares", "post"): SIGNED_IN,
        ("/api/v1/search", "get"): ANYONE,
        ("/api/v1/tags/{name}/posts", "get"): ANYONE,
    },
    "notifications": {
        ("/api/v1/notifications", "get"): SIGNED_IN,
        ("/api/v1/notifications/preferences", "get"): SIGNED_IN,
        ("/api/v1/notifications/preferences", "put"): SIGNED_IN,
        ("/api/v1/notifications/read", "post"): SIGNED_IN,
        ("/api/v1/notifications/{notification_id}/read", "post"): SIGNED_IN,
    },
    "directory": {
        ("/api/v1/directory/offices", "get"): ANYONE,
        ("/api/v1/directory/offices/{slug}", "get"): ANYONE,
        ("/api/v1/directory/route", "get"): ANYONE,
        ("/api/v1/directory/{kind}/{slug}/follow", "get"): SIGNED_IN,
        ("/api/v1/directory/{kind}/{slug}/follow", "post"): SIGNED_IN,
        ("/api/v1/directory/{kind}/{slug}/follow", "delete"): SIGNED_IN,
        ("/api/v1/directory/offices/{slug}/posts", "get"): ANYONE,
        ("/api/v1/directory/topics/{slug}/posts", "get"): ANYONE,
    },
    "cases": {
        ("/api/v1/cases", "get"): SIGNED_IN,
        ("/api/v1/cases", "post"): SIGNED_IN,
        ("/api/v1/cases/offices/{office_slug}/inbox", "get"): SIGNED_IN,
        ("/api/v1/cases/{case_id}", "get"): ANYONE,
        ("/api/v1/cases/{case_id}/{action}", "post"): SIGNED_IN,
        ("/api/v1/cases/following", "get"): SIGNED_IN,
        ("/api/v1/cases/{case_id}/follow", "post"): SIGNED_IN,
        ("/api/v1/cases/{case_id}/follow", "delete"): SIGNED_IN,
        ("/api/v1/cases/{case_id}/comments", "get"): ANYONE,
        ("/api/v1/cases/{case_id}/comments", "post"): SIGNED_IN,
    },
    "conversations": {
        ("/api/v1/conversations/{conversation_id}", "get"): ANYONE,
        ("/api/v1/conversations/{conversation_id}/statements", "post"): SIGNED_IN,
        ("/api/v1/conversations/{conversation_id}/votes", "post"): SIGNED_IN,
    },
    "moderation": {
        ("/api/v1/reports", "post"): SIGNED_IN,
        ("/api/v1/moderation/log", "get"): ANYONE,
    },
    "processes": {
        ("/api/v1/processes", "get"): ANYONE,
        ("/api/v1/processes", "post"): SIGNED_IN,
        ("/api/v1/processes/{slug}", "get"): ANYONE,
        ("/api/v1/processes/{slug}/follow", "post"): SIGNED_IN,
        ("/api/v1/processes/{slug}/follow", "delete"): SIGNED_IN,
    },
    "proposals": {
        ("/api/v1/proposals", "get"): ANYONE,
        ("/api/v1/proposals", "post"): SIGNED_IN,
        ("/api/v1/proposals/{proposal_id}", "get"): ANYONE,
        ("/api/v1/proposals/{proposal_id}/support", "post"): SIGNED_IN,
        ("/api/v1/proposals/{proposal_id}/support", "delete"): SIGNED_IN,
        ("/api/v1/proposals/{proposal_id}/answer", "post"): SIGNED_IN,
        ("/api/v1/proposals/similar", "get"): ANYONE,
        ("/api/v1/proposals/{proposal_id}/comments", "get"): ANYONE,
        ("/api/v1/proposals/{proposal_id}/comments", "post"): SIGNED_IN,
        ("/api/v1/proposals/{proposal_id}/merge", "post"): SIGNED_IN,
    },
    "results": {
        ("/api/v1/results", "get"): ANYONE,
        ("/api/v1/results", "post"): SIGNED_IN,
        ("/api/v1/results/{result_id}", "get"): ANYONE,
        ("/api/v1/results/{result_id}/updates", "post"): SIGNED_IN,
    },
    "budgets": {
        ("/api/v1/budgets", "get"): ANYONE,
        ("/api/v1/budgets/{budget_id}", "get"): ANYONE,
        ("/api/v1/budgets/{budget_id}/ballot", "get"): SIGNED_IN,
        ("/api/v1/budgets/{budget_id}/ballot", "post"): SIGNED_IN,
        ("/api/v1/budgets/{budget_id}/ballot", "delete"): SIGNED_IN,
        ("/api/v1/budgets/{budget_id}/result", "get"): ANYONE,
    },
    "polls": {
        ("/api/v1/polls/{poll_id}/results", "get"): ANYONE,
        ("/api/v1/polls/{poll_id}/responses", "post"): SIGNED_IN,
    },
    "petitions": {
        ("/api/v1/petitions", "get"): ANYONE,
        ("/api/v1/petitions", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}", "get"): ANYONE,
        ("/api/v1/petitions/{petition_id}/collect", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/cosponsor", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/sign", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/sign", "delete"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/publish", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/reject", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/invalidate", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/response", "post"): SIGNED_IN,
        ("/api/v1/petitions/{petition_id}/debate", "post"): SIGNED_IN,
    },
}

KIND_OF = {operation: kind for app in ENDPOINTS.values() for operation, kind in app.items()}

# What each kind is in code (the callbacks ninja runs, in order) and in the schema (OpenAPI's
# `security`: any one of the listed requirements will do; `{}` is "no authentication").
AUTH = {SIGNED_IN: auth.SIGNED_IN, ANYONE: auth.ANYONE, SESSION_ONLY: auth.SESSION_ONLY}
TOKEN, SESSION, NOBODY = {"AccessTokenAuth": []}, {"SessionAuth": []}, {}
SECURITY = {
    SIGNED_IN: [TOKEN, SESSION],
    ANYONE: [TOKEN, SESSION, NOBODY],
    SESSION_ONLY: [SESSION],
}
ERROR_REF = "#/components/schemas/ErrorResponse"


def registered_operations() -> dict[tuple[str, str], object]:
    """Every (path, method) the API routes, with its ninja Operation: read from the API's
    routers, as ninja builds both its URL map and its schema from them, so an operation left
    out of the schema (`include_in_schema=False`) is still here."""
    root = reverse("api:api-root")
    found = {}
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            full_path = normalize_path(
                root + "/".join(part for part in (router.prefix, path) if part)
            )
            full_path = re.sub(r"{[^}:]+:", "{", full_path)  # `{int:case_id}` -> `{case_id}`
            for operation in path_view.operations:
                for method in operation.methods:
                    key = (full_path, method.lower())
                    assert key not in found, f"{key} is registered twice"
                    found[key] = operation
    return found


def schema_operations(schema) -> dict[tuple[str, str], dict]:
    return {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def test_the_schema_lists_every_registered_endpoint_and_nothing_else(schema):
    registered = registered_operations()

    assert len(KIND_OF) == sum(len(app) for app in ENDPOINTS.values())  # no endpoint twice
    assert set(registered) == set(KIND_OF)
    assert set(schema_operations(schema)) == set(KIND_OF)
    hidden = sorted(key for key, operation in registered.items() if not operation.include_in_schema)
    assert hidden == []


def test_every_operation_is_named_after_its_app(schema):
    for (path, method), operation in schema_operations(schema).items():
        app = operation["operationId"].split("_", 1)[0]
        assert (path, method) in ENDPOINTS[app], (path, method, operation["operationId"])


def test_the_schema_describes_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert set(schemes) == {"AccessTokenAuth", "SessionAuth"}
    assert schemes["AccessTokenAuth"]["type"] == "http"
    assert schemes["AccessTokenAuth"]["scheme"] == "bearer"
    session = schemes["SessionAuth"]
    assert (session["type"], session["in"], session["name"]) == ("apiKey", "cookie", "sessionid")
    assert "X-CSRFToken" in session["description"]


def _security_of(callbacks) -> list[dict]:
    """The `security` an operation's auth callbacks call for, worked out from the callbacks."""
    security = []
    for callback in callbacks:
        if isinstance(callback, auth.AccessTokenAuth):
            security.append(TOKEN)
        elif isinstance(callback, auth.SessionAuth):
            security.append(SESSION)
        elif callback is auth.anonymous:
            security.append(NOBODY)
        else:
            raise AssertionError(f"unknown auth callback {callback!r}")
    return security


def test_each_operation_takes_and_documents_its_kind_of_authentication(schema):
    registered = registered_operations()
    documented = schema_operations(schema)
    wrong = []
    for key, kind in sorted(KIND_OF.items()):
        callbacks = list(registered[key].auth_callbacks)
        if callbacks != AUTH[kind]:
            wrong.append((key, kind, "takes", callbacks))
        if documented[key].get("security") != SECURITY[kind]:
            wrong.append((key, kind, "documents", documented[key].get("security")))
        if documented[key].get("security") != _security_of(callbacks):
            wrong.append((key, kind, "documents other than it takes", callbacks))

    assert wrong == []
    assert {SIGNED_IN, ANYONE, SESSION_ONLY} == set(KIND_OF.values())


def _can_be_invalid(parameter_schema: dict) -> bool:
    """Whether a value can fail the parameter's schema: a type other than free text, a choice,
    a length or a bound."""
    constraints = {"enum", "const", "minLength", "maxLength", "pattern", "minimum", "maximum"}
    if parameter_schema.get("type") not in (None, "string", "null"):
        return True
    if constraints & set(parameter_schema):
        return True
    return any(
        _can_be_invalid(option)
        for combinator in ("anyOf", "oneOf", "allOf")
        for option in parameter_schema.get(combinator, [])
    )


def required_error_statuses(operation: dict) -> set[str]:
    """The error statuses the API answers on this operation whatever it does, by the shape of
    the operation: these come from authentication, throttling and ninja's parsing."""
    security = operation.get("security", [])
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody", {}).get("content", {})
    required = {"401", "429"}  # a wrong token, everywhere; the request budget
    if TOKEN in security or SESSION in security:
        required.add("403")  # two_factor_required (and csrf_failed, forbidden, ...)
    if any(parameter["in"] == "path" for parameter in parameters):
        required.add("404")  # nothing there, or nothing the caller may see
    if body or any(_can_be_invalid(parameter["schema"]) for parameter in parameters):
        required.add("422")
    if body:
        required.add("400")  # malformed_json, or a multipart form that does not parse
    return required


def test_every_operation_documents_the_errors_it_can_answer(schema):
    missing = {}
    for key, operation in sorted(schema_operations(schema).items()):
        absent = required_error_statuses(operation) - set(operation["responses"])
        if absent:
            missing[key] = sorted(absent)

    assert missing == {}


def test_no_operation_documents_a_400_or_404_it_cannot_answer(schema):
    """Only a body can be unreadable, and only what a path names can be missing: the feed, a
    search or a new post have nothing to be 404 about."""
    extra = {}
    for key, operation in sorted(schema_operations(schema).items()):
        documented = set(operation["responses"]) & {"400", "404"}
        unexpected = documented - required_error_statuses(operation)
        if unexpected:
            extra[key] = sorted(unexpected)

    assert extra == {}


def test_the_rules_for_documented_errors_see_what_they_should(schema):
    """The rules above, on operations whose answer is known, so a change in how ninja writes
    parameters cannot make them pass by seeing nothing."""
    operations = schema_operations(schema)

    def required(path, method):
        return required_error_statuses(operations[(path, method)])

    assert required("/api/v1/me", "get") == {"401", "403", "429"}
    assert required("/api/v1/feed", "get") == {"401", "403", "422", "429"}  # ?filter= a choice
    assert required("/api/v1/profiles/{handle}", "get") == {"401", "403", "404", "429"}
    assert required("/api/v1/conversations/{conversation_id}", "get") == {
        "401",
        "403",
        "404",
        "422",
        "429",
    }
    assert required("/api/v1/notifications/read", "post") == {"400", "401", "403", "422", "429"}
    assert required("/api/v1/posts/with-images", "post") == {"400", "401", "403", "422", "429"}


def test_every_error_response_is_in_the_error_shape(schema):
    components = schema["components"]["schemas"]
    assert components["ErrorResponse"]["required"] == ["error"]
    assert components["ErrorResponse"]["properties"]["error"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }
    detail = components["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    assert detail["properties"]["code"]["type"] == "string"
    assert detail["properties"]["message"]["type"] == "string"

    not_in_shape = []
    for key, operation in sorted(schema_operations(schema).items()):
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                continue
            content = response.get("content", {})
            if set(content) != {"application/json"} or content["application/json"]["schema"] != {
                "$ref": ERROR_REF
            }:
                not_in_shape.append((key, status))

    assert not_in_shape == []


def _moderator_token() -> str:
    moderator = UserFactory(role=Role.MODERATOR)  # without two-factor login
    _token, secret = create_access_token(moderator, name="script")
    return secret


def _moderator_session() -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.MODERATOR))
    return client


def _member_token() -> str:
    _token, secret = create_access_token(UserFactory(), name="script")
    return secret


# Statuses the schema once left out, as the API really answers them: (the operation, how to call
# it, what it answers).
ANSWERED = [
    pytest.param(
        ("/api/v1/feed", "get"),
        lambda: Client(headers=bearer(_moderator_token())).get("/api/v1/feed"),
        403,
        "two_factor_required",
        id="a token of a moderator without two-factor login",
    ),
    pytest.param(
        ("/api/v1/feed", "get"),
        lambda: _moderator_session().get("/api/v1/feed"),
        403,
        "two_factor_required",
        id="the session of a moderator without two-factor login",
    ),
    pytest.param(
        ("/api/v1/posts", "get"),
        lambda: Client(headers=bearer(_moderator_token())).get("/api/v1/posts"),
        403,
        "two_factor_required",
        id="the same where anyone may call",
    ),
    pytest.param(
        ("/api/v1/directory/offices/{slug}", "get"),
        lambda: _moderator_session().get("/api/v1/directory/offices/nowhere"),
        403,
        "two_factor_required",
        id="and where nothing is found",
    ),
    pytest.param(
        ("/api/v1/conversations/{conversation_id}", "get"),
        lambda: Client().get("/api/v1/conversations/first"),
        422,
        "invalid",
        id="a conversation id that is not a number",
    ),
    pytest.param(
        ("/api/v1/posts/with-images", "post"),
        lambda: Client(headers=bearer(_member_token())).post(
            "/api/v1/posts/with-images", data=b"body=Hi", content_type="multipart/form-data"
        ),
        400,
        "bad_request",
        id="a multipart form without its boundary",
    ),
    pytest.param(
        ("/api/v1/notifications/read", "post"),
        lambda: Client(headers=bearer(_member_token())).post(
            "/api/v1/notifications/read", data="{", content_type="application/json"
        ),
        400,
        "malformed_json",
        id="marking read with a body that is not JSON",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "call", "status", "code"), ANSWERED)
def test_the_schema_documents_statuses_the_api_really_answers(
    schema, operation, call, status, code
):
    assert_error(call(), status, code)
    path, method = operation
    response = schema["paths"][path][method]["responses"][str(status)]
    assert response["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}


# The only schemas that may carry an email address, and the operations that may answer them.
EMAIL_ALLOWED = {
    # Your own account, answered only to you: the one place a person's address appears.
    "Me": {("/api/v1/me", "get"), ("/api/v1/me", "patch")},
    # An office's public contact address (Office.email), which its page shows to everyone
    # beside its phone and address; an office is an institution, not a person.
    "OfficeDetail": {("/api/v1/directory/offices/{slug}", "get")},
}


def _reachable(schema, node, owner: str, seen: dict[str, set[str]]) -> None:
    """Add to `seen` each schema `node` leads to, by name (or the operation's for an inline
    one), with the properties it has."""
    if isinstance(node, list):
        for item in node:
            _reachable(schema, item, owner, seen)
        return
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        if name not in seen:
            seen[name] = set()
            _reachable(schema, schema["components"]["schemas"][name], name, seen)
    if isinstance(node.get("properties"), dict):
        seen.setdefault(owner, set()).update(node["properties"])
    for key, value in node.items():
        if key != "$ref":
            _reachable(schema, value, owner, seen)


def _schemas_answered_by(schema, operation: dict) -> dict[str, set[str]]:
    seen = {}
    _reachable(schema, operation["responses"], f"inline in {operation['operationId']}", seen)
    return seen


def test_no_operation_answers_an_email_address_it_should_not(schema):
    operations = schema_operations(schema)
    leaks = []
    for key, operation in sorted(operations.items()):
        for name, properties in _schemas_answered_by(schema, operation).items():
            has_email = any("mail" in prop.lower() for prop in properties)
            if has_email and key not in EMAIL_ALLOWED.get(name, set()):
                leaks.append((key, name))

    assert leaks == []
    # The walk follows references: it finds the people in lists and search, and the addresses
    # that are allowed.
    for people in (
        ("/api/v1/people/{handle}/followers", "get"),
        ("/api/v1/people/{handle}/following", "get"),
        ("/api/v1/people/{handle}/connections", "get"),
        ("/api/v1/search", "get"),
    ):
        assert KIND_OF[people] == ANYONE
        assert "Person" in _schemas_answered_by(schema, operations[people])
    assert "Profile" in _schemas_answered_by(
        schema, operations[("/api/v1/profiles/{handle}", "get")]
    )
    for name, allowed in EMAIL_ALLOWED.items():
        for key in allowed:
            assert "email" in _schemas_answered_by(schema, operations[key])[name]


def test_the_api_reference_page_is_read_from_the_schema(client, db):
    html = client.get("/api/v1/docs").content.decode()
    operations = re.findall(r'<article class="api-operation" id="([a-z_]+)"', html)
    assert sorted(operations) == sorted(
        operation["operationId"]
        for item in api.get_openapi_schema()["paths"].values()
        for operation in item.values()
    )
    assert "<script" not in html
    footer = client.get("/").content.decode()
    assert 'href="/api/v1/docs"' in footer and 'href="/api/v1/openapi.json"' in footer


def test_a_form_body_never_offers_null_which_a_form_cannot_send(schema):
    """multipart/form-data has no null: a client reading `number or null` would send the text
    "null" and be refused. Optional form fields are left out instead."""
    forms = [
        (path, name, part)
        for path, item in schema["paths"].items()
        for operation in item.values()
        for media, content in operation.get("requestBody", {}).get("content", {}).items()
        if media == "multipart/form-data"
        for name, part in content["schema"].get("properties", {}).items()
    ]
    assert forms, "no form bodies found"
    nullable = [(path, name) for path, name, part in forms if "null" in json.dumps(part)]
    assert nullable == []
