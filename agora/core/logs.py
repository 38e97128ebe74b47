"""Log lines an operator can follow: one id per request, in every line the request writes, in
its answer's `X-Request-ID` header, and in the worker's lines for the tasks it enqueued.

- `RequestIdMiddleware` takes the id from the `X-Request-ID` header when the proxy in front is
  trusted to set it (`AGORA_TRUST_REQUEST_ID`), else makes one.
- A task enqueued during the request carries the id in a reserved keyword (`TASK_KEYWORD`);
  when a worker starts the task, the id is taken out before the task is called, and the
  worker's lines carry it until the task finishes. Any worker does this (the database queue's
  and RQ's), since both hand the task the very keywords `task_started` is sent with.
- `JsonFormatter` writes one JSON object a line (`AGORA_LOG_FORMAT=json`), for a log shipper.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings

HEADER = "X-Request-ID"
#: What a trusted caller's id may look like; anything else is replaced by one of ours.
ACCEPTED = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
#: The keyword a task's id travels in, from the request that enqueued it to the worker.
TASK_KEYWORD = "_agora_request_id"

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "") if settings.AGORA_TRUST_REQUEST_ID else ""
        ident = given if ACCEPTED.fullmatch(given) else new_id()
        request.request_id = ident
        # Left set until the request is finished (`forget_request_id`): Django logs an error
        # answer ("Not Found: …") after the middleware has returned it.
        request_id.set(ident)
        response = self.get_response(request)
        response[HEADER] = ident
        return response


def forget_request_id(**kwargs) -> None:
    """On `request_finished`: lines the thread logs between requests carry no id."""
    request_id.set("")


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


#: Attributes every LogRecord has; anything else on a record was passed in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ident = getattr(record, "request_id", "") or request_id.get()
        if ident:
            line["request_id"] = ident
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                line[name] = value if isinstance(value, (str, int, float, bool)) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def carry_into(kwargs: dict) -> dict:
    """The keywords of a task being enqueued, with the current request's id when there is one."""
    ident = request_id.get()
    return {**kwargs, TASK_KEYWORD: ident} if ident else kwargs


_task_tokens: dict[str, contextvars.Token] = {}


def task_started(sender, task_result, **kwargs) -> None:
    """Take the id out of the task's keywords (the same dict the task is called with) and
    make it the current one until the task finishes."""
    ident = task_result.kwargs.pop(TASK_KEYWORD, "")
    if ident:
        _task_tokens[task_result.id] = request_id.set(ident)
        logging.getLogger("agora.worker").info(
            "Task %s (%s) started.", task_result.id, task_result.task.module_path
        )


def task_finished(sender, task_result, **kwargs) -> None:
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        logging.getLogger("agora.worker").info(
            "Task %s finished: %s.", task_result.id, task_result.status
        )
        request_id.reset(token)
