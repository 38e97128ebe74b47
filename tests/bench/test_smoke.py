"""Each benchmark that needs no seed, at its smallest: its data generation and one
measurement, so that a model change that breaks the bench breaks a test (the benchmarks
with the seed are in test_smoke_seeded.py)."""

import subprocess
import sys

import pytest
from django.db import connection

from bench import budgets, conversations, conversations_files, routing, social
from bench.social import InProcess
from tests.bench.smoke import connections_kept

POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark writes PostgreSQL's SQL"
)


@POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_social_copies_people_posts_follows_and_likes_and_measures_a_feed():
    from django.conf import settings

    from agora.accounts.models import User
    from bench import run

    # Person 2 follows 5,000 ids (most of them absent here: the foreign keys are not checked
    # while loading), so the follows must cover those.
    generated = social.generate(people=60, posts=300, follows=5_400, likes=300)
    assert generated["likes"] == 300
    person = User.objects.get(pk=1)
    cookie = f"{settings.SESSION_COOKIE_NAME}={run.signed_in_session(person)}"
    with connections_kept():
        runner = InProcess(connection.settings_dict["NAME"])
        figures = runner.measure("/home/", cookie, 1, 'class="feed"')
    assert figures.queries > 0


@pytest.mark.django_db
def test_routing_scores_labelled_requests():
    import io

    from django.core.management import call_command

    call_command("import_directory", str(routing.DIRECTORY), verbosity=0, stdout=io.StringIO())
    results = routing.evaluate(routing.load_cases()[:12])
    assert "timings" in results
    assert routing.report(results)


def test_budgets_counts_synthetic_ballots_by_equal_shares():
    items, ballots, budget = budgets.synthetic(200, 12, 1)
    profile = budgets.counting.Profile(
        "approval", items, ((ballot, None) for ballot in ballots), budget
    )
    assert budgets.counting.equal_shares(profile).winners


def test_conversations_analyses_synthetic_votes():
    voter, statement, value, timestamps = conversations.synthetic_votes(60, 12, 400)
    matrix = conversations.analysis.build_vote_matrix(voter, statement, value, timestamps)
    assert conversations.analysis.analyze(matrix, moderated_out=[0]) is not None


def test_conversations_files_writes_an_export_the_command_reads(tmp_path):
    conversations_files.write_export(tmp_path, 60, 12, 400)
    result = subprocess.run(
        [sys.executable, "-m", "agora.cli", "conversations", "analyze", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@POSTGRESQL
@pytest.mark.django_db
def test_summary_makes_followers_and_notifications_and_sends_one_summary():
    from bench import summary

    readers = summary.make_rows(people=30, posts_each=2, notifications=3)
    figures = summary.measure(readers["follows 200"], runs=1)
    assert figures["sent"] and figures["queries"] > 0
