"""`core.transactions.on_commit_once`: work asked for by many changes in one transaction runs
once after it commits; a savepoint rolled back takes its asking with it."""

import pytest
from django.db import transaction

from agora.core.transactions import on_commit_once
from agora.directory.models import Topic


class Undone(Exception):
    pass


def test_asked_three_times_it_runs_once_after_the_commit(db, django_capture_on_commit_callbacks):
    runs = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            on_commit_once("count", lambda: runs.append("count"))
        on_commit_once("other", lambda: runs.append("other"))
        assert runs == []
    assert runs == ["count", "other"]


def test_a_savepoint_rolled_back_takes_its_asking_with_it(db, django_capture_on_commit_callbacks):
    runs = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(Undone), transaction.atomic():
            on_commit_once("count", lambda: runs.append("undone"))
            raise Undone
        on_commit_once("count", lambda: runs.append("kept"))
    assert runs == ["kept"]


def test_saving_many_topics_relinks_the_hashtags_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as waiting, transaction.atomic():
        for number in range(5):
            Topic.objects.create(slug=f"topic-{number}", name_en=f"Topic {number}")
    relinks = [work for work in waiting if getattr(work, "once_key", "") == "social:relink-tags"]
    assert len(relinks) == 5
    assert len({work.once_ticket for work in relinks}) == 1  # one ticket: the first runs
