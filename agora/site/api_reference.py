"""/api/v1/docs: the API's reference as a page of the site, read from the same OpenAPI schema
that /api/v1/openapi.json serves. Server-rendered, so it needs no script (Swagger UI, which ninja
offers, fails the site's accessibility checks), and built once per process: the schema only
changes with the code."""

from dataclasses import dataclass, field
from functools import cache

from agora.core.text import render_markdown

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description_html: str
    optional_auth: bool
    public: bool
    parameters: list[Field] = field(default_factory=list)
    body_type: str = ""
    body: list[Field] = field(default_factory=list)
    answers: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    name: str
    operations: list[Operation]


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kind(schema: dict, document: dict) -> str:
    """A short, readable type: `string`, `integer or null`, `list of PostOut`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_kind(part, document) for part in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return "list of " + _kind(schema.get("items", {}), document)
    return schema.get("type", "any") if isinstance(schema.get("type", ""), str) else "any"


def _fields(schema: dict, document: dict) -> list[Field]:
    schema = _resolve(schema, document)
    required = set(schema.get("required", ()))
    return [
        Field(name, _kind(part, document), name in required, part.get("description", ""))
        for name, part in schema.get("properties", {}).items()
    ]


def _operation(method: str, path: str, spec: dict, document: dict) -> Operation:
    security = spec.get("security")
    body_type, body = "", []
    content = spec.get("requestBody", {}).get("content", {})
    for media_type, media in content.items():
        body_type = media_type
        body = _fields(media.get("schema", {}), document)
        break
    answers = []
    for status, answer in spec.get("responses", {}).items():
        schemas = [media.get("schema", {}) for media in answer.get("content", {}).values()]
        shape = _kind(schemas[0], document) if schemas else ""
        answers.append((status, answer.get("description", ""), shape))
    return Operation(
        anchor=spec.get("operationId", f"{method}-{path}"),
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description_html=render_markdown(spec.get("description", "")),
        optional_auth=bool(security) and {} in security,
        public=security == [] or (bool(security) and {} in security),
        parameters=[
            Field(
                f"{parameter['name']} ({parameter['in']})",
                _kind(parameter.get("schema", {}), document),
                parameter.get("required", False),
                parameter.get("description", "")
                or parameter.get("schema", {}).get("description", ""),
            )
            for parameter in spec.get("parameters", [])
        ],
        body_type=body_type,
        body=body,
        answers=answers,
    )


@cache
def reference() -> tuple[dict, list[Group]]:
    """The schema's title, version and description, and its operations grouped by tag in the
    order the schema lists them."""
    from agora.site.api import api

    document = api.get_openapi_schema()
    groups: dict[str, list[Operation]] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(method, path, spec, document))
    info = dict(document["info"])
    info["description_html"] = render_markdown(info.get("description", ""))
    return info, [Group(name, operations) for name, operations in groups.items()]
