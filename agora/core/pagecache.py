"""Pages and parts of pages that are the same for many people, rendered once per change.

A `PageCache` names what it holds and the models it is made of. Saving or deleting one of
those models, or moving one through its lifecycle (`agora.core.lifecycle`, which updates
without saving and sends `changed`), starts a new generation: what was cached before is
never served again and expires on its own.

- `fragment(build)` answers a string that is the same for every visitor in a language, built
  by `build()` on the first request of a generation.
- `page(request, render, person=)` answers a whole page: one for every anonymous visitor, and
  one per signed-in person when `person` says what of them the page shows. The page is
  rendered once, with a stand-in for the CSRF token, and everyone gets it with a token of
  their own, and fresh one-time form tokens, as if rendered for them. A request with
  messages waiting to be shown, or with a query string holding more than the parameters
  named in `query=`, is rendered as usual.

A `PageCache` made with `hot_seconds=` also keeps a visitor's copy of its pages in each
process's memory for that long (`HotPagesMiddleware`): a visitor who brings no session and no
cookie but the CSRF and language ones is answered before the middleware stack and the view run,
with a CSRF token and one-time form tokens of their own and the headers the page was first
sent with. It is for a page thousands reload at once (a petition in a surge): what the kept
page shows may then lag by `hot_seconds` more.

`kept_each(name, rows, version, render)` is for the items of a list: each item's fragment is
kept by what it shows (`version(row)`), not by a generation, so that a change to one item
renders that one again and not the nineteen around it.

The cache is Django's: Redis, or files shared by the processes of one machine, so one render
serves every worker. What is kept is rendered from the primary database, never a read replica
(`core.replicas.primary_reads`): a replica may not have replayed the change that started the
generation yet.
"""

import hashlib
import re
import secrets
import string
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from agora.core.metrics import route_of
from agora.core.replicas import primary_reads
from agora.core.signals import changed
from agora.core.transactions import on_commit_once

#: How long a generation's pages are kept at most, in seconds: a bound on anything a watched
#: model's signals cannot see (a bulk update, another site's process writing the database).
MAX_AGE = 600

#: A page form's one-time token (`core.formonce`), written anew in each copy of a kept page:
#: two sends of one kept form are two submissions, not one sent twice.
FORM_ONCE = re.compile(rb'name="form_once" value="[0-9a-f]{32}"')


def fresh_form_once() -> bytes:
    return b'name="form_once" value="' + uuid.uuid4().hex.encode() + b'"'


def kept_each(
    name: str,
    rows: Iterable,
    version: Callable[[object], tuple],
    render: Callable[[object], str],
    *,
    max_age: int,
) -> list[str]:
    """Each row's fragment, `render(row)`, kept for `max_age` seconds under `version(row)`
    (everything of the row the fragment shows that may change: counts, state, edits) and the
    language and time zone. One read of the cache for the whole list, one write for the rows
    rendered anew. What `version` leaves out (a name elsewhere) may lag by `max_age`."""
    rows = list(rows)
    language = translation.get_language() or ""
    zone = timezone.get_current_timezone_name()
    keys = []
    for row in rows:
        parts = "\x1f".join((language, zone, *(str(part) for part in version(row))))
        digest = hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
        keys.append(f"kept:{name}:{digest}")
    found = cache.get_many(keys)
    rendered = {}
    texts = []
    for key, row in zip(keys, rows, strict=True):
        text = found.get(key)
        if text is None:
            text = rendered[key] = render(row)
        texts.append(text)
    if rendered:
        cache.set_many(rendered, timeout=max_age)
    return texts


def personal_copy(request, stand_in: bytes, content: bytes) -> bytes:
    """A kept page's content with this request's CSRF token and fresh one-time form tokens."""
    token = get_token(request).encode()
    return FORM_ONCE.sub(lambda _match: fresh_form_once(), content.replace(stand_in, token))


# Hot copies ------------------------------------------------------------------------------------

#: How many hot copies a process holds at most (the least recently read go first): a few
#: pages in a surge, each in a few languages.
HOT_COPIES = 64
CSRF_SECRET_CHARACTERS = frozenset(string.ascii_letters + string.digits)


@dataclass(frozen=True)
class _HotCopy:
    until: float
    stand_in: bytes
    content: bytes
    headers: tuple
    route: str


