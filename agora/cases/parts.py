"""What cases add to the directory's pages (`directory.pages`): an office's response figures
over 30, 90 or 365 days (90 unless the page asks), in at most three aggregate queries; and,
under the answer to "Who handles this?", the next step: report it to that office or ask it,
with the words, the topic and the place carried into the case form."""

from django.http import QueryDict
from django.urls import reverse

from agora.cases import accountability
from agora.cases.permissions import is_any_official
from agora.core.sections import Section
from agora.directory import pages

STATISTICS_DEFAULT_DAYS = 90


def _statistics_days(request) -> int:
    try:
        days = int(request.GET.get("days", STATISTICS_DEFAULT_DAYS))
    except ValueError:
        return STATISTICS_DEFAULT_DAYS
    return days if days in accountability.PERIODS else STATISTICS_DEFAULT_DAYS


def office_figures(request, office) -> Section:
    figures = accountability.figures(_statistics_days(request), office=office)
    return Section(
        "cases/_office_figures.html",
        {
            "figures": figures,
            "statistics": {
                "to_acknowledge": figures.acknowledge_text,
                "to_answer": figures.answer_text,
            },
            "periods": accountability.PERIODS,
        },
    )


def report_from_answer(request, result) -> Section:
    """Links to the case form, filled in from the answer: the same topic and place, so the
    office named is the office that receives it."""
    links = {}
    for kind in ("report", "question"):
        query = QueryDict(mutable=True)
        query.update({"kind": kind, "topic": result.topic.slug, "words": result.text})
        if result.area is not None:
            query["area"] = result.area.slug
        links[kind] = query.urlencode()
    return Section("cases/_report_from_answer.html", {"office": result.office, "links": links})


def connect() -> None:
    pages.OFFICE_BODY.add(office_figures, order=10)
    pages.ANSWER.add(report_from_answer)


def officials_land_on_their_inbox(person) -> str | None:
    """After signing in: an official of any office lands on their inbox (`cases:my_inbox`)."""
    return reverse("cases:my_inbox") if is_any_official(person) else None


def a_kept_draft_waits(person) -> str | None:
    """After signing in: someone who wrote a question or report before they had an account
    (`cases.drafts`) lands on the page that checks their answers before sending."""
    from agora.cases import drafts

    return reverse("cases:check") if drafts.has_draft(person) else None
