"""What cases add to the directory's pages (`directory.pages`): an office's response figures
over 30, 90 or 365 days (90 unless the page asks), in at most three aggregate queries."""

from agora.cases import accountability
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
                "to_acknowledge": accountability.duration_text(figures.median_to_acknowledge),
                "to_answer": accountability.duration_text(figures.median_to_answer),
            },
            "periods": accountability.PERIODS,
        },
    )


def connect() -> None:
    pages.OFFICE_BODY.add(office_figures, order=10)
