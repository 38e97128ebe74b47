"""The proposals' parts of other apps' pages: on the process page (processes' slots) the list
of proposals with its filters, sorts and paging (PROCESS_BODY) and the count of overdue
answers (PROCESS_TOP); on an office's accountability page (cases' slot ACCOUNTABILITY) how
the proposals that reached their threshold were answered against the clock."""

import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.cases.pages import ACCOUNTABILITY
from agora.core.sections import Section
from agora.processes import features
from agora.processes.pages import PROCESS_BODY, PROCESS_TOP
from agora.proposals import queries
from agora.proposals.models import ProposalState

PAGE_SIZE = 20
SORT_LABELS = [
    ("newest", _("Newest")),
    ("supported", _("Most supported")),
    ("commented", _("Most commented")),
    ("random", _("Random order")),
]


def _chosen(options, value):
    try:
        wanted = int(value or "")
    except ValueError:
        return None
    return next((option for option in options if option.pk == wanted), None)


def _seed(request) -> int:
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = 0
    if seed in queries.SEED_RANGE:
        return seed
    if request.user.is_authenticated:
        return request.user.pk % (queries.SEED_RANGE.stop - 1) + 1
    return secrets.randbelow(queries.SEED_RANGE.stop - 1) + 1


def proposal_list(request, process) -> Section:
    """The process's proposals: filters and sorts from the query string, one page."""
    topics = list(process.topics.all())
    areas = list(process.areas.all())
    topic = _chosen(topics, request.GET.get("topic"))
    area = _chosen(areas, request.GET.get("area"))
    state = request.GET.get("state", "")
    state = state if state in queries.STATES else ""
    mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    sort = request.GET.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    seed = _seed(request) if sort == "random" else None
    rows = queries.filtered(process, request.user, topic=topic, area=area, state=state, mine=mine)
    page = queries.page(
        rows, sort=sort, cursor=request.GET.get("after"), size=PAGE_SIZE, seed=seed or 1
    )
    now = timezone.now()
    return Section(
        "proposals/_process_proposals.html",
        {
            "proposals": [(proposal, proposal.is_overdue(now)) for proposal in page.items],
            "more": page.next_cursor,
            "filters": {
                "topic": topic.pk if topic else "",
                "area": area.pk if area else "",
                "state": state,
                "mine": mine,
                "sort": sort,
                "seed": seed or "",
            },
            "topics": topics,
            "areas": areas,
            "states": ProposalState.choices,
            "sorts": SORT_LABELS,
            "may_propose": features.can_act(request.user, features.PROPOSE, process),
            "process": process,
        },
    )


def overdue_answers(request, process) -> Section | None:
    count = queries.visible(request.user).filter(process=process)
    count = count.filter(
        state=ProposalState.AWAITING_ANSWER, answer_due_at__lt=timezone.now()
    ).count()
    if not count:
        return None
    return Section("proposals/_overdue.html", {"overdue": count, "process": process})


def answers_on_the_clock(request, office) -> Section | None:
    """On the accountability page, beside the cases: the proposals that reached their
    threshold, answered on time, answered late, overdue and awaiting within their time."""
    figures = queries.answer_figures(office=office, now=timezone.now())
    if not any(figures.values()):
        return None
    return Section("proposals/_accountability.html", {"figures": figures, "office": office})


def connect() -> None:
    ACCOUNTABILITY.add(answers_on_the_clock, order=20)
    PROCESS_TOP.add(overdue_answers, order=40)
    PROCESS_BODY.add(proposal_list, order=20)
