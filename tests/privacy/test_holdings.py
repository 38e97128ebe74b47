"""The extension point: every link from a model to an account is declared by some app's
`personal_data` module, and every declaration names real columns."""

import pytest
from django.contrib.auth import get_user_model

from agora.accounts.holdings import Holding, Leave, declared, links_to_people, undeclared
from agora.privacy.services import export_rows
from tests.factories import UserFactory


def test_every_link_to_an_account_is_declared_by_some_app():
    links = links_to_people()
    # The introspection finds links in every layer, third-party apps included.
    labels = {model._meta.label for model, _field in links}
    assert {"social.Post", "cases.Case", "account.EmailAddress", "core.AuditEntry"} <= labels
    # The newest apps too: polls, meetings, budgets.
    assert {"polls.Response", "meetings.Registration", "budgets.Ballot"} <= labels
    assert undeclared() == []


def test_a_new_model_linking_to_an_account_is_caught(monkeypatch):
    from agora.accounts import holdings

    kept = dict(holdings._HOLDINGS)
    monkeypatch.setattr(
        holdings, "_HOLDINGS", {k: v for k, v in kept.items() if k[0] != "social.post"}
    )
    assert "social.Post.author" in undeclared()


def test_a_holding_that_is_not_erased_must_say_why():
    with pytest.raises(ValueError, match="say why"):
        Holding(
            model="social.Post",
            person="author",
            kind="x",
            about="x",
            columns=("id",),
            leave=Leave.KEEP,
        )


def test_kinds_are_unique_and_leave_is_known():
    kinds = [holding.kind for holding in declared()]
    assert len(kinds) == len(set(kinds))
    assert {holding.leave for holding in declared()} <= set(Leave)


@pytest.mark.django_db
def test_every_exported_holding_names_columns_that_exist():
    person = UserFactory()
    for holding in declared():
        holding.rows_of(person).count()
        if holding.export:
            list(export_rows(holding, person))
    profile = next(h for h in declared() if h.kind == "profile")
    (rows,) = export_rows(profile, person)
    assert rows[0]["handle"] == person.handle
    assert get_user_model().objects.count() == 1
