"""The verbs: starting, co-sponsors by the private link, moderation, signing once, email
confirmation, thresholds starting the office's clock, responses and debates by the office
only, invalidations, closing; and bad input refused with a message, nothing changed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from agora.accounts.models import Verification
from agora.core.models import AuditEntry
from agora.notifications.models import Notification
from agora.petitions import services, tasks
from agora.petitions.models import (
    Brings,
    Petition,
    PetitionState,
    ReachedThreshold,
    Signature,
    Threshold,
)
from tests.factories import UserFactory
from tests.petitions.conftest import a_draft, an_open_petition, residents, thresholds


def test_co_sponsors_by_the_private_link_send_it_to_the_moderators(town):
    with override_settings(AGORA_PETITION_COSPONSORS=2):
        petition = a_draft(town)
    assert petition.state == PetitionState.DRAFT
    services.ask_for_cosponsors(petition, by=town.verified)
    first, second = residents(2)
    with pytest.raises(PermissionDenied):
        services.cosponsor(petition, token="guess", by=first)
    assert services.cosponsor(petition, token=petition.cosponsor_token, by=first)
    assert not services.cosponsor(petition, token=petition.cosponsor_token, by=first)
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.COLLECTING
    services.cosponsor(petition, token=petition.cosponsor_token, by=second)
    stored = Petition.objects.get(pk=petition.pk)
    assert (stored.state, stored.cosponsor_count) == (PetitionState.AWAITING_MODERATION, 2)
    with pytest.raises(ValidationError):
        services.cosponsor(petition, token=petition.cosponsor_token, by=residents(1, "Late")[0])


def test_moderators_publish_or_reject_with_a_reason_and_the_author_is_told(town):
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = a_draft(town)
        services.ask_for_cosponsors(petition, by=town.verified)
        other = a_draft(town, title="Another")
        services.ask_for_cosponsors(other, by=town.verified)
    with pytest.raises(PermissionDenied):
        services.publish_petition(petition, by=town.official)
    with pytest.raises(ValidationError) as refused:
        services.reject_petition(other, by=town.moderator, reason="  ")
    assert "reason" in refused.value.message_dict
    services.reject_petition(other, by=town.moderator, reason="It asks for something illegal.")
    services.publish_petition(petition, by=town.moderator)
    assert Petition.objects.get(pk=other.pk).state == PetitionState.REJECTED
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.OPEN
    told = Notification.objects.filter(recipient=town.verified, kind="petition_moderated")
    assert sorted(told.values_list("event", flat=True)) == ["published", "rejected"]


def test_a_petition_to_the_authority_is_routed_to_an_office_when_published(town):
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = a_draft(town, office=None, authority=town.cycling_unit.authority)
        services.ask_for_cosponsors(petition, by=town.verified)
    with pytest.raises(ValidationError):
        services.publish_petition(petition, by=town.moderator)
    services.publish_petition(petition, by=town.moderator, office=town.parks)
    assert Petition.objects.get(pk=petition.pk).office == town.parks


def test_one_signature_per_person_and_the_threshold_starts_the_clock(town):
    thresholds(town, response=2, debate=None)
    petition = an_open_petition(town)
    first, second = residents(2)
    assert services.sign_petition(petition, by=first, show_name=True, address="203.0.113.9")
    assert services.sign_petition(petition, by=first) is None
    stored = Signature.objects.get(petition=petition, person=first)
    assert (stored.network, stored.email_domain, stored.area) == (
        "203.0.113.0/24",
        first.email.rpartition("@")[2],
        town.north,
    )
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    assert petition.response_due_at is None
    services.sign_petition(petition, by=second, address="2001:db8:1:2::5")
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.signature_count == 2
    assert stored.response_due_at > timezone.now() + timedelta(days=1)
    assert ReachedThreshold.objects.filter(petition=petition).count() == 1
    assert Signature.objects.get(person=second).network == "2001:db8:1::/48"
    assert (
        Notification.objects.filter(recipient=town.official, kind="petition_threshold").count() == 1
    )


def test_an_account_without_a_confirmed_email_counts_once_it_confirms(
    town, django_capture_on_commit_callbacks, run_worker
):
    petition = an_open_petition(town)
    person = UserFactory(verification=Verification.UNVERIFIED)
    with (
        override_settings(AGORA_PETITION_SIGNERS="signed_in"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signature = services.sign_petition(petition, by=person)
    assert Petition.objects.get(pk=petition.pk).signature_count == 0
    run_worker()
    assert signature.confirm_token in mail.outbox[-1].body
    services.confirm_signature(signature.confirm_token)
    services.confirm_signature(signature.confirm_token)
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    with pytest.raises(ValidationError):
        services.confirm_signature("not-a-token")


def test_bad_input_is_refused_with_a_message_and_nothing_changes(town):
    petition = an_open_petition(town)
    (person,) = residents(1)
    services.sign_petition(petition, by=person)
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        draft = a_draft(town, title="Not yet published")
    before = AuditEntry.objects.count()
    assert services.sign_petition(petition, by=person) is None  # a second signature
    with pytest.raises(ValidationError) as refused:
        services.sign_petition(draft, by=person)
    assert "not open" in str(refused.value)
    Petition.objects.filter(pk=petition.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    petition.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.sign_petition(petition, by=residents(1, "Late")[0])
    assert "closed" in str(refused.value)
    with pytest.raises(PermissionDenied) as refused:
        services.respond_to_petition(petition, by=town.other_official, body="We say no.")
    assert "officials of the office" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Threshold.objects.create(
            authority=town.cycling_unit.authority, count=0, brings=Brings.RESPONSE
        )
    stored = Petition.objects.get(pk=petition.pk)
    assert (stored.signature_count, stored.responded_at) == (1, None)
    assert Signature.objects.count() == 1
    assert AuditEntry.objects.count() == before


def test_the_office_responds_and_records_the_debate_and_signers_are_told(
    town, django_capture_on_commit_callbacks, run_worker
):
    petition = an_open_petition(town)
    signers = residents(2)
    for signer in signers:
        services.sign_petition(petition, by=signer)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_petition(petition, by=town.official, body="We plant **40 trees**.")
    run_worker()
    with pytest.raises(ValidationError):
        services.respond_to_petition(petition, by=town.official, body="Again.")
    assert "<strong>40 trees</strong>" in Petition.objects.get(pk=petition.pk).response_html
    told = Notification.objects.filter(kind="petition_responded")
    assert set(told.values_list("recipient", flat=True)) == {s.pk for s in signers} | {
        town.verified.pk
    }
    emailed = {message.to[0] for message in mail.outbox}
    assert {signer.email for signer in signers} <= emailed
    # The task run again (its worker killed in the middle) tells nobody twice.
    assert tasks.email_signers.call(petition_id=petition.pk, kind="petition_responded") == 0
    with pytest.raises(ValidationError) as refused:
        services.record_debate(
            petition,
            by=town.official,
            debated_on=timezone.localdate() + timedelta(days=3),
            decision="adopted",
        )
    assert "debated_on" in refused.value.message_dict
    services.record_debate(
        petition,
        by=town.official,
        debated_on=timezone.localdate(),
        decision="adopted_in_part",
        minutes_url="https://council.example/minutes/12",
    )
    assert Petition.objects.get(pk=petition.pk).debate_decision == "adopted_in_part"
    assert Notification.objects.filter(kind="petition_debated").count() == 3


def test_invalidating_a_domain_recomputes_the_count_and_is_audited(town):
    petition = an_open_petition(town)
    spam = [
        UserFactory(
            email=f"bot{n}@spam.example",
            home_area="North",
            verification=Verification.VERIFIED_RESIDENT,
        )
        for n in range(3)
    ]
    (honest,) = residents(1)
    for person in [*spam, honest]:
        services.sign_petition(petition, by=person)
    with pytest.raises(PermissionDenied):
        services.invalidate_signatures(
            petition, by=town.official, reason="x", email_domain="spam.example"
        )
    with pytest.raises(ValidationError):
        services.invalidate_signatures(
            petition, by=town.moderator, reason="Both", email_domain="a", network="b"
        )
    invalidation = services.invalidate_signatures(
        petition, by=town.moderator, reason="Throwaway addresses", email_domain="SPAM.example"
    )
    assert invalidation.count == 3
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    assert AuditEntry.objects.filter(action="petition.signatures_invalidated").count() == 1


def test_petitions_past_their_date_close_and_are_read_only(town):
    petition = an_open_petition(town)
    Petition.objects.filter(pk=petition.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    assert services.close_due_petitions() == 1
    assert services.close_due_petitions() == 0
    petition.refresh_from_db()
    assert petition.state == PetitionState.CLOSED
    with pytest.raises(ValidationError):
        services.sign_petition(petition, by=residents(1)[0])


def test_the_officials_of_the_office_do_not_sign_it(town):
    petition = an_open_petition(town)
    town.official.verification = Verification.VERIFIED_RESIDENT
    with pytest.raises(PermissionDenied):
        services.sign_petition(petition, by=town.official)
    assert not Signature.objects.exists()
