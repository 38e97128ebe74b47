"""The polls' part of the process page (processes' slot `PROCESS_BODY`): the process's polls,
each open or closed with a link to answer it or to its results, and for the process's
managers a link to build each one and to start a new one (one query for the polls)."""

from functools import partial

from django.utils import timezone

from agora.core.sections import Section
from agora.polls.models import Poll, Question, ResultsShown
from agora.polls.queries import polls_of_process
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES, keep_short_list, short_list
from agora.processes.permissions import can_manage_process


def process_polls(request, process) -> Section | None:
    # The page asks the same question of the person; it is kept on them for the request.
    manages = request.user.is_authenticated and can_manage_process(request.user, process)
    # What everyone sees is kept with the process's other short lists; its staff read theirs.
    polls = (
        polls_of_process(process, with_drafts=True)
        if manages
        else list(short_list(process, "polls"))
    )
    if not polls and not manages:
        return None
    now = timezone.now()
    for poll in polls:
        poll.closed = poll.is_closed(now)
        poll.results_public = poll.results_shown != ResultsShown.NEVER
    return Section(
        "polls/_process_polls.html", {"polls": polls, "manages": manages, "process": process}
    )


def connect() -> None:
    PROCESS_BODY.add(process_polls, order=35)
    keep_short_list("polls", partial(polls_of_process, with_drafts=False), Poll, Question)
    # A visitor's kept process page shows a new poll, and one whose first question is added,
    # at once.
    VISITORS_PAGES.watch(Poll, Question)
