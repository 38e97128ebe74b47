"""Slots of the process page (`core.sections`) that later participation apps fill from their
AppConfig's `ready`, so processes never imports them: `PROCESS_TOP` (under the timeline: a
count, a call to act) and `PROCESS_BODY` (the proposals, the petitions, the results of the
process). A part takes `(request, process)` and answers a Section or None.

The page as visitors who are not signed in see it is kept (`VISITORS_PAGES`, a
`core.pagecache` page) for at most `VISITORS_PAGE_SECONDS`, per process, language and the
query parameters the parts read (a list's filters, order and cursor), which a part declares
with `share_query(...)`. A part whose rows should show at once when they change says so with
`VISITORS_PAGES.watch(Model)`; what changes without a save (a count raised with `F()`) may lag
by at most that time. A part's short list that is the same for every reader is kept for
every reader, each until its own models change (`keep_short_list`, `short_list`)."""

from collections.abc import Callable
from functools import partial

from agora.core.pagecache import PageCache
from agora.core.sections import Slot
from agora.processes.models import Process

PROCESS_TOP = Slot("processes.PROCESS_TOP")
PROCESS_BODY = Slot("processes.PROCESS_BODY")

VISITORS_PAGE_SECONDS = 10
VISITORS_PAGES = PageCache("process-visitors", max_age=VISITORS_PAGE_SECONDS)

#: The query parameters the process page may be kept for (filled by the parts).
SHARED_QUERY: set[str] = set()

#: The short lists the parts read that are the same for every reader (a process's budgets,
#: its petitions, its coming meetings), by name: how to read one, and the page cache that
#: keeps it (watching the list's own models).
SHORT_LISTS: dict[str, tuple[Callable[[Process], object], PageCache]] = {}

#: How long a short list is kept at most, as long as a visitor's page: what changes without a
#: save (a petition's signature count raised with `F()`, one closed on its date) or with the
#: time alone (a meeting that has ended) shows within this, for everyone.
SHORT_LIST_SECONDS = VISITORS_PAGE_SECONDS


def share_query(*names: str) -> None:
    """A part reads these query parameters: visitors' pages are kept for each of their values."""
    SHARED_QUERY.update(names)


def keep_short_list(name: str, read: Callable[[Process], object], *watched: type) -> None:
    """A part's list that is the same for every reader, read by `read(process)` and kept per
    process and language until one of the `watched` models changes (at most
    `SHORT_LIST_SECONDS`): a change to a proposal leaves the budgets' list kept. The page
    reads all of them in two cache lookups (`PageCache.kept_together`), so a signed-in
    reader's page, never kept whole, and a visitor's page rendered after a change read from
    the database only the lists that changed."""
    kept = PageCache(f"process-list-{name}", max_age=SHORT_LIST_SECONDS)
    kept.watch(*watched)
    SHORT_LISTS[name] = (read, kept)


def short_list(process: Process, name: str):
    """The kept list `name` of the process (all of them looked up at once, once a request)."""
    lists = process.__dict__.get("_short_lists")
    if lists is None:
        lists = PageCache.kept_together(
            {
                key: (kept, partial(read, process), (str(process.pk),))
                for key, (read, kept) in SHORT_LISTS.items()
            }
        )
        process.__dict__["_short_lists"] = lists
    if name not in lists:  # registered after this request's lookup (tests)
        return SHORT_LISTS[name][0](process)
    return lists[name]