class HotPagesMiddleware:
    """Answers a visitor from this process's hot copy of a kept page (`PageCache(hot_seconds=)`),
    before the rest of the middleware stack; keeps the copy, headers included, as the page
    leaves the stack the first time. Only for GET requests whose cookies cannot change the
    page: none but the CSRF token's and the chosen language's. The key is the request's host,
    scheme, path, query string, `Accept-Language` and language cookie, as sent."""

    clock = staticmethod(time.monotonic)

    def __init__(self, get_response):
        self.get_response = get_response
        self.copies: OrderedDict[tuple, _HotCopy] = OrderedDict()
        self.lock = threading.Lock()
        self.plain_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        now = self.clock()
        with self.lock:
            copy = self.copies.get(key)
            if copy is not None:
                if copy.until > now:
                    self.copies.move_to_end(key)
                else:
                    del self.copies[key]
                    copy = None
        if copy is not None:
            return self._answer(request, copy)
        response = self.get_response(request)
        hot = getattr(response, "hot_copy", None)
        if (
            hot is not None
            and response.status_code == 200
            and not response.cookies.get(settings.SESSION_COOKIE_NAME)
        ):
            seconds, stand_in, content = hot
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() != "content-length"
            )
            route = route_of(request)
            with self.lock:
                self.copies[key] = _HotCopy(now + seconds, stand_in, content, headers, route)
                while len(self.copies) > HOT_COPIES:
                    self.copies.popitem(last=False)
        return response

    def _key(self, request) -> tuple | None:
        if request.method != "GET" or not set(request.COOKIES) <= self.plain_cookies:
            return None
        # The host and scheme too: a copy made for a host the stack let through, over HTTPS,
        # is not given to a request the stack would refuse or redirect.
        return (
            request.META.get("HTTP_HOST", ""),
            request.scheme,
            request.path,
            request.META.get("QUERY_STRING", ""),
            request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        )

    def _answer(self, request, copy: _HotCopy) -> HttpResponse:
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        fresh = len(secret) != 32 or not set(secret) <= CSRF_SECRET_CHARACTERS
        if not fresh:
            request.META["CSRF_COOKIE"] = secret  # as CsrfViewMiddleware would take it
        content = personal_copy(request, copy.stand_in, copy.content)
        response = HttpResponse(content)
        for name, value in copy.headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        if fresh:
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                request.META["CSRF_COOKIE"],
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
        request.metrics_route = copy.route
        return response


#: The longest value of a query parameter a shared page is kept for: longer ones (nothing the
#: site links to) are rendered as usual rather than each filling the cache.
QUERY_VALUE_MAX = 40


