"""A scripted mix of residents: N signed-in people at once for T seconds against `agora serve`
(gunicorn, production settings) on PostgreSQL with Redis and the task worker, each reading
feeds and posts, asking "Who handles this?", opening cases, liking, commenting and supporting
proposals, with CSRF tokens taken from the pages as a browser does.

Run `.venv/bin/python bench/load.py` (200 people for 600 s; `--users 50 --seconds 60` for a
short run, `--help` for the rest). It creates the PostgreSQL database `agora_bench_load` on
127.0.0.1:5432 (user `postgres`), migrates and seeds it, grows the social data to `--people`
people with `bench/scale.py`'s SQL (10 posts, 25 follows and 25 likes each), makes the first
`--users` of them verified residents with a session each, empties the Redis database of
`--redis` (its own: the cache, the rate counters and the task queue of the server live there),
then starts `agora serve` and `agora worker` and runs the people as coroutines of this process
over kept-alive HTTP/1.1 connections (asyncio, no dependency). Each person waits a random
think time (exponential, `--think` seconds on average) between two actions and picks each
action at random by weight (`MIX`).

It reports per kind of request the count, errors, p50 and p99 of the time from sending the
request to reading the whole answer (queueing in gunicorn included), the requests per second,
and the CPU time per request of the gunicorn processes and of the PostgreSQL backends (read
from /proc), writes the section between `<!-- bench:load:start -->` and `<!-- bench:load:end
-->` of docs/performance.md (`--no-write` prints only), stops every process it started and drops
the database (`--keep` keeps it). It exits 1 when a request failed or a kind's p99 is 300 ms or
more, 2 when it could not measure.
"""

import argparse
import asyncio
import csv
import html
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import run, tools  # noqa: E402

DATABASE = "agora_bench_load"
P99_LIMIT_MS = 300.0
ROUTING_CASES = ROOT / "tests" / "directory" / "data" / "routing_cases.csv"

#: What a person does next, by weight. Opening a case is four requests (the form, the details,
#: the check page, sending), a like or a comment is the post's page read and then the form sent.
MIX = {
    "home feed": 30,
    "who handles this?": 15,
    "read a post": 10,
    "like": 14,
    "comment": 8,
    "support a proposal": 8,
    "open a case": 5,
    "my cases": 5,
    "a profile": 5,
}
COMMENTS = [
    "Agreed, this has been a problem for months.",
    "Thanks for raising it, I see the same on my street.",
    "Is there a meeting about this soon?",
    "The council answered something similar last year.",
]


class BenchError(run.BenchError):
    pass


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="people at once")
    parser.add_argument("--seconds", type=int, default=600, help="how long they act")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between actions")
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds acted but not measured, first"
    )
    parser.add_argument("--people", type=int, default=10_000, help="people in the database")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a request fails"
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/15",
        help="a Redis database of the bench's own: it is emptied before the run (never "
        "REDIS_URL's, which may hold another server's queue)",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--seed", type=int, default=18, help="the random mix's seed")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    options = parser.parse_args(argv)
    if not 1 <= options.users <= options.people:
        parser.error("--users: between 1 and --people")
    return options


# Preparing ----------------------------------------------------------------------------------


def routable_requests(limit: int = 60) -> list[dict]:
    """Cases to open: labelled requests of the routing test data that the intake routes (what a
    resident would type after "Who handles this?" named the topic)."""
    from agora.cases import forms
    from agora.cases.services import NotRoutable, where_it_goes

    found = []
    with ROUTING_CASES.open(newline="") as rows:
        for row in csv.DictReader(rows):
            if row["language"] != "en":
                continue
            data = {
                "kind": "report",
                "title": row["request"][:80],
                "description": row["request"],
                "topic": row["topic"],
                "area": row["area"],
                "address": "",
            }
            form = forms.CaseDetailsForm(data)
            if not form.is_valid():
                continue
            try:
                where_it_goes(**form.routing())
            except NotRoutable:
                continue
            found.append(data)
            if len(found) == limit:
                break
    if not found:
        raise BenchError("no labelled request routes to an office; nothing to open a case with")
    return found


def questions() -> list[str]:
    """What residents ask "Who handles this?": the labelled requests in English that name an
    office (a few name none, and the page then shows no answer to check for)."""
    from agora.directory.routing import route

    with ROUTING_CASES.open(newline="") as rows:
        asked = [row["request"] for row in csv.DictReader(rows) if row["language"] == "en"]
    return [text for text in asked if route(text, None, "en").best]


