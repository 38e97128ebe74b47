"""The suite's one kit for pages and queries: a signed-in client, the main part of a page, and
query counts that are pinned and shown not to grow with the rows."""

import email
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def signed_in(person, client: Client | None = None) -> Client:
    """`client` (a fresh one when none is given) signed in as `person`, and returned."""
    client = client or Client()
    client.force_login(person)
    return client


def main_part(response, status: int = 200) -> str:
    """The page's <main> element: what this page says, without the header and footer every page
    shares. The page must have answered `status`."""
    assert response.status_code == status, response.status_code
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def assert_constant_queries(
    fetch: Callable[[], Any] | dict[str, Callable[[], Any]],
    grow: Callable[[], Any],
    *,
    expected: int | dict[str, int],
):
    """Run `fetch`, add rows with `grow`, run `fetch` again: both runs must make exactly
    `expected` queries, so the number is pinned and does not grow with the rows.

    `fetch` may be a dict of named fetches, measured around the same `grow`, with `expected` a
    dict of the same names. Both databases make the same numbers today; should they ever
    differ, choose the number by `connection.vendor`. A fetch that answers an HTTP response
    must answer 200. Returns the two results (few rows, many rows), or a dict of them by name,
    for the test to check what they show."""
    fetches = fetch if isinstance(fetch, dict) else {"": fetch}
    wanted = expected if isinstance(expected, dict) else {"": expected}
    assert fetches.keys() == wanted.keys(), "name an expected count for each fetch"
    results: dict[str, list] = {name: [] for name in fetches}
    measured, statements = {}, {}
    for rows in ("few rows", "many rows"):
        if rows == "many rows":
            grow()
        for name, one in fetches.items():
            with CaptureQueriesContext(connection) as queries:
                result = one()
            status = getattr(result, "status_code", 200)
            assert status == 200, f"{name or 'the fetch'} answered {status} with {rows}"
            results[name].append(result)
            measured[name, rows] = len(queries)
            statements[name, rows] = [query["sql"] for query in queries.captured_queries]
    pinned = {(name, rows): wanted[name] for name, rows in measured}
    assert measured == pinned, f"measured {measured}, pinned {pinned}; the queries:\n" + "\n".join(
        f"{name} with {rows}:\n  " + "\n  ".join(map(str, sql))
        for (name, rows), sql in statements.items()
        if measured[name, rows] != pinned[name, rows]
    )
    if isinstance(fetch, dict):
        return {name: tuple(pair) for name, pair in results.items()}
    return tuple(results[""])


def sent_messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    """The messages Agora's file email backend wrote (`core.mail`): one file per message."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    ]