class PageCache:
    def __init__(self, name: str, *, max_age: int = MAX_AGE, hot_seconds: int = 0) -> None:
        self.name = name
        self.max_age = max_age
        self.hot_seconds = hot_seconds
        self._watched: set[type] = set()

    def __repr__(self) -> str:
        return f"<PageCache {self.name}: {len(self._watched)} models>"

    # Generations -----------------------------------------------------------------------------

    @property
    def _generation_key(self) -> str:
        return f"pagecache:{self.name}:generation"

    def generation(self) -> str:
        current = cache.get(self._generation_key)
        if current is None:
            current = uuid.uuid4().hex
            # Another process may have started one meanwhile: the one stored wins.
            if not cache.add(self._generation_key, current, timeout=None):
                current = cache.get(self._generation_key, current)
        return current

    def invalidate(self, **_signal_arguments) -> None:
        """Start a new generation now, and again once the current transaction commits, so
        that a page rendered in between from what was not yet committed is not kept."""
        cache.set(self._generation_key, uuid.uuid4().hex, timeout=None)
        if transaction.get_connection().in_atomic_block:
            on_commit_once(
                f"pagecache:{self.name}",
                lambda: cache.set(self._generation_key, uuid.uuid4().hex, timeout=None),
            )

    def watch(self, *models: type) -> None:
        """Start a new generation whenever one of `models` is saved, deleted or `changed`."""
        for model in models:
            if model in self._watched:
                continue
            self._watched.add(model)
            uid = f"pagecache:{self.name}:{model._meta.label}"
            for signal in (post_save, post_delete, changed):
                signal.connect(self.invalidate, sender=model, weak=False, dispatch_uid=uid)

    def _key(self, *parts: str, generation: str | None = None) -> str:
        language = translation.get_language() or ""
        zone = timezone.get_current_timezone_name()
        # Paths and names may hold anything: a digest keeps the key short and plain.
        digest = hashlib.blake2b("\x1f".join((language, zone, *parts)).encode(), digest_size=16)
        return f"pagecache:{self.name}:{generation or self.generation()}:{digest.hexdigest()}"

    # What is cached --------------------------------------------------------------------------

    def fragment(self, build: Callable[[], str], *parts: str) -> str:
        key = self._key("fragment", *parts)
        text = cache.get(key)
        if text is None:
            with primary_reads():
                text = build()
            cache.set(key, text, timeout=self.max_age)
        return text

    @staticmethod
    def kept_together(wanted: dict[str, tuple["PageCache", Callable[[], object], tuple]]) -> dict:
        """Values of several page caches at once, by name, each kept like a `fragment` but
        any value the cache can pickle (a few rows): `wanted` maps a name to (the page cache,
        how to build the value, the key's parts). Two cache lookups in all when everything is
        kept (the generations, then the values), instead of two for each; what is not kept
        is built and kept for its cache's `max_age`."""
        generations = cache.get_many({pages._generation_key for pages, _, _ in wanted.values()})
        keys = {
            name: pages._key(
                "kept",
                *parts,
                generation=generations.get(pages._generation_key) or pages.generation(),
            )
            for name, (pages, _build, parts) in wanted.items()
        }
        found = cache.get_many(list(keys.values()))
        values = {}
        for name, (pages, build, _parts) in wanted.items():
            if keys[name] in found:
                values[name] = found[keys[name]]
                continue
            with primary_reads():
                values[name] = build()
            cache.set(keys[name], values[name], timeout=pages.max_age)
        return values

    def page(
        self,
        request,
        render: Callable[[dict], HttpResponse],
        *,
        person: Callable[[object], tuple] | None = None,
        parts: tuple = (),
        query: Iterable[str] = (),
    ) -> HttpResponse:
        """The page `render(extra_context)` renders, from the cache when it was rendered for
        someone who would see the same. `render` must add `extra_context` to the template's
        context (it carries the CSRF token's stand-in).

        Anonymous visitors share one page. A signed-in person gets a page of their own when
        `person(request)` says everything the page shows of them (their id first, then names,
        counts): a change to any of them renders it again. Without `person`, or for a request
        with messages waiting, the page is rendered as usual. `parts` are more of the key:
        what the page shows that its watched models' signals cannot see (a row's state read by
        the view anyway). `query` names the query parameters the page may be kept for (a
        list's filters, order and cursor), each part of the key; a request with any other, or
        one of them twice or overlong, is rendered as usual."""
        asked = self._shareable(request, frozenset(query))
        if asked is None:
            return render({})
        if not request.user.is_authenticated:
            whose = ("visitor",)
        elif person is not None:
            whose = ("person", *(str(part) for part in person(request)))
        else:
            return render({})
        key = self._key("page", request.path, asked, *whose, *(str(part) for part in parts))
        stored = cache.get(key)
        if stored is None:
            stand_in = secrets.token_hex(16)
            with primary_reads():
                response = render({"csrf_token": stand_in})
            if response.status_code != 200 or response.streaming:
                return response
            stored = (stand_in.encode(), response.content, response["Content-Type"])
            cache.set(key, stored, timeout=self.max_age)
        stand_in, content, content_type = stored
        response = HttpResponse(
            personal_copy(request, stand_in, content), content_type=content_type
        )
        if self.hot_seconds and whose == ("visitor",):
            response.hot_copy = (self.hot_seconds, stand_in, content)
        return response

    @staticmethod
    def _shareable(request, query: frozenset) -> str | None:
        """The query string as part of the key ("" for none), or None when the request is not
        one to share."""
        if request.method not in ("GET", "HEAD") or len(get_messages(request)):
            return None
        asked = []
        for name, values in request.GET.lists():
            if name not in query or len(values) != 1 or len(values[0]) > QUERY_VALUE_MAX:
                return None
            asked.append(f"{name}={values[0]}")
        return "&".join(sorted(asked))
