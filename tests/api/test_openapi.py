"""The OpenAPI schema at /api/v1/openapi.json: what clients and fuzzers read the API from."""

import pytest
from django.test import Client


@pytest.fixture(scope="module")
def schema():
    """Fetched once: the schema needs no database and does not change between tests."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_endpoint(schema):
    operations = {(path, method) for path, methods in schema["paths"].items() for method in methods}

    assert operations == {
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/profiles/{handle}", "get"),
        ("/api/v1/me/tokens", "get"),
        ("/api/v1/me/tokens", "post"),
        ("/api/v1/me/tokens/{token_id}", "delete"),
    }


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
