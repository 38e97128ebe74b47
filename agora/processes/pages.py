"""Slots of the process page (`core.sections`) that later participation apps fill from their
AppConfig's `ready`, so processes never imports them: `PROCESS_TOP` (under the timeline: a
count, a call to act) and `PROCESS_BODY` (the proposals, the petitions, the results of the
process). A part takes `(request, process)` and answers a Section or None.

The page as visitors who are not signed in see it is kept (`VISITORS_PAGES`, a
`core.pagecache` page) for at most `VISITORS_PAGE_SECONDS`, per process, language and the
query parameters the parts read (a list's filters, order and cursor), which a part declares
with `share_query(...)`. A part whose rows should show at once when they change says so with
`VISITORS_PAGES.watch(Model)`; what changes without a save (a count raised with `F()`) may lag
by at most that time. A part's short list that is the same for every reader is kept the same
way for signed-in readers too (`keep_short_list`, `short_list`)."""

from collections.abc import Callable

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
#: its petitions, its coming meetings), by name: `read(process)` answers them.
SHORT_LISTS: dict[str, Callable[[Process], object]] = {}


def share_query(*names: str) -> None:
    """A part reads these query parameters: visitors' pages are kept for each of their values."""
    SHARED_QUERY.update(names)


def keep_short_list(name: str, read: Callable[[Process], object]) -> None:
    """A part's list that is the same for every reader: read for all the parts at once, kept
    with the visitors' pages (per process, language and generation, at most
    `VISITORS_PAGE_SECONDS`), so a signed-in reader's page, never kept whole, reads them in
    one cache lookup instead of a query each. The part's models must be watched
    (`VISITORS_PAGES.watch`) for a change to show at once."""
    SHORT_LISTS[name] = read


def short_list(process: Process, name: str):
    """The kept list `name` of the process (all of them read at once when not kept)."""
    lists = process.__dict__.get("_short_lists")
    if lists is None:
        lists = VISITORS_PAGES.kept(
            lambda: {key: read(process) for key, read in SHORT_LISTS.items()},
            "short-lists",
            str(process.pk),
        )
        process.__dict__["_short_lists"] = lists
    if name not in lists:
        # Kept by a server that did not know this list yet (during a deploy): read it.
        return SHORT_LISTS[name](process)
    return lists[name]
