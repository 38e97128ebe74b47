"""The public log's monthly figures: the median time from the first report to a moderator's
decision, and the chart of reports and restrictions drawn on the server as SVG, with the table
beside it; read in a constant number of queries from the monthly counts the services keep
(`moderation.figures`), which always equal a recount of the rows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.moderation import figures, services
from agora.moderation.models import Decision, ModeratedItem, MonthlyCount, Report
from agora.social import services as social
from tests.factories import UserFactory
from tests.helpers import main_part
from tests.moderation.conftest import settled, verified
from tests.moderation.test_reports import report

pytestmark = pytest.mark.django_db


def decided_after(content, moderator, hours: float, rule, action="hide"):
    """Reported, then decided by a moderator `hours` after the first report."""
    report(content, settled())
    item = ModeratedItem.objects.get(object_id=content.pk, kind=type(content).__name__.lower())
    ModeratedItem.objects.filter(pk=item.pk).update(
        first_reported_at=timezone.now() - timedelta(hours=hours)
    )
    return services.decide(item, by=moderator, action=action, rule=rule, facts="Insults.")


def test_the_month_shows_the_median_time_to_decision_and_a_chart(
    post, comment, moderator, rules, client
):
    decided_after(comment, moderator, 5, rules[1])
    decided_after(post, moderator, 2, rules[1])
    decided_after(social.create_post(by=post.author, body="Third"), moderator, 30, rules[1])
    response = client.get("/moderation/log/")
    page = main_part(response)
    month = timezone.localtime().strftime("%Y-%m")
    row = re.search(rf'<tr><th scope="row">{month}</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["3", "3", "0", "0", "5.0"]
    assert '<svg class="moderation-chart__drawing"' in page
    assert 'aria-labelledby="chart-title chart-desc"' in page
    assert "Reports received and items restricted, by month" in page
    assert f"{month}: 3 reports received" in page and f"{month}: 3 items restricted" in page
    bars = re.findall(r'<rect class="moderation-chart__bar [^"]*" [^>]*width="([\d.]+)"', page)
    assert bars == ["170.0", "170.0"]  # both as long as the busiest month's
    assert "/static/moderation/moderation.css" in response.content.decode()
    assert " style=" not in page and "<script" not in page


def test_the_spanish_table_writes_the_median_with_a_comma(post, moderator, rules, client):
    decided_after(post, moderator, 2.5, rules[1])
    client.cookies["django_language"] = "es"
    page = main_part(client.get("/moderation/log/"))
    assert "<td>2,5</td>" in page
    assert 'width="170.0"' in page, "numbers in the SVG keep their point"


def test_a_month_without_a_moderators_decision_has_no_median(post, moderator, rules, client):
    report(post, settled())
    page = main_part(client.get("/moderation/log/"))
    month = timezone.localtime().strftime("%Y-%m")
    row = re.search(rf'<tr><th scope="row">{month}</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["1", "0", "0", "0", "no decision by a moderator"]


def test_counting_the_figures_takes_the_same_queries_however_many_decisions(
    post, moderator, rules, client, django_assert_num_queries
):
    decided_after(post, moderator, 1, rules[1])
    # The decisions; the kept monthly counts of the year (read, not counted).
    with django_assert_num_queries(2):
        client.get("/moderation/log/")
    with django_assert_num_queries(1):
        client.get("/moderation/log/")
    Decision.objects.get().save()  # a change: the kept counts are read again
    with django_assert_num_queries(2) as counted:
        client.get("/moderation/log/")
    with django_assert_num_queries(1):  # the decisions; the figures come from the cache
        client.get("/moderation/log/")
    for number in range(6):
        spam = social.create_post(by=UserFactory(), body=f"Spam {number}")
        decided_after(spam, moderator, number, rules[2], action="remove")
    with django_assert_num_queries(len(counted.captured_queries)):
        page = main_part(client.get("/moderation/log/"))
    assert page.count("Removed") == 6
    with django_assert_num_queries(1):
        client.get("/moderation/log/")


def test_the_months_before_this_one_are_read_from_their_counts(
    post, comment, moderator, rules, client
):
    """A month that is over keeps its counts, and this month's grow with each change."""
    earlier = decided_after(comment, moderator, 4, rules[1])
    last_month = timezone.localtime().replace(day=1) - timedelta(days=1)
    Decision.objects.filter(pk=earlier.pk).update(created_at=last_month)
    Report.objects.filter(item=earlier.item).update(created_at=last_month)
    ModeratedItem.objects.filter(pk=earlier.item_id).update(
        first_reported_at=last_month - timedelta(hours=4)
    )
    figures.recount()  # the rows were moved by hand: the kept counts follow them
    page = main_part(client.get("/moderation/log/"))
    row = re.search(rf'<tr><th scope="row">{last_month:%Y-%m}</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["1", "1", "0", "0", "4.0"]
    decided_after(post, moderator, 2, rules[1])
    page = main_part(client.get("/moderation/log/"))
    this_month = timezone.localtime().strftime("%Y-%m")
    row = re.search(rf'<tr><th scope="row">{this_month}</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["1", "1", "0", "0", "2.0"]
    assert f"{last_month:%Y-%m}: 1 report received" in page


def test_the_kept_counts_equal_a_recount_of_the_rows(
    post, comment, author, moderator, second_moderator, rules
):
    """Reports, a hiding while reviewed, moderators' decisions, appeals kept and reversed: the
    counts the services kept as they went are what counting the rows gives."""
    loud = social.create_post(by=author, body="Loud")
    for reporter in (verified() for _ in range(3)):
        report(loud, reporter, reason="spam")  # enough weight: hidden while it is reviewed
    hidden = decided_after(comment, moderator, 3, rules[1])
    spam = social.create_post(by=author, body="Cheap watches")
    removed = decided_after(spam, moderator, 30, rules[2], action="remove")
    decided_after(social.create_post(by=author, body="Fine"), moderator, 0.5, None, "dismiss")
    item = ModeratedItem.objects.get(object_id=loud.pk, kind="post")
    services.decide(item, by=moderator, action="dismiss")
    kept = services.appeal_decision(hidden, by=comment.author, grounds="It was fair.")
    services.decide_appeal(kept, by=second_moderator, action="uphold", facts="An insult.")
    turned = services.appeal_decision(removed, by=author, grounds="Not an advert.")
    services.decide_appeal(turned, by=second_moderator, action="restore", facts="A joke.")

    def kept_counts():
        return sorted(MonthlyCount.objects.values_list("month", "figure", "category", "count"))

    as_kept = kept_counts()
    assert ("action", "auto_hide") in {(figure, category) for _m, figure, category, _c in as_kept}
    figures.recount()
    assert kept_counts() == as_kept
    month = timezone.localdate().replace(day=1)
    counted = figures.stored(month, month)
    assert counted[(month, "report", "spam")] == 3
    assert sum(n for (_m, f, _c), n in counted.items() if f == "decided_after") == 4
    assert counted[(month, "appeal_answer", "upheld")] == 1
    assert counted[(month, "appeal_answer", "reversed")] == 1
