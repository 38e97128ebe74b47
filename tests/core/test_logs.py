"""JSON logs with a request id: each request has one (a trusted proxy's, or a new one), it is in
the answer's X-Request-ID and in every line the request logs, and the worker's lines for a
task the request enqueued carry it too."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from agora.core.logs import HEADER, JsonFormatter, RequestIdFilter, RequestIdMiddleware
from agora.core.tasks import send_email


@pytest.fixture
def json_lines():
    """What the root logger writes, as `AGORA_LOG_FORMAT=json` writes it, read back as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_each_answer_names_its_request_and_a_proxys_id_is_taken_only_when_trusted(client, settings):
    made = client.get("/healthz", headers={HEADER: "from-the-proxy-1"})[HEADER]
    assert len(made) == 32 and made != "from-the-proxy-1"  # not trusted: one of ours
    assert client.get("/healthz")[HEADER] != made

    settings.AGORA_TRUST_REQUEST_ID = True
    assert client.get("/healthz", headers={HEADER: "from-the-proxy-1"})[HEADER] == (
        "from-the-proxy-1"
    )
    odd = client.get("/healthz", headers={HEADER: "two words\n"})[HEADER]
    assert len(odd) == 32  # an id that could break a log line is replaced


@pytest.mark.django_db
def test_the_lines_a_request_logs_carry_its_id(client, json_lines):
    answer = client.get("/no-such-page/")
    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    assert answer.status_code == 404
    assert lines and lines[0]["request_id"] == answer[HEADER]
    assert lines[0]["level"] == "WARNING" and "no-such-page" in lines[0]["message"]
    assert {"time", "message"} <= set(lines[0])


@pytest.mark.django_db
def test_the_workers_lines_for_a_task_carry_the_id_of_the_request_that_enqueued_it(
    run_worker, json_lines
):
    def view(request):
        send_email.enqueue(
            subject="Hi", body="Body", to=["x@example.org"], from_email="a@b.c", key="hi-1"
        )
        logging.getLogger("agora.test").info("enqueued")
        return HttpResponse("ok")

    answer = RequestIdMiddleware(view)(RequestFactory().post("/"))
    ident = answer[HEADER]
    assert [line["request_id"] for line in json_lines()] == [ident]

    sent = run_worker()

    assert [message.subject for message in sent] == ["Hi"]
    worker_lines = [line for line in json_lines() if line["logger"] == "agora.worker"]
    assert [line["request_id"] for line in worker_lines] == [ident, ident]  # started, finished
    assert worker_lines[0]["message"].endswith("(agora.core.tasks.send_email) started.")
    # The id travels beside the task's keywords and is taken out before the task is called.
    assert "_agora_request_id" not in str(sent[0].message())