def stored(base: int, users: int, since: datetime) -> dict[str, int]:
    """What the residents' writes left in the database: cases and comments since `since`."""
    from agora.cases.models import Case
    from agora.social.models import Comment

    people = {"gt": base, "lte": base + users}
    return {
        "cases": Case.objects.filter(
            submitted_by_id__gt=people["gt"],
            submitted_by_id__lte=people["lte"],
            created_at__gte=since,
        ).count(),
        "comments": Comment.objects.filter(
            author_id__gt=people["gt"], author_id__lte=people["lte"], created_at__gte=since
        ).count(),
    }


def prepare(options) -> dict:
    """Migrate, seed, grow the social data and make the residents; answer what they need."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    data = residents(options.people, options.users)
    from django.db import connections

    connections.close_all()
    return data


def residents(people: int, users: int) -> dict:
    """After the seed: `people` people grown with `bench/scale.py`'s SQL, the first `users` of
    them verified residents with a session each; answers what the residents need."""
    from django.conf import settings

    from agora.accounts.models import User, Verification
    from agora.proposals.models import Proposal
    from bench import scale

    ids = scale.prepare()
    scale.grow(ids, 1, people)
    acting = User.objects.filter(pk__gt=ids["base"], pk__lte=ids["base"] + users).order_by("pk")
    acting.update(verification=Verification.VERIFIED_RESIDENT)
    return {
        "base": ids["base"],
        "cookies": [
            f"{settings.SESSION_COOKIE_NAME}={run.signed_in_session(person)}" for person in acting
        ],
        "proposals": list(Proposal.objects.order_by("pk").values_list("pk", flat=True)[:50]),
        "handles": [f"scale{number}" for number in range(1, min(people, 5000) + 1)],
        "cases": routable_requests(),
        "questions": questions(),
    }


# A small HTTP/1.1 client ------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: str

    def location(self) -> str:
        target = self.headers.get("location", [""])[0]
        parts = urlsplit(target)
        return parts.path + (f"?{parts.query}" if parts.query else "") if parts.netloc else target


class FormFields(HTMLParser):
    """The forms of a page: their action and the values a browser would send unchanged (hidden
    and filled inputs, checked boxes, selected options, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action") or "",
                    "method": attributes.get("method"),
                    "fields": {},
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    fields[name] = attributes.get("value") or "on"
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                fields.setdefault(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in attributes or self._select not in fields:
                fields[self._select] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(page: str) -> list[dict]:
    parser = FormFields()
    parser.feed(page)
    return parser.forms


def form_to(page: str, action: re.Pattern) -> dict | None:
    for form in forms_of(page):
        if action.search(html.unescape(form["action"])):
            return form
    return None


class Person:
    """One resident: a session cookie, the cookies the site sets, one kept-alive connection."""

    def __init__(self, port: int, cookie: str, timeout: float, record):
        self.port = port
        self.cookies = dict([cookie.split("=", 1)])
        self.timeout = timeout
        self.record = record
        self.reader = self.writer = None
        self.last_used = 0.0

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def _exchange(self, raw: bytes) -> Answer:
        self.writer.write(raw)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, list[str]] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _sep, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if headers.get("transfer-encoding", [""])[0].lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"][0]))
        else:
            body = await self.reader.read()
            await self.close()
        if "close" in headers.get("connection", [""])[0].lower():
            await self.close()
        return Answer(status, headers, body.decode("utf-8", "replace"))

    async def send(self, raw: bytes) -> tuple[Answer | None, str | None]:
        """One request over the kept connection: the answer, or what went wrong. A kept
        connection the server closed while the person was thinking is opened again, as a
        browser does (gunicorn keeps idle connections for 2 s)."""
        error = None
        for attempt in range(2):
            fresh = self.writer is None or time.monotonic() - self.last_used > 1.5
            try:
                if fresh:
                    await self.close()
                    self.reader, self.writer = await asyncio.open_connection(
                        "127.0.0.1", self.port, limit=2**22
                    )
                answer = await asyncio.wait_for(self._exchange(raw), self.timeout)
                self.last_used = time.monotonic()
                return answer, None
            except TimeoutError:
                await self.close()
                return None, "timeout"
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as failure:
                await self.close()
                error = f"connection: {type(failure).__name__}"
                if fresh or attempt:
                    break
        return None, error

    async def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict | None = None,
        *,
        expect: tuple[int, ...] = (200,),
        contains: str = "",
    ) -> Answer | None:
        """Send one request and record its time under `kind`; a failure (no answer, a status
        not in `expect`, an answer without `contains`) is recorded and answers None."""
        body = urlencode(form or {}).encode() if method == "POST" else b""
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        lines = [
            f"{method} {path} HTTP/1.1",
            "Host: 127.0.0.1",
            f"Cookie: {cookie}",
            "Accept: text/html",
            "Accept-Language: en",
        ]
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        answer, error = await self.send(raw)
        elapsed = time.perf_counter() - started
        if answer is not None:
            for value in answer.headers.get("set-cookie", []):
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if answer is not None and answer.status not in expect:
            error = f"HTTP {answer.status}"
        elif answer is not None and contains not in answer.body:
            error = f"answer without {contains!r}"
        self.record(kind, elapsed, error)
        return None if error else answer


