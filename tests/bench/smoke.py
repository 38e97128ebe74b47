"""What the benchmarks' smoke tests share: requests through Django's WSGI handler inside a
test's transaction, as the benchmarks measure in-process."""

import contextlib
import io
import sys

from django.core import signals
from django.db import close_old_connections


@contextlib.contextmanager
def connections_kept():
    """A real WSGI request closes the database connection when it ends (`request_finished`),
    which would end the test's transaction: keep it, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def wsgi_request(handler, raw: bytes) -> tuple[int, dict[str, list[str]], str]:
    """Send an HTTP/1.1 request, as bytes on the wire, through a WSGI handler: (status,
    headers by lower-case name, body)."""
    head, _sep, body = raw.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ")
    path, _sep, query = target.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for line in header_lines:
        name, _sep, value = line.partition(":")
        key = name.strip().upper().replace("-", "_")
        if key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            environ[key] = value.strip()
        else:
            environ[f"HTTP_{key}"] = value.strip()
    started = []
    response = handler(environ, lambda status, headers: started.append((status, headers)))
    try:
        content = b"".join(response).decode("utf-8", "replace")
    finally:
        response.close()
    status, headers = started[0]
    found: dict[str, list[str]] = {}
    for name, value in headers:
        found.setdefault(name.lower(), []).append(value)
    return int(status.split()[0]), found, content
