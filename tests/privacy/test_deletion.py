"""Delete my account: with the password (and second factor), in one transaction, public
writing erased or kept as "Former member", records the law keeps anonymised, and then no
table and no column of the database holds the person's email, handle or name."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import User
from agora.cases.models import Case
from agora.core.models import AuditEntry
from agora.core.tasks import enqueue_email_message
from agora.privacy import services
from agora.privacy.models import PendingDeletion
from agora.proposals.models import Proposal
from agora.social.models import Comment, Follow, Post, PostLike
from agora.social.services import post_url
from tests.factories import PASSWORD
from tests.helpers import main_part, signed_in
from tests.proposals.conftest import a_proposal

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def everything_that_mentions(*needles: str) -> list[str]:
    """Every table and column of the database, found by introspection, whose value mentions
    one of the needles (case-insensitively): "table.column: value"."""
    found = []
    lowered = [needle.lower() for needle in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = (
                        bytes(value).decode(errors="replace")
                        if isinstance(value, bytes | memoryview)
                        else str(value)
                    )
                    if any(needle in text.lower() for needle in lowered):
                        found.append(f"{table}.{column}: {text[:120]}")
    return found


def delete(client, *, keep=True, password=PASSWORD, **extra):
    return client.post(
        reverse("privacy:delete_account"),
        {"public_writing": "keep" if keep else "erase", "password": password, **extra},
    )


def test_a_wrong_password_is_refused_and_nothing_changes(world):
    client = signed_in(world.vera)
    page = main_part(delete(client, keep=False, password="not-my-password"))
    assert "That is not your password." in page
    # What was chosen stays chosen.
    assert re.search(r'<input type="radio" name="public_writing" value="erase"[^>]* checked', page)
    vera = User.objects.get(pk=world.vera.pk)
    assert vera.email == "vera@example.org" and vera.left_at is None
    assert Post.objects.filter(author=vera).count() == 1
    assert client.get(reverse("privacy:your_data")).status_code == 200  # still signed in


def test_a_missing_choice_is_refused_with_a_message(world):
    client = signed_in(world.vera)
    response = client.post(reverse("privacy:delete_account"), {"password": PASSWORD})
    assert "This field is required." in main_part(response)
    assert User.objects.get(pk=world.vera.pk).left_at is None


def test_with_a_second_factor_the_code_is_needed_too(world):
    TOTP.activate(world.vera, SECRET)
    client = signed_in(world.vera)
    assert "That code is not right." in main_part(delete(client, code="000000"))
    assert User.objects.get(pk=world.vera.pk).left_at is None
    counter = int(timezone.now().timestamp()) // 30
    code = format_hotp_value(hotp_value(SECRET, counter))
    assert delete(client, code=code).status_code == 302
    assert User.objects.get(pk=world.vera.pk).left_at is not None


def test_kept_posts_show_as_former_member_to_others(world):
    client = signed_in(world.vera)
    response = delete(client, keep=True)
    assert response.status_code == 302 and response["Location"] == reverse("site:home")
    assert client.get(reverse("privacy:your_data")).status_code == 302  # signed out
    post = Post.objects.get(pk=world.post.pk)
    page = main_part(signed_in(world.omar).get(post_url(post)))
    assert "More shade on the cycle lanes, please." in page
    assert "Former member" in page and "Vera Verity" not in page
    assert Comment.objects.filter(author=world.vera).count() == 1
    # Her likes and follows went, and the counts beside them with them.
    assert not PostLike.objects.filter(user=world.vera).exists()
    assert Post.objects.get(pk=world.omars_post.pk).like_count == 0
    assert not Follow.objects.filter(follower=world.vera).exists()
    assert not Follow.objects.filter(followee=world.vera).exists()


def test_erased_public_writing_goes_with_the_counts_beside_it(world):
    delete(signed_in(world.vera), keep=False)
    assert not Post.objects.filter(pk=world.post.pk).exists()
    assert not Comment.objects.filter(author=world.vera).exists()
    assert Post.objects.get(pk=world.omars_post.pk).comment_count == 0
    # Omar's comment was on her post: it went with it.
    assert not Comment.objects.filter(author=world.omar).exists()


def test_an_answered_case_stays_without_its_author(world):
    delete(signed_in(world.vera), keep=False)
    case = Case.objects.get(pk=world.case.pk)
    assert case.submitted_by is None
    assert case.events.filter(text="We will replace it this week.").exists()


def test_no_background_task_keeps_her_address_or_name(
    world, run_worker, django_capture_on_commit_callbacks
):
    """The worker's records of sent emails hold their addresses and text: a message to her
    and one about her, to Omar, are forgotten with her."""
    needles = ("vera@example.org", "vera_v", "Vera Verity")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email_message(EmailMessage("Welcome", "Hello", to=["vera@example.org"]))
        enqueue_email_message(
            EmailMessage("News", "Vera Verity follows you", to=[world.omar.email])
        )
    assert len(run_worker()) == 2
    found = everything_that_mentions(*needles)
    assert any(line.startswith("django_tasks_database") for line in found)
    delete(signed_in(world.vera), keep=True)
    assert everything_that_mentions(*needles) == []


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "erased"])
def test_after_deletion_no_table_holds_her_email_handle_or_name(world, keep):
    needles = ("vera@example.org", "vera_v", "Vera Verity")
    assert len(everything_that_mentions(*needles)) >= 4  # the scan finds her before
    delete(signed_in(world.vera), keep=keep)
    assert everything_that_mentions(*needles) == []
    entry = AuditEntry.objects.get(action="privacy.account_deleted")
    assert entry.actor is None and entry.data["kept_public_writing"] is keep


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "erased"])
def test_the_newest_apps_clear_or_anonymise_what_they_hold_about_her(world, keep):
    """Polls, meetings, budgets and the calm settings: her poll response and ballot stay,
    counted, without her; her meeting registration and her calm settings go."""
    from agora.budgets.models import Ballot
    from agora.meetings.models import Registration
    from agora.notifications.models import Calm
    from agora.polls.models import Response as PollResponse

    vera = world.vera
    held = (
        PollResponse.objects.filter(respondent=vera),
        Registration.objects.filter(person=vera),
        Ballot.objects.filter(voter=vera),
        Calm.objects.filter(user=vera),
    )
    assert [rows.count() for rows in held] == [1, 1, 1, 1]
    responses, ballots = PollResponse.objects.count(), Ballot.objects.count()
    delete(signed_in(vera), keep=keep)
    assert [rows.count() for rows in held] == [0, 0, 0, 0]
    assert (PollResponse.objects.count(), Ballot.objects.count()) == (responses, ballots)
    assert PollResponse.objects.get().answers.get().text == "Mill Lane"


def test_she_cannot_sign_in_and_her_profile_is_gone(world):
    delete(signed_in(world.vera))
    client = Client()
    assert not client.login(email="vera@example.org", password=PASSWORD)
    assert client.get(reverse("accounts:profile", args=["vera_v"])).status_code == 404


def test_the_deletion_is_one_transaction(world, monkeypatch):
    from agora.accounts import holdings

    def fail(rows):
        raise RuntimeError("disk full")

    posts = holdings._HOLDINGS["social.post", "author"]
    monkeypatch.setitem(holdings._HOLDINGS, ("social.post", "author"), replace(posts, erase=fail))
    with pytest.raises(RuntimeError):
        services.delete_account(world.vera, keep_public_writing=False)
    vera = User.objects.get(pk=world.vera.pk)
    assert vera.email == "vera@example.org" and vera.left_at is None
    assert Follow.objects.filter(follower=vera).exists()
    assert not AuditEntry.objects.filter(action="privacy.account_deleted").exists()


def test_with_a_grace_period_signing_in_again_cancels_it(world, settings):
    settings.AGORA_DELETION_GRACE_DAYS = 14
    client = signed_in(world.vera)
    response = delete(client, keep=False)
    assert response.status_code == 302
    pending = PendingDeletion.objects.get(person=world.vera)
    assert pending.due_at.date() == (timezone.now() + timedelta(days=14)).date()
    assert User.objects.get(pk=world.vera.pk).left_at is None

    again = Client()
    assert again.login(email="vera@example.org", password=PASSWORD)
    assert not PendingDeletion.objects.filter(person=world.vera).exists()


def test_with_a_grace_period_the_deletion_happens_when_it_ends(world, settings):
    settings.AGORA_DELETION_GRACE_DAYS = 14
    delete(signed_in(world.vera), keep=False)
    assert services.carry_out_due_deletions(timezone.now() + timedelta(days=13)) == 0
    assert services.carry_out_due_deletions(timezone.now() + timedelta(days=15)) == 1
    assert User.objects.get(pk=world.vera.pk).left_at is not None
    assert not Post.objects.filter(pk=world.post.pk).exists()


def test_a_proposal_an_office_answered_stays_even_when_writing_is_erased(world):
    answered = a_proposal(world.proposal.process, world.vera, title="Lights on the towpath")
    Proposal.objects.filter(pk=answered.pk).update(answered_at=timezone.now())
    delete(signed_in(world.vera), keep=False)
    assert not Proposal.objects.filter(pk=world.proposal.pk).exists()
    assert Proposal.objects.get(pk=answered.pk).author_id == world.vera.pk  # the emptied row


def test_her_ballots_stay_in_their_budgets_without_her_name(world):
    """Two voters of one budget leave: each ballot stays, counted, with a key of its own."""
    from agora.budgets.models import Ballot, Budget

    budget = Budget.objects.create(
        process=world.proposal.process,
        title_en="Budget 2027",
        amount=1000,
        ballot_kind="approval",
        rule="greedy",
    )
    Ballot.objects.create(budget=budget, voter=world.vera, projects=["1", "2"])
    Ballot.objects.create(budget=budget, voter=world.omar, projects=["2"])
    delete(signed_in(world.vera), keep=False)
    services.delete_account(world.omar, keep_public_writing=False)
    kept = list(
        Ballot.objects.filter(budget=budget)
        .order_by("pk")
        .values_list("voter", "voter_key", "projects")
    )
    assert [(voter, projects) for voter, _key, projects in kept] == [
        (None, ["1", "2"]),
        (None, ["2"]),
    ]
    assert all(key.startswith("left-") for _voter, key, _projects in kept)
    assert len({key for _voter, key, _projects in kept}) == 2


def test_an_announcement_she_posted_for_her_office_stays_when_she_leaves(world):
    from agora.social import services as social

    official = world.town.official
    said = social.create_post(
        by=official, body="The cycle lane opens on Monday.", office=world.town.cycling_unit
    )
    own = social.create_post(by=official, body="My own view on lanes.")
    services.delete_account(official, keep_public_writing=False)
    assert Post.objects.filter(pk=said.pk).exists()
    assert not Post.objects.filter(pk=own.pk).exists()