# The residents' actions -------------------------------------------------------------------

POST_LINK = re.compile(r'href="/posts/(\d+)/"')
LIKE = re.compile(r"^/posts/\d+/like$")
COMMENT = re.compile(r"^/posts/\d+/comment$")
SUPPORT = re.compile(r"^/proposals/\d+/(support|withdraw-support)/$")
CASE_DETAILS = re.compile(r"^/cases/new/$")
CASE_SEND = re.compile(r"^/cases/new/check/$")


class Resident:
    def __init__(self, person: Person, data: dict, rng: random.Random):
        self.person, self.data, self.rng = person, data, rng
        self.posts: list[str] = []

    async def home_feed(self):
        answer = await self.person.request("home feed", "GET", "/home/", contains='class="feed"')
        if answer:
            self.posts = POST_LINK.findall(answer.body) or self.posts

    async def who_handles_this(self):
        query = urlencode({"q": self.rng.choice(self.data["questions"]), "area": ""})
        await self.person.request(
            "who handles this?", "GET", f"/directory/ask/?{query}", contains='id="answer-heading"'
        )

    async def a_post(self) -> Answer | None:
        if not self.posts:
            await self.home_feed()
        if not self.posts:
            return None
        return await self.person.request(
            "read a post", "GET", f"/posts/{self.rng.choice(self.posts)}/"
        )

    async def read_a_post(self):
        await self.a_post()

    async def like(self):
        page = await self.a_post()
        form = page and form_to(page.body, LIKE)
        if form:
            await self.person.request(
                "like", "POST", form["action"], form["fields"], expect=(200, 302, 303)
            )

    async def comment(self):
        page = await self.a_post()
        form = page and form_to(page.body, COMMENT)
        if form:
            fields = {**form["fields"], "body": self.rng.choice(COMMENTS)}
            await self.person.request("comment", "POST", form["action"], fields, expect=(302, 303))

    async def support_a_proposal(self):
        proposal = self.rng.choice(self.data["proposals"])
        page = await self.person.request("a proposal", "GET", f"/proposals/{proposal}/")
        form = page and form_to(page.body, SUPPORT)
        if form:
            await self.person.request(
                "support a proposal", "POST", form["action"], form["fields"], expect=(302, 303)
            )

    async def open_a_case(self):
        case = self.rng.choice(self.data["cases"])
        page = await self.person.request("case: form", "GET", "/cases/new/")
        form = page and form_to(page.body, CASE_DETAILS)
        if not form:
            return
        fields = {**form["fields"], **case}
        fields.pop("find_place", None)
        answer = await self.person.request(
            "case: details", "POST", "/cases/new/", fields, expect=(302, 303)
        )
        if not answer:
            return
        page = await self.person.request("case: check", "GET", answer.location())
        form = page and form_to(page.body, CASE_SEND)
        if form:
            await self.person.request(
                "case: send", "POST", form["action"], form["fields"], expect=(302, 303)
            )

    async def my_cases(self):
        await self.person.request("my cases", "GET", "/cases/")

    async def a_profile(self):
        handle = self.rng.choice(self.data["handles"])
        await self.person.request("a profile", "GET", f"/@{handle}/")

    ACTIONS = {
        "home feed": home_feed,
        "who handles this?": who_handles_this,
        "read a post": read_a_post,
        "like": like,
        "comment": comment,
        "support a proposal": support_a_proposal,
        "open a case": open_a_case,
        "my cases": my_cases,
        "a profile": a_profile,
    }

    async def live(self, until: float, think: float, start_within: float):
        await asyncio.sleep(self.rng.uniform(0, start_within))
        kinds, weights = list(MIX), list(MIX.values())
        await self.home_feed()  # where a signed-in person lands
        while time.monotonic() < until:
            pause = self.rng.expovariate(1 / think) if think else 0
            await asyncio.sleep(min(pause, until - time.monotonic()))
            if time.monotonic() >= until:
                break
            kind = self.rng.choices(kinds, weights)[0]
            await self.ACTIONS[kind](self)
        await self.person.close()


