"""The petitions' part of the process page (processes' slot `PROCESS_BODY`): the process's
published petitions, newest first (one query), and a link to start one in it for those its
rule admits."""

from agora.core.sections import Section
from agora.moderation.models import ModerationState
from agora.petitions.models import Petition
from agora.petitions.models.petition import PUBLIC_STATES
from agora.petitions.permissions import signing_rule
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES, keep_short_list, short_list

SHOWN = 10


def _petitions(process) -> list[Petition]:
    return list(
        Petition.objects.filter(
            process=process, state__in=PUBLIC_STATES, moderation_state=ModerationState.VISIBLE
        ).order_by("-pk")[:SHOWN]
    )


def process_petitions(request, process) -> Section:
    rows = short_list(process, "petitions")
    may_start = signing_rule(request.user, Petition(process=process), phase=False)
    return Section(
        "petitions/_process_petitions.html",
        {"petitions": rows, "may_start": may_start, "process": process},
    )


def connect() -> None:
    PROCESS_BODY.add(process_petitions, order=30)
    keep_short_list("petitions", _petitions, Petition)
    VISITORS_PAGES.watch(Petition)  # a visitor's kept process page shows one published at once
