"""Every operation of the API, fed what its schema allows and what it does not (schemathesis
generates the requests from the OpenAPI document and sends them through Django's WSGI
handler): nothing answers 500, and every answer has a status, a content type and a body
that the document describes. The examples are few per operation and the seed is fixed, so a
run is quick; Hypothesis also draws on strings from the modules already imported, so a run
next to other tests may send a few different requests, and a failure prints the request to
reproduce it. Path ids are mostly ones that do not exist: this guards the checking of input,
not the work behind it. `schemathesis run` against a served copy fuzzes for longer (see
docs/api.md)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from agora.accounts import services as account_services
from agora.social import services
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # about 35 s in all

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The document is read through the app itself, as a client would read it.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def one_connection():
    """The WSGI handler closes the database connection around each request; inside a test's
    transaction it must stay open, as Django's own test client keeps it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(settings, one_connection):
    """A person with a token, someone they follow and a post of each, so reads find things."""
    settings.AGORA_API_RATE = "100000/m"
    person, other = UserFactory(handle="fuzzer"), UserFactory(handle="other")
    services.follow(other, by=person)
    services.create_post(by=person, body="Hello #parks")
    services.create_post(by=other, body="Hi @fuzzer")
    _token, secret = account_services.create_access_token(person, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@seed(20261126)
@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented_and_never_500(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