@dataclass
class Tally:
    """Each kind's latencies and errors from `measure_from` (time.monotonic()) on; what came
    before, during the warm-up, is only counted."""

    measure_from: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    warmup_requests: int = 0
    warmup_errors: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)  # successes, warm-up included

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        if not error:
            self.answered[kind] = self.answered.get(kind, 0) + 1
        if time.monotonic() < self.measure_from:
            self.warmup_requests += 1
            if error:
                name = f"{kind}: {error}"
                self.warmup_errors[name] = self.warmup_errors.get(name, 0) + 1
            return
        self.latencies.setdefault(kind, []).append(seconds)
        if error:
            kinds = self.errors.setdefault(kind, {})
            kinds[error] = kinds.get(error, 0) + 1

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(sum(found.values()) for found in self.errors.values())

    def histogram(self, kind: str | None = None) -> tools.Histogram:
        values = (
            self.latencies[kind]
            if kind
            else [value for found in self.latencies.values() for value in found]
        )
        counts: dict[int, int] = {}
        for seconds in values:
            microseconds = round(seconds * 1_000_000)
            counts[microseconds] = counts.get(microseconds, 0) + 1
        return sorted(counts.items())

    def ms(self, q: float, kind: str | None = None) -> float:
        return tools.percentile(self.histogram(kind), q) / 1000


async def act(port: int, data: dict, options, snapshot) -> tuple[Tally, float, tuple]:
    """The residents' run: they arrive over the first seconds of the warm-up and act until the
    end of the measured time; answers the tally, the measured seconds and the `snapshot()`s
    taken when the measured time began and when the last resident finished."""
    rng = random.Random(options.seed)
    started = time.monotonic()
    tally = Tally(measure_from=started + options.warmup)
    until = tally.measure_from + options.seconds
    residents = [
        Resident(
            Person(port, cookie, options.timeout, tally.record), data, random.Random(rng.random())
        )
        for cookie in data["cookies"][: options.users]
    ]

    async def measured_from():
        await asyncio.sleep(options.warmup)
        return snapshot()

    before = asyncio.ensure_future(measured_from())
    arrival = max(1.0, min(10.0, options.warmup or options.seconds / 6))
    await asyncio.gather(*(resident.live(until, options.think, arrival) for resident in residents))
    return tally, time.monotonic() - tally.measure_from, (await before, snapshot())


# The run ----------------------------------------------------------------------------------


