"""The background worker and the audit log."""

import pytest
from django.core import mail

from agora.core import audit
from agora.core.tasks import send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_emails_wait_in_the_queue_until_the_worker_sends_them(run_worker):
    send_email.enqueue(
        subject="Hello",
        body="Body text",
        to=["someone@example.org"],
        from_email="a@b.example",
        key="hello-1",
    )
    assert mail.outbox == []

    sent = run_worker()

    assert [message.subject for message in sent] == ["Hello"]
    assert sent[0].to == ["someone@example.org"]


def test_the_audit_log_records_who_did_what_to_which_object():
    actor, target = UserFactory(), UserFactory()
    entry = audit.record("accounts.something", target, actor=actor, reason="because")

    found = audit.entries_for(target).get()
    assert found == entry
    assert (found.actor, found.action, found.data) == (
        actor,
        "accounts.something",
        {"reason": "because"},
    )
    assert found.target_id == str(target.pk)
