"""Statements compiled once with stand-ins and bound per request (`agora.core.prepared`): a
bound statement is the one the builder gives for those values, and a builder that would bind
wrong fails at once."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import User
from agora.core.prepared import compile_statement, compiled, load, prepared
from agora.notifications.models import Notification
from agora.notifications.queries import unread_count
from agora.social.models import Post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def posts_before(author_id, before):
    queryset = Post.objects.filter(author_id=author_id, created_at__lt=before)
    return compiled(queryset.filter(author_id__in=[author_id, 7]).values("id"))


def test_a_bound_statement_is_the_one_compiled_for_its_values():
    statement, used = compile_statement(
        {"author": "int", "before": "datetime"},
        lambda values: posts_before(values["author"], values["before"]),
    )
    assert used == {"author", "before"}
    moment = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    assert statement.bind(author=42, before=moment) == posts_before(42, moment)


def test_a_statement_runs_with_each_requests_values():
    ada, bob = UserFactory(), UserFactory()
    for person, number in ((ada, 2), (bob, 1)):
        for _ in range(number):
            Notification.objects.create(recipient=person, kind="follow", actor=None)
    assert (unread_count(ada), unread_count(bob)) == (2, 1)
    Notification.objects.filter(recipient=ada).update(read_at=datetime.now(UTC))
    assert (unread_count(ada), unread_count(bob)) == (0, 1)


def test_a_value_written_into_the_sql_is_refused():
    with pytest.raises(ValueError, match="written into the SQL"):
        compile_statement({"limit": "int"}, lambda values: (f"SELECT {values['limit']}", []))
    with pytest.raises(ValueError, match="written into the SQL"):
        compile_statement(
            {"moment": "datetime"},
            lambda values: (f"SELECT '{values['moment'].isoformat()}'::timestamptz", []),
        )


def test_a_slot_the_sql_never_uses_is_refused():
    with pytest.raises(ValueError, match="never uses before"):
        prepared(
            ("test", "unused slot"),
            {"author": "int", "before": "datetime"},
            lambda values: compiled(User.objects.filter(pk=values["author"]).values("pk")),
        )


def test_an_unknown_kind_of_slot_is_refused():
    with pytest.raises(ValueError, match="kind"):
        compile_statement({"name": "json"}, lambda values: ("SELECT 1", []))


def test_a_text_slot_binds_like_the_others():
    statement, used = compile_statement(
        {"handle": "text"},
        lambda values: compiled(User.objects.filter(handle=values["handle"]).values("pk")),
    )
    assert used == {"handle"}
    assert statement.bind(handle="rosa") == compiled(
        User.objects.filter(handle="rosa").values("pk")
    )
    with pytest.raises(ValueError, match="written into the SQL"):
        compile_statement({"handle": "text"}, lambda values: (f"SELECT '{values['handle']}'", []))


def test_load_gives_instances_as_the_orm_would_with_their_annotations():
    rosa = UserFactory(handle="rosa", display_name="Rosa", preferred_language="es")
    otto = UserFactory(handle="otto")
    Notification.objects.create(recipient=rosa, kind="follow", actor=otto)

    def build(values):
        return (
            User.objects.filter(handle=values["handle"])
            .annotate(noticed=Max("notifications__created_at"))
            .order_by("pk")
        )

    for person in (rosa, otto):
        with CaptureQueriesContext(connection) as queries:
            ((found, (noticed,)),) = load(
                ("test", "load"), {"handle": "text"}, build, handle=person.handle
            )
        assert len(queries) == 1
        expected = build({"handle": person.handle}).get()
        assert (found.pk, found.display_name, found.preferred_language) == (
            expected.pk,
            expected.display_name,
            expected.preferred_language,
        )
        assert found.date_joined == person.date_joined  # converted as the ORM converts it
        assert noticed == expected.noticed and found._state.adding is False
    assert (
        rosa.notifications.get().created_at
        == load(("test", "load"), {"handle": "text"}, build, handle="rosa")[0][1][0]
    )
    assert load(("test", "load"), {"handle": "text"}, build, handle="nobody") == []


def test_load_refuses_a_queryset_that_is_not_one_models_whole_rows():
    with pytest.raises(ValueError, match="whole rows"):
        load(
            ("test", "related"),
            {"person": "int"},
            lambda values: Post.objects.select_related("author").filter(author_id=values["person"]),
            person=1,
        )


def test_statements_are_kept_per_database_and_key():
    build_calls = []

    def build(values):
        build_calls.append(values["person"])
        return compiled(User.objects.filter(pk=values["person"]).values("pk"))

    first = prepared(("test", "kept"), {"person": "int"}, build)
    again = prepared(("test", "kept"), {"person": "int"}, build)
    assert first is again and len(build_calls) == 1
    sql, params = first.bind(person=5)
    assert params == [5] and connection.ops.quote_name("accounts_user") in sql


@pytest.mark.django_db
def test_postgresql_plans_the_unread_count_once_per_connection_and_the_query_still_counts(
    settings,
):
    from django.test.utils import CaptureQueriesContext

    person = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(person) == 0
        assert unread_count(person) == 0
    assert len(queries) == 2  # logged and counted like any query
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        kept = [row[0] for row in cursor.fetchall()]
    assert any("notifications_notification" in statement for statement in kept), kept
    settings.AGORA_PREPARED_STATEMENTS = False
    other = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(other) == 0
    assert len(queries) == 1
