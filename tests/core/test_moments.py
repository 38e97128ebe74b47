"""Dates are written one way per language, wherever they appear (agora/core/formats)."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

WHEN = datetime(2026, 12, 4, 15, 13, tzinfo=UTC)


def render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load moments %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "moment", "day"),
    [("en", "4 Dec 2026, 15:13", "4 Dec 2026"), ("es", "4 dic 2026, 15:13", "4 dic 2026")],
)
def test_a_moment_and_a_day_in_each_language(settings, language, moment, day):
    settings.TIME_ZONE = "UTC"
    assert render("{% moment when %}", language, when=WHEN) == (
        f'<time datetime="2026-12-04T15:13:00+00:00">{moment}</time>'
    )
    assert render('{% moment when "day" %}', language, when=WHEN) == (
        f'<time datetime="2026-12-04T15:13:00+00:00">{day}</time>'
    )
    assert render("{{ when|day }}", language, when=WHEN) == day
    # Django's own formats give the same: a form or the admin writes dates the same way.
    assert render('{{ when|date:"DATETIME_FORMAT" }}', language, when=WHEN) == moment
    assert render('{{ when|date:"SHORT_DATE_FORMAT" }}', language, when=WHEN) == day


def test_a_moment_is_written_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    with translation.override("en"):
        from django.utils import timezone

        timezone.activate("Europe/Madrid")
        try:
            html = Template("{% load moments %}{% moment when %}").render(Context({"when": WHEN}))
        finally:
            timezone.deactivate()
    assert html == '<time datetime="2026-12-04T16:13:00+01:00">4 Dec 2026, 16:13</time>'


def test_no_template_writes_a_date_its_own_way():
    """Every date in a template goes through `{% moment %}` or `|day` (or the language's
    month-and-year): a format string written in a template is a second way."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "agora"
    allowed = {"'c'", '"YEAR_MONTH_FORMAT"'}
    found = [
        f"{path.relative_to(root)}: {match}"
        for path in root.rglob("*.html")
        for match in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text())
        if match not in allowed
    ]
    assert found == []
