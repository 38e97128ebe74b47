"""The proposals' parts of other apps' pages: on the process page (processes' slots) the list
of proposals with its filters, sorts and paging (PROCESS_BODY) and the count of overdue
answers (PROCESS_TOP); on an office's accountability page (cases' slot ACCOUNTABILITY) how
the proposals that reached their threshold were answered against the clock."""

import secrets
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agora.cases.pages import ACCOUNTABILITY
from agora.core.pagecache import QUERY_VALUE_MAX, PageCache, kept_each
from agora.core.sections import Section
from agora.processes import features
from agora.processes.pages import PROCESS_BODY, PROCESS_TOP, VISITORS_PAGES, share_query
from agora.proposals import queries
from agora.proposals.models import Proposal, ProposalState

PAGE_SIZE = 20
SORT_LABELS = [
    ("newest", _("Newest")),
    ("supported", _("Most supported")),
    ("commented", _("Most commented")),
    ("random", _("Random order")),
]


#: The list's items as everyone sees them (not "mine"), rendered once per process, filters,
#: order, cursor page, language and audience (visitors, or people signed in, for the authors'
#: names their profiles show to members), and kept at most this many seconds: a proposal
#: saved (proposed, edited, answered, moderated, merged) starts a new generation at once; the
#: counts (raised with `F()`) and the order by them may lag by at most this.
LIST_SECONDS = 10
LISTS = PageCache("proposal-lists", max_age=LIST_SECONDS)

#: What the list reads from the query string: a visitor's process page is kept for each value.
QUERY = ("topic", "area", "state", "sort", "seed", "after")


class _Member:
    """Someone signed in, but nobody in particular: the viewer the shared items are rendered
    for, so that no one's own private profile shows in what others are given."""

    is_authenticated = True
    pk = None
    hide_counts = ""


class _QuietMember(_Member):
    """A member who chose to see no counts (`User.hide_counts`): their lists are kept apart."""

    hide_counts = "hidden"


def _item_version(audience: str, row) -> tuple:
    """What of a proposal its item in the list shows, besides names kept elsewhere (its
    author's, its topic's and area's), which may lag by `LIST_SECONDS`."""
    proposal, overdue = row
    return (
        audience,
        proposal.pk,
        proposal.version,
        proposal.state,
        proposal.answer,
        proposal.support_count,
        proposal.comment_count,
        proposal.topic_id,
        proposal.area_id,
        proposal.author_id,
        overdue,
    )


def _chosen(options, value):
    try:
        wanted = int(value or "")
    except ValueError:
        return None
    return next((option for option in options if option.pk == wanted), None)


def _seed(request) -> tuple[int, bool]:
    """The random order's seed, and whether it was drawn for this request alone."""
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = 0
    if seed in queries.SEED_RANGE:
        return seed, False
    if request.user.is_authenticated:
        return request.user.pk % (queries.SEED_RANGE.stop - 1) + 1, False
    return secrets.randbelow(queries.SEED_RANGE.stop - 1) + 1, True


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
    seed, drawn = _seed(request) if sort == "random" else (None, False)
    cursor = request.GET.get("after") or ""
    filters = {
        "topic": topic.pk if topic else "",
        "area": area.pk if area else "",
        "state": state,
        "mine": mine,
        "sort": sort,
        "seed": seed or "",
    }

    def items(viewer, shown, audience=None) -> str:
        rows = queries.filtered(process, shown, topic=topic, area=area, state=state, mine=mine)
        page = queries.page(rows, sort=sort, cursor=cursor, size=PAGE_SIZE, seed=seed or 1)
        now = timezone.now()
        listed = [(proposal, proposal.is_overdue(now)) for proposal in page.items]

        def render(row) -> str:
            proposal, overdue = row
            context = {"proposal": proposal, "overdue": overdue, "viewer": viewer}
            return render_to_string("proposals/_proposal_item.html", context)

        if audience is None:
            shown_items = [render(row) for row in listed]
        else:
            shown_items = kept_each(
                "proposal-item",
                listed,
                partial(_item_version, audience),
                render,
                max_age=LIST_SECONDS,
            )
        context = {
            "items": [mark_safe(item) for item in shown_items],  # noqa: S308 (ours, escaped)
            "more": page.next_cursor,
            "filters": filters,
        }
        return render_to_string("proposals/_proposal_items.html", context)

    if mine:
        # The person's own proposals, those moderation hid included: theirs alone.
        listed = items(request.user, request.user)
    else:
        # What everyone is shown: the proposals moderation leaves visible.
        audience = "member" if request.user.is_authenticated else "visitor"
        viewer = _Member() if request.user.is_authenticated else AnonymousUser()
        if getattr(request.user, "hides_counts", False):
            audience, viewer = "member-no-counts", _QuietMember()

        def build() -> str:
            return items(viewer, AnonymousUser(), audience)

        if drawn or len(cursor) > QUERY_VALUE_MAX:
            # A visitor's own random seed, or a cursor the list never links to: nobody else
            # asks for this page.
            listed = build()
        else:
            key = (process.pk, audience, *filters.values(), cursor)
            listed = LISTS.fragment(build, *(str(part) for part in key))
    return Section(
        "proposals/_process_proposals.html",
        {
            "items": mark_safe(listed),  # noqa: S308 (rendered by our template, escaped there)
            "filters": filters,
            "topics": topics,
            "areas": areas,
            "states": ProposalState.choices,
            "sorts": SORT_LABELS,
            "may_propose": features.can_act(request.user, features.PROPOSE, process),
            "process": process,
        },
    )


def overdue_answers(request, process) -> Section | None:
    """How many of the process's visible proposals are past their answer's due time: the same
    for everyone, kept with the lists."""

    def count() -> str:
        rows = queries.visible(AnonymousUser()).filter(
            process=process, state=ProposalState.AWAITING_ANSWER, answer_due_at__lt=timezone.now()
        )
        return str(rows.count())

    count = int(LISTS.fragment(count, "overdue", str(process.pk)))
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
    share_query(*QUERY)
    LISTS.watch(Proposal)
    VISITORS_PAGES.watch(Proposal)
