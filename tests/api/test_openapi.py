"""The OpenAPI schema at /api/v1/openapi.json: what clients and fuzzers read the API from."""

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def schema():
    """Fetched once: the schema needs no database and does not change between tests."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


ENDPOINTS = {
    "accounts": {
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/profiles/{handle}", "get"),
        ("/api/v1/me/tokens", "get"),
        ("/api/v1/me/tokens", "post"),
        ("/api/v1/me/tokens/{token_id}", "delete"),
    },
    "social": {
        ("/api/v1/comments/{comment_id}", "delete"),
        ("/api/v1/comments/{comment_id}/like", "delete"),
        ("/api/v1/comments/{comment_id}/like", "post"),
        ("/api/v1/feed", "get"),
        ("/api/v1/people/{handle}/block", "delete"),
        ("/api/v1/people/{handle}/block", "post"),
        ("/api/v1/people/{handle}/connection", "delete"),
        ("/api/v1/people/{handle}/connection", "post"),
        ("/api/v1/people/{handle}/connections", "get"),
        ("/api/v1/people/{handle}/follow", "delete"),
        ("/api/v1/people/{handle}/follow", "post"),
        ("/api/v1/people/{handle}/followers", "get"),
        ("/api/v1/people/{handle}/following", "get"),
        ("/api/v1/people/{handle}/mute", "delete"),
        ("/api/v1/people/{handle}/mute", "post"),
        ("/api/v1/people/{handle}/posts", "get"),
        ("/api/v1/posts", "get"),
        ("/api/v1/posts", "post"),
        ("/api/v1/posts/with-images", "post"),
        ("/api/v1/me/following", "get"),
        ("/api/v1/posts/{post_id}", "delete"),
        ("/api/v1/posts/{post_id}", "get"),
        ("/api/v1/posts/{post_id}", "patch"),
        ("/api/v1/posts/{post_id}/comments", "get"),
        ("/api/v1/posts/{post_id}/comments", "post"),
        ("/api/v1/posts/{post_id}/like", "delete"),
        ("/api/v1/posts/{post_id}/like", "post"),
        ("/api/v1/posts/{post_id}/shares", "post"),
        ("/api/v1/search", "get"),
        ("/api/v1/tags/{name}/posts", "get"),
    },
    "notifications": {
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/preferences", "get"),
        ("/api/v1/notifications/preferences", "put"),
        ("/api/v1/notifications/read", "post"),
        ("/api/v1/notifications/{notification_id}/read", "post"),
    },
    "directory": {
        ("/api/v1/directory/offices", "get"),
        ("/api/v1/directory/offices/{slug}", "get"),
        ("/api/v1/directory/route", "get"),
        ("/api/v1/directory/{kind}/{slug}/follow", "get"),
        ("/api/v1/directory/{kind}/{slug}/follow", "post"),
        ("/api/v1/directory/{kind}/{slug}/follow", "delete"),
        ("/api/v1/directory/offices/{slug}/posts", "get"),
        ("/api/v1/directory/topics/{slug}/posts", "get"),
    },
    "cases": {
        ("/api/v1/cases", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/offices/{office_slug}/inbox", "get"),
        ("/api/v1/cases/{case_id}", "get"),
        ("/api/v1/cases/{case_id}/{action}", "post"),
        ("/api/v1/cases/following", "get"),
        ("/api/v1/cases/{case_id}/follow", "post"),
        ("/api/v1/cases/{case_id}/follow", "delete"),
        ("/api/v1/cases/{case_id}/comments", "get"),
        ("/api/v1/cases/{case_id}/comments", "post"),
    },
    "conversations": {
        ("/api/v1/conversations/{conversation_id}", "get"),
        ("/api/v1/conversations/{conversation_id}/statements", "post"),
        ("/api/v1/conversations/{conversation_id}/votes", "post"),
    },
}


def test_the_schema_lists_every_endpoint(schema):
    operations = {(path, method) for path, methods in schema["paths"].items() for method in methods}

    assert operations == set().union(*ENDPOINTS.values())


def test_every_operation_is_named_after_its_app(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            app = operation["operationId"].split("_", 1)[0]
            assert (path, method) in ENDPOINTS[app], (path, method, operation["operationId"])


def test_the_schema_describes_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["AccessTokenAuth"]["type"] == "http"
    assert schemes["AccessTokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["SessionAuth"]["description"],
    }


def test_the_schema_says_which_operations_need_which_authentication(schema):
    paths = schema["paths"]

    assert paths["/api/v1/me"]["get"]["security"] == [{"AccessTokenAuth": []}, {"SessionAuth": []}]
    assert paths["/api/v1/me/tokens"]["post"]["security"] == [{"SessionAuth": []}]
    assert {} in paths["/api/v1/profiles/{handle}"]["get"]["security"]


def test_the_schema_documents_the_error_shape_on_every_operation(schema):
    error = schema["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]
    assert set(schema["components"]["schemas"]["ErrorDetail"]["required"]) == {"code", "message"}

    for methods in schema["paths"].values():
        for operation in methods.values():
            for status in ("401", "429"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"] == "#/components/schemas/ErrorResponse"


def test_the_schema_never_offers_a_profiles_email(schema):
    assert "email" not in schema["components"]["schemas"]["Profile"]["properties"]
    assert "email" in schema["components"]["schemas"]["Me"]["properties"]
