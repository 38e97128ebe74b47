"""Slots of the process page (`core.sections`) that later participation apps fill from their
AppConfig's `ready`, so processes never imports them: `PROCESS_TOP` (under the timeline: a
count, a call to act) and `PROCESS_BODY` (the proposals, the petitions, the results of the
process). A part takes `(request, process)` and answers a Section or None.

The page as visitors who are not signed in see it is kept (`VISITORS_PAGES`, a
`core.pagecache` page) for at most `VISITORS_PAGE_SECONDS`, per process, language and the
query parameters the parts read (a list's filters, order and cursor), which a part declares
with `share_query(...)`. A part whose rows should show at once when they change says so with
`VISITORS_PAGES.watch(Model)`; what changes without a save (a count raised with `F()`) may lag
by at most that time."""

from agora.core.pagecache import PageCache
from agora.core.sections import Slot

PROCESS_TOP = Slot("processes.PROCESS_TOP")
PROCESS_BODY = Slot("processes.PROCESS_BODY")

VISITORS_PAGE_SECONDS = 10
VISITORS_PAGES = PageCache("process-visitors", max_age=VISITORS_PAGE_SECONDS)

#: The query parameters the process page may be kept for (filled by the parts).
SHARED_QUERY: set[str] = set()


def share_query(*names: str) -> None:
    """A part reads these query parameters: visitors' pages are kept for each of their values."""
    SHARED_QUERY.update(names)
