"""The OpenAPI document names each schema by its class's name: two different schemas of the
same name (the petitions' response and the polls' answers, once) would share one entry, and
one endpoint would be documented with the other's body."""

import itertools

from django.test import Client
from ninja import Schema


def every_schema(base=Schema):
    for subclass in base.__subclasses__():
        yield subclass
        yield from every_schema(subclass)


def shape(schema) -> dict:
    return {name: repr(field.annotation) for name, field in schema.model_fields.items()}


def test_no_two_different_schemas_of_the_document_share_a_name(db):
    """Among the schemas the document lists (query parameters are spread into each
    operation's parameters, not listed)."""
    listed = set(Client().get("/api/v1/openapi.json").json()["components"]["schemas"])
    ours = sorted(
        {
            schema
            for schema in every_schema()
            if schema.__module__.startswith("agora.") and schema.__name__ in listed
        },
        key=lambda schema: schema.__name__,
    )
    clashes = []
    for name, grouped in itertools.groupby(ours, key=lambda schema: schema.__name__):
        group = list(grouped)
        if len({repr(shape(schema)) for schema in group}) > 1:
            clashes.append((name, [schema.__module__ for schema in group]))
    assert clashes == []


def test_the_petitions_response_is_documented_with_its_own_body(client):
    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"]["/api/v1/petitions/{petition_id}/response"]["post"]["requestBody"]
    name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(document["components"]["schemas"][name]["properties"]) == {"body"}