def cpu_snapshot(groups: dict[str, int], database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each process of the server's and the worker's process groups,
    and of the database's backends."""
    found = {
        name: {pid: tools.process_cpu_seconds(pid) for pid in run.group_members(group)}
        for name, group in groups.items()
    }
    found["postgresql"] = {
        pid: tools.process_cpu_seconds(pid) for pid in tools.database_backends(database)
    }
    return found


def supportable(port: int, data: dict) -> list[int]:
    """The proposals whose page offers a resident the support form (in a support phase)."""
    found = []
    for proposal in data["proposals"]:
        status, page = run.fetch(
            f"http://127.0.0.1:{port}/proposals/{proposal}/", {"Cookie": data["cookies"][0]}
        )
        if status == 200 and form_to(page, SUPPORT):
            found.append(proposal)
    if not found:
        raise BenchError("no proposal offers the support form; nothing to support")
    return found


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main(argv=None) -> int:
    options = parse_arguments(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    var_dir = Path(tempfile.mkdtemp(prefix="agora-bench-load-"))
    database_url = f"{options.server}/{options.database}"
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, var_dir, ignore_errors=True)
        try:
            postgres_version = run.recreate_database(options.server, options.database)
            if not options.keep:
                stack.callback(run.drop_database, options.server, options.database)
            run.production_environment(database_url, var_dir)
            flush_redis(options.redis)
            os.environ["REDIS_URL"] = options.redis
            # Writing limits per account (`core.ratelimit`): a resident scripted to act every
            # few seconds for ten minutes comments more than anyone writing by hand may.
            for name in ("AGORA_POST_RATE", "AGORA_COMMENT_RATE"):
                os.environ[name] = "0"
            os.environ["AGORA_TRUST_LIMITS"] = "0"
            print("Migrating, seeding, growing the data", flush=True)
            started = time.perf_counter()
            data = prepare(options)
            print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
            port = run.free_port()
            log = var_dir / "serve.log"
            server = run.start_serving(
                port, log, stack, workers=options.web_workers, threads=options.web_threads
            )
            worker = run.start_process(
                [sys.executable, "-m", "agora.cli", "worker"], log=var_dir / "worker.log"
            )
            stack.callback(run.stop_process, worker)
            run.wait_until_serving(f"http://127.0.0.1:{port}", server, log)
            groups = {"gunicorn": server.pid, "worker": worker.pid}
            data["proposals"] = supportable(port, data)
            serving = run.ServingCpu(server.pid, options.database)
            serving.snapshot = lambda: {
                pid: seconds
                for part in cpu_snapshot(groups, options.database).values()
                for pid, seconds in part.items()
            }
            print(
                f"{options.users} people for {options.seconds} s (think {options.think} s)",
                flush=True,
            )
            with run.CpuAccount(serving) as account:
                run_started = datetime.now(UTC)
                tally, seconds, (before, after) = asyncio.run(
                    act(port, data, options, lambda: cpu_snapshot(groups, options.database))
                )
            spent = {name: tools.cpu_spent(before[name], after[name]) for name in before}
            written = stored(data["base"], options.users, run_started)
            if not tally.requests:
                raise BenchError(f"no request was answered:\n{run.tail(log)}")
            server_errors = run.tail(log, lines=20, without="127.0.0.1 - ")
        except run.BenchError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
    figures = {
        "tally": tally,
        "seconds": seconds,
        "cpu": spent,
        "other_share": account.other_share,
        "load": (account.load_before, account.load_after),
        "postgres": postgres_version,
        "stored": written,
    }
    section = render(options, figures)
    print(section, flush=True)
    if tally.error_count:
        print(f"\nThe server's log ends with:\n{server_errors}", file=sys.stderr)
    if not options.no_write:
        document = ROOT / "docs" / "performance.md"
        document.write_text(tools.replace_section(document.read_text(), "load", section))
    slow = [kind for kind in tally.latencies if tally.ms(99, kind) >= P99_LIMIT_MS]
    failed = tally.error_count or tally.warmup_errors or lost(tally, written)
    return 1 if failed or slow else 0


def answered(tally: "Tally", kind: str) -> int:
    return tally.answered.get(kind, 0)


def lost(tally: "Tally", written: dict[str, int]) -> list[str]:
    """Writes that got a success answer but are not in the database."""
    expected = {"cases": answered(tally, "case: send"), "comments": answered(tally, "comment")}
    return [
        f"{name}: {expected[name]} sent, {written[name]} stored"
        for name in expected
        if expected[name] != written[name]
    ]


def render(options, figures) -> str:
    tally: Tally = figures["tally"]
    seconds = figures["seconds"]
    requests = tally.requests
    cpu_ms = sum(figures["cpu"].values()) * 1000 / requests
    ceiling = (os.cpu_count() or 1) * 1000 / cpu_ms
    lines = [
        f"## Load: {options.users} residents at once for {options.seconds} s",
        "",
        f"Written by `bench/load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rerun it "
        "rather than editing this section.",
        "",
        f"- **Command:** `.venv/bin/python bench/load.py --users {options.users} --seconds "
        f"{options.seconds} --think {options.think:g} --people {options.people}`"
        + (
            ""
            if (options.users, options.seconds) == (200, 600)
            else "; the issue's full size is `.venv/bin/python bench/load.py` (200 residents "
            "for 600 s), to run on a quiet machine"
        )
        + ".",
        f"- **Machine:** {os.cpu_count()} CPUs, shared with other engineers' test runs while "
        "this ran, so the latencies include waiting for a CPU they held; other processes used "
        f"{figures['other_share']:.0%} of them while the residents acted (load average "
        f"{figures['load'][0]:.1f} before, {figures['load'][1]:.1f} after). PostgreSQL "
        f"{figures['postgres']}, Redis and the load itself on the same machine.",
        f"- **Server:** `agora serve`, gunicorn {options.web_workers} workers × "
        f"{options.web_threads} threads, production settings, `REDIS_URL` set (cache, "
        "sessions, rate counters, task queue through RQ), `agora worker` beside it. The "
        "per-account writing limits are off (`AGORA_POST_RATE`, `AGORA_COMMENT_RATE`, "
        "`AGORA_TRUST_LIMITS`): scripted residents write more than a person may.",
        f"- **Data:** `agora seed`, then {options.people:,} people with 10 posts, 25 follows "
        "and 25 likes each (`bench/scale.py`'s SQL); the residents are the first "
        f"{options.users} of them, verified, signed in by a session cookie.",
        f"- **Residents:** coroutines of one process over kept-alive connections; between two "
        f"actions each waits an exponential think time of {options.think:g} s on average; "
        "actions by weight: "
        + ", ".join(f"{kind} {weight}" for kind, weight in MIX.items())
        + ". A like or a comment reads the post first; supporting reads the proposal "
        "(supports or withdraws, whichever its form offers); opening a case is the form, the "
        "details, the check page and sending.",
        "",
        f"**{requests:,} requests in {seconds:.0f} s: {requests / seconds:.1f} per second, "
        f"{tally.error_count} errors; CPU per request "
        f"{figures['cpu']['gunicorn'] * 1000 / requests:.1f} ms in gunicorn + "
        f"{figures['cpu']['postgresql'] * 1000 / requests:.1f} ms in PostgreSQL + "
        f"{figures['cpu']['worker'] * 1000 / requests:.1f} ms in the worker.** Before that, "
        f"{options.warmup} s of warm-up (the residents arriving, the workers' first "
        f"requests): {tally.warmup_requests:,} requests, not in the figures, "
        + (
            "with errors: "
            + ", ".join(f"{name} {count}" for name, count in tally.warmup_errors.items())
            + "."
            if tally.warmup_errors
            else "no error."
        ),
        "",
        f"At {cpu_ms:.1f} ms of CPU per request (gunicorn, PostgreSQL and the worker), "
        f"{os.cpu_count()} CPUs serve at most about {ceiling:.0f} requests a second, with "
        "nothing left for the residents' own process; this run offered "
        f"{requests / seconds:.0f}. With the same think time, {options.users} residents "
        f"offer about {requests / seconds / options.users:.2f} requests a second each, so "
        f"200 offer about {requests / seconds / options.users * 200:.0f}.",
        "",
        f"Stored afterwards: {figures['stored']['cases']} cases for "
        f"{answered(tally, 'case: send')} sent, {figures['stored']['comments']} comments for "
        f"{answered(tally, 'comment')} sent"
        + (
            f" (**{'; '.join(lost(tally, figures['stored']))}**)."
            if lost(tally, figures["stored"])
            else "."
        ),
        "",
        "| request | count | errors | p50 | p99 |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in sorted(tally.latencies, key=lambda kind: -len(tally.latencies[kind])):
        errors = tally.errors.get(kind, {})
        shown = ", ".join(f"{name}: {count}" for name, count in errors.items()) or "0"
        lines.append(
            f"| {kind} | {len(tally.latencies[kind]):,} | {shown} "
            f"| {tally.ms(50, kind):.0f} ms | {tally.ms(99, kind):.0f} ms |"
        )
    lines.append(
        f"| **all** | {requests:,} | {tally.error_count} | {tally.ms(50):.0f} ms "
        f"| {tally.ms(99):.0f} ms |"
    )
    slow = [kind for kind in tally.latencies if tally.ms(99, kind) >= P99_LIMIT_MS]
    lines += [
        "",
        f"Times are from sending a request to reading its whole answer, measured by the "
        "residents' process, so they include waiting in gunicorn's queue and for a CPU. "
        f"**Target** (no error, p99 under {P99_LIMIT_MS:.0f} ms for every kind): "
        + (
            "met."
            if not slow and not tally.error_count
            else "**not met**"
            + (f" (p99 over for: {', '.join(slow)})" if slow else "")
            + (f" ({tally.error_count} errors)" if tally.error_count else "")
            + "."
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
