"""`agora moderation report`: the transparency figures of a period, read from the monthly counts
the services keep (the days outside whole months counted from the rows), exactly; nothing
that names a person; bad dates refused with a message and an exit code."""

import csv
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from agora.moderation import figures as monthly_counts
from agora.moderation import services
from agora.moderation.models import ModeratedItem, MonthlyCount, Report
from agora.social import services as social
from tests.moderation.conftest import settled, verified
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db

#: The period the tests ask about: March 2026, days counted in the site's zone (UTC).
MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def happened(record, moment) -> None:
    """Move a record made through the services (now) to the moment the story needs."""
    type(record).objects.filter(pk=record.pk).update(created_at=moment)


def reported_at(item, moment) -> None:
    ModeratedItem.objects.filter(pk=item.pk).update(first_reported_at=moment)
    Report.objects.filter(item=item).update(created_at=moment)


@pytest.fixture
def story(post, comment, moderator, second_moderator, rules):
    """In March: four reports on three items; a wave of trusted reports that hid a post
    automatically; three decisions by moderators, 2, 6 and 10 hours after the first report;
    two appeals, one reversed after an hour, one kept after three. In February: one more report
    and its decision, outside the period."""
    spam = social.create_post(by=post.author, body="Buy cheap watches here.")
    old = social.create_post(by=post.author, body="An old post.")
    rita, sam, hugo = settled(display_name="Rita Reporter"), settled(), settled()
    report(post, rita, reason="harassment", explanation="Rita's private explanation.")
    report(post, sam, reason="spam")
    report(comment, hugo, reason="hate")
    wave = [verified() for _ in range(3)]
    for person in wave:
        report(spam, person, reason="spam")
    report(old, settled(), reason="off_topic")

    def item_of(content):
        return ModeratedItem.objects.get(object_id=content.pk, kind=type(content).__name__.lower())

    on_post, on_comment, on_spam, on_old = map(item_of, (post, comment, spam, old))
    (auto_hidden,) = on_spam.decisions.all()
    hidden = services.decide(
        on_post, by=moderator, action="hide", rule=rules[1], facts="Insults a neighbour."
    )
    dismissed = services.decide(on_comment, by=moderator, action="dismiss")
    removed = services.decide(
        on_spam, by=moderator, action="remove", rule=rules[2], facts="An advert."
    )
    old_decision = services.decide(on_old, by=moderator, action="dismiss")
    author_appeal = services.appeal_decision(hidden, by=post.author, grounds="It was fair.")
    reporter_appeal = services.appeal_decision(dismissed, by=hugo, grounds="It is hateful.")
    restored = services.decide_appeal(
        author_appeal, by=second_moderator, action="restore", facts="Sharp but not an insult."
    )
    kept = services.decide_appeal(
        reporter_appeal, by=second_moderator, action="uphold", facts="Rude, not hateful."
    )

    for item, day in ((on_post, 0), (on_comment, 1), (on_spam, 2)):
        reported_at(item, MARCH + timedelta(days=day))
    reported_at(on_old, MARCH - timedelta(days=30))
    happened(auto_hidden, MARCH + timedelta(days=2, minutes=5))
    happened(hidden, MARCH + 2 * HOUR)
    happened(dismissed, MARCH + timedelta(days=1) + 6 * HOUR)
    happened(removed, MARCH + timedelta(days=2) + 10 * HOUR)
    happened(old_decision, MARCH - timedelta(days=29))
    happened(author_appeal, MARCH + timedelta(days=5))
    happened(restored, MARCH + timedelta(days=5) + HOUR)
    happened(reporter_appeal, MARCH + timedelta(days=6))
    happened(kept, MARCH + timedelta(days=6) + 3 * HOUR)
    monthly_counts.recount()  # the rows were moved by hand: the kept counts follow them
    return {"wave": wave}


def march_report(**options) -> str:
    return call_command(
        "moderation", "report", "--from", "2026-03-01", "--to", "2026-03-31", **options
    )


