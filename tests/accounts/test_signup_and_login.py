"""Sign-up, email confirmation, login, password reset: allauth's flows as Agora sets them up."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from agora.accounts.adapter import current_site
from agora.accounts.models import User, Verification
from agora.core.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-velvet-93"


def sign_up(client, capture, **overrides):
    data = {
        "email": "new.resident@example.org",
        "username": "new_resident",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    with capture(execute=True):
        return client.post("/accounts/signup/", data)


def confirmation_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_sign_up_creates_an_unverified_account_and_the_worker_mails_the_link(
    client, django_capture_on_commit_callbacks, run_worker
):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.resident@example.org")
    assert user.handle == "new_resident"
    assert user.verification == Verification.UNVERIFIED
    assert mail.outbox == [], "the request must not send mail itself"

    sent = run_worker()

    assert len(sent) == 1
    assert sent[0].to == ["new.resident@example.org"]
    assert "/accounts/confirm-email/" in sent[0].body
    assert "Hello from Agora!" in sent[0].body, "emails speak as the site, not as its host"
    assert "testserver!" not in sent[0].body


def test_emails_name_the_authority_that_runs_the_site(
    client, settings, django_capture_on_commit_callbacks, run_worker
):
    from agora.core import identity

    settings.AGORA_AUTHORITY_NAME = "Villaverde City Council"
    identity.forget_held()
    sign_up(client, django_capture_on_commit_callbacks)
    (message,) = run_worker()
    assert message.subject.startswith("[Villaverde City Council] ")
    assert "Hello from Villaverde City Council!" in message.body


def test_confirming_the_email_lifts_the_verification_level_and_is_audited(
    client, django_capture_on_commit_callbacks, run_worker
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(run_worker()[0])
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get("/" + path)
    assert page.status_code == 200
    client.post("/" + path)

    user = User.objects.get(email="new.resident@example.org")
    assert user.verification == Verification.EMAIL_CONFIRMED
    assert EmailAddress.objects.get(user=user).verified
    entry = AuditEntry.objects.get(action="accounts.verification_changed", target_id=str(user.pk))
    assert entry.data["new"] == Verification.EMAIL_CONFIRMED


def test_login_before_confirming_the_email_is_held_at_the_confirmation_page(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "new.resident@example.org", "password": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_a_confirmed_person_logs_in_and_out(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_without_saying_whether_the_email_exists(client, user):
    known = client.post("/accounts/login/", {"login": user.email, "password": "wrong-wrong-1"})
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong-wrong-1"}
    )

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_signing_up_with_a_registered_email_looks_the_same_and_warns_the_owner(
    client, user, django_capture_on_commit_callbacks, run_worker
):
    fresh = sign_up(Client(), django_capture_on_commit_callbacks, email="fresh@example.org")
    taken = sign_up(
        client, django_capture_on_commit_callbacks, email=user.email, username="someone_else"
    )

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert not User.objects.filter(handle="someone_else").exists()
    sent = {message.to[0]: message for message in run_worker()}
    assert "/accounts/password/reset/" in sent[user.email].body


def test_a_handle_is_unique_whatever_its_case_and_the_form_keeps_what_was_typed(
    client, django_capture_on_commit_callbacks
):
    UserFactory(handle="Maria")

    response = sign_up(client, django_capture_on_commit_callbacks, username="mARIA")

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="new.resident@example.org"' in html
    assert 'value="mARIA"' in html
    assert not User.objects.filter(email="new.resident@example.org").exists()


def test_a_taken_handle_is_refused_in_the_same_words_as_a_reserved_one_confirming_no_account(
    client, django_capture_on_commit_callbacks
):
    """A private profile's handle answers 404 on the profile and in the API; sign-up must not
    tell otherwise, so it says "not available" as for a handle the site keeps."""
    UserFactory(handle="lucia", profile_visibility="private")
    answers = {}
    for handle in ("lucia", "admin", "Support"):
        response = sign_up(client, django_capture_on_commit_callbacks, username=handle)
        assert response.status_code == 200
        answers[handle] = response.context["form"].errors["username"]
        assert "already exists" not in response.content.decode()
    assert (
        answers["lucia"]
        == answers["admin"]
        == answers["Support"]
        == ["This handle is not available. Choose another."]
    )
    assert client.get("/@lucia/").status_code == 404
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw1", "too short"),
        ("password1234", "common"),
        ("P@ssw0rd2024!", "common word dressed up"),
        ("aaaaaaaaaaaaaaaa", "too repetitive"),
        ("qwertyuiopasdf", "keyboard walk"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_message(
    client, django_capture_on_commit_callbacks, password, reason
):
    response = sign_up(
        client, django_capture_on_commit_callbacks, password1=password, password2=password
    )

    assert response.status_code == 200, reason
    assert response.context["form"].errors.get("password1"), reason
    assert not User.objects.filter(email="new.resident@example.org").exists()


def test_passwords_are_stored_as_argon2_hashes(user):
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, user, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": user.email})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    sent = run_worker()
    reset_mails = [message for message in sent if message.to == [user.email]]
    assert len(reset_mails) == 1
    assert "/accounts/password/reset/key/" in reset_mails[0].body


def test_a_reset_link_sets_a_new_password(
    client, user, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    body = run_worker()[0].body
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+)", body).group(1)

    form_page = client.get(path, follow=True)
    form_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        form_path, {"password1": "new-harbour-lights-77", "password2": "new-harbour-lights-77"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-harbour-lights-77")


def test_repeated_failed_logins_are_throttled_even_with_the_right_password_afterwards(client, user):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "not-the-password"})

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


def test_forms_without_a_csrf_token_are_refused(user):
    strict = Client(enforce_csrf_checks=True)
    login = strict.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert login.status_code == 403
    assert "_auth_user_id" not in strict.session

    strict.force_login(user)
    profile = strict.post("/settings/profile/", {"display_name": "Changed by a forged form"})
    assert profile.status_code == 403
    user.refresh_from_db()
    assert user.display_name != "Changed by a forged form"


def test_changing_the_email_address_needs_confirmation_of_the_new_one(
    user_client, user, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            "/accounts/email/", {"action_add": "", "email": "new.address@example.org"}
        )

    assert response.status_code == 302
    assert EmailAddress.objects.filter(
        user=user, email="new.address@example.org", verified=False
    ).exists()
    assert any(message.to == ["new.address@example.org"] for message in run_worker())


def test_changing_the_password_needs_the_old_one(user_client, user):
    refused = user_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-it",
            "password1": "new-harbour-lights-77",
            "password2": "new-harbour-lights-77",
        },
    )
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    accepted = user_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-harbour-lights-77",
            "password2": "new-harbour-lights-77",
        },
    )
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-harbour-lights-77")


def test_an_email_rendered_outside_a_request_names_the_site_and_its_configured_host(settings):
    settings.SITE_URL = "https://agora.example.org"
    site = current_site(None)
    assert site.name == "Agora"
    assert site.domain == "agora.example.org"


def test_a_security_notice_names_the_browser_or_says_it_did_not_say(
    user_client, user, run_worker, django_capture_on_commit_callbacks
):
    old = PASSWORD
    for agent, expected in (
        ({}, "Browser: not given by the browser"),
        ({"HTTP_USER_AGENT": "Firefox/140.0"}, "Browser: Firefox/140.0"),
    ):
        new = f"harbour-lights-{len(agent)}-77"
        with django_capture_on_commit_callbacks(execute=True):
            response = user_client.post(
                "/accounts/password/change/",
                {"oldpassword": old, "password1": new, "password2": new},
                **agent,
            )
        assert response.status_code == 302
        (notice,) = [message for message in run_worker() if message.to == [user.email]]
        assert expected in notice.body and "Unspecified" not in notice.body
        mail.outbox.clear()
        old = new


def test_a_new_password_revokes_the_api_tokens_unless_told_not_to(user_client, user):
    """A token made before the change stops reading /api/v1/me once the box, ticked by
    default, is left ticked; the page says how many went."""
    from agora.accounts.services import create_access_token

    _token, kept_secret = create_access_token(user, name="phone")
    _token, other_secret = create_access_token(user, name="laptop")
    page = user_client.get("/accounts/password/change/").content.decode()
    assert "Also revoke my 2 API tokens" in page
    assert re.search(r'<input type="checkbox" name="revoke_tokens"[^>]* checked', page)

    response = user_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-harbour-lights-77",
            "password2": "new-harbour-lights-77",
            "revoke_tokens": "on",
        },
        follow=True,
    )
    assert "Your 2 API tokens were revoked." in response.content.decode()
    for secret in (kept_secret, other_secret):
        answer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert answer.status_code == 401

    _token, secret = create_access_token(user, name="kept")
    response = user_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "new-harbour-lights-77",
            "password1": "other-harbour-lights-78",
            "password2": "other-harbour-lights-78",
        },
        follow=True,
    )
    assert "revoked" not in response.content.decode()
    answer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and answer.json()["handle"] == user.handle
    assert "revoke_tokens" not in Client().get("/accounts/password/change/").content.decode()


def test_a_blocked_email_domain_and_its_subdomains_cannot_sign_up(
    client, django_capture_on_commit_callbacks
):
    from agora.accounts.models import BlockedEmailDomain

    BlockedEmailDomain.objects.create(domain="@Throwaway.Example.", note="a spam wave")
    for address in ("bot@throwaway.example", "bot@mail.throwaway.example"):
        response = sign_up(client, django_capture_on_commit_callbacks, email=address)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Sign-ups from this email domain are not accepted here." in page
        assert not User.objects.filter(email=address).exists()
    response = sign_up(client, django_capture_on_commit_callbacks, email="ana@example.org")
    assert response.status_code == 302


def test_sign_ups_from_one_address_range_are_limited_together(
    client, settings, django_capture_on_commit_callbacks
):
    settings.AGORA_SIGNUP_RANGE_RATE = "2/h"
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "100/h/ip"}
    for number, address in enumerate(("203.0.113.7", "203.0.113.8", "203.0.113.9")):
        other = Client(REMOTE_ADDR=address)
        response = sign_up(
            other,
            django_capture_on_commit_callbacks,
            email=f"wave{number}@example.org",
            username=f"wave_{number}",
        )
        if number < 2:
            assert response.status_code == 302
    assert "You are doing this too often." in response.content.decode()
    assert not User.objects.filter(email="wave2@example.org").exists()
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    response = sign_up(elsewhere, django_capture_on_commit_callbacks, email="ok@example.org")
    assert response.status_code == 302