def test_the_figures_of_a_period_are_counted_exactly(story, capsys):
    march_report()
    figures = json.loads(capsys.readouterr().out)
    assert figures["period"] == {"from": "2026-03-01", "to": "2026-03-31", "time_zone": "UTC"}
    assert figures["reports"]["received"] == 6
    assert {k: v for k, v in figures["reports"]["by_reason"].items() if v} == {
        "harassment": 1,
        "spam": 4,
        "hate": 1,
    }
    assert figures["reports"]["by_reason"]["off_topic"] == 0, "February's report is left out"
    assert {k: v for k, v in figures["reports"]["by_kind"].items() if v} == {
        "post": 5,
        "comment": 1,
    }
    assert figures["reports"]["by_kind"]["profile"] == 0
    assert figures["actions"]["total"] == 6
    assert {k: v for k, v in figures["actions"]["by_type"].items() if v} == {
        "auto_hide": 1,
        "hide": 1,
        "dismiss": 2,  # the comment's, and the restoring answer to the author's appeal
        "remove": 1,
        "uphold": 1,
    }
    assert figures["actions"]["automated"] == 1
    assert figures["actions"]["automated_by_type"]["auto_hide"] == 1
    assert figures["actions"]["on_appeal"] == 2
    assert figures["decisions"] == {
        "items_decided": 3,
        "median_hours_from_report_to_decision": 6.0,
    }
    assert figures["appeals"] == {
        "received": 2,
        "decided": 2,
        "upheld": 1,
        "reversed": 1,
        "median_hours_to_decide": 2.0,
    }


def test_a_period_without_moderation_has_zeros_and_no_medians(story, capsys):
    call_command("moderation", "report", "--from", "2025-01-01", "--to", "2025-12-31")
    figures = json.loads(capsys.readouterr().out)
    assert figures["reports"]["received"] == 0 and figures["actions"]["total"] == 0
    assert figures["decisions"]["median_hours_from_report_to_decision"] is None
    assert figures["appeals"]["median_hours_to_decide"] is None


def test_both_formats_are_written_and_name_nobody(story, tmp_path, capsys):
    march_report(output=str(tmp_path / "reports"))
    written = sorted(path.name for path in (tmp_path / "reports").iterdir())
    assert written == ["moderation-report-2026-03-01-2026-03-31.csv"] + [
        "moderation-report-2026-03-01-2026-03-31.json"
    ]
    text = (tmp_path / "reports" / written[0]).read_text()
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["figure", "category", "value"]
    assert ["reports.by_reason", "spam", "4"] in rows
    assert ["reports", "received", "6"] in rows
    assert ["decisions", "median_hours_from_report_to_decision", "6.0"] in rows
    assert ["appeals", "reversed", "1"] in rows
    both = text + (tmp_path / "reports" / written[1]).read_text()
    people = [story["wave"][0], *Report.objects.all()]
    for private in ("Rita", "private explanation", "Insults a neighbour", "@"):
        assert private not in both, private
    for person in people:
        email = getattr(person, "email", None) or person.reporter_email
        assert email not in both


def test_one_format_on_standard_output(story, capsys):
    march_report(format="csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "figure,category,value"
    assert "appeals,median_hours_to_decide,2.0" in lines


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-02-30", "2026-03-31", "'2026-02-30' is not a date: write it as YYYY-MM-DD."),
        ("March", "2026-03-31", "'March' is not a date"),
        ("2026-03-31", "2026-03-01", "The period ends (2026-03-01) before it begins"),
    ],
)
def test_bad_dates_are_refused_with_a_message(first, last, message, capsys):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("moderation", "report", "--from", first, "--to", last)
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["agora", "moderation", "report", "--from", first, "--to", last])
    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error


def test_an_output_that_is_a_file_is_refused(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    with pytest.raises(CommandError, match="is not a folder"):
        march_report(output=str(taken))
    assert taken.read_text() == "" and list(tmp_path.iterdir()) == [taken]


def test_whole_months_are_read_from_the_kept_counts_and_the_other_days_counted(story, capsys):
    def received(first, last) -> int:
        call_command("moderation", "report", "--from", first, "--to", last)
        return json.loads(capsys.readouterr().out)["reports"]["received"]

    assert received("2026-02-05", "2026-03-31") == 7  # six in March, one on 8 February
    MonthlyCount.objects.filter(month=date(2026, 3, 1)).delete()
    assert received("2026-02-05", "2026-03-31") == 1, "March is read, not counted"
    assert received("2026-02-05", "2026-03-30") == 7, "a month not whole is counted"
