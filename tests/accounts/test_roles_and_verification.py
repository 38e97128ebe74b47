"""Roles and verification levels: who may change them, and the record they leave."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from agora.accounts import services
from agora.accounts.models import Role, Verification, VerificationCode, VerificationMethod
from agora.core.audit import entries_for
from tests.factories import PASSWORD, UserFactory
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    person = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return person


def test_an_administrator_changes_a_role_and_the_audit_log_says_who(administrator, user):
    services.change_role(user, role=Role.MODERATOR, by=administrator)

    user.refresh_from_db()
    assert user.role == Role.MODERATOR
    assert not user.is_staff
    entry = entries_for(user).get(action="accounts.role_changed")
    assert entry.actor == administrator
    assert entry.data == {"old": Role.RESIDENT, "new": Role.MODERATOR}


def test_making_someone_an_administrator_opens_the_admin_site_to_them(administrator, user):
    services.change_role(user, role=Role.ADMINISTRATOR, by=administrator)
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser

    services.change_role(user, role=Role.RESIDENT, by=administrator)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICIAL, Role.MODERATOR])
def test_only_administrators_change_roles(role, user):
    actor = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        services.change_role(user, role=Role.ADMINISTRATOR, by=actor)
    user.refresh_from_db()
    assert user.role == Role.RESIDENT
    assert not entries_for(user).exists()


def test_an_administrator_verifies_a_resident_and_the_record_says_who_and_how(administrator, user):
    services.verify_resident(user, by=administrator)

    user.refresh_from_db()
    assert user.verification == Verification.VERIFIED_RESIDENT
    assert user.verified_by == administrator
    assert user.verification_method == VerificationMethod.ADMINISTRATOR
    assert user.verified_at is not None
    entry = entries_for(user).get(action="accounts.verification_changed")
    assert entry.actor == administrator
    assert entry.data["method"] == VerificationMethod.ADMINISTRATOR


def test_a_moderator_cannot_verify_residents(user):
    with pytest.raises(PermissionDenied):
        services.verify_resident(user, by=UserFactory(role=Role.MODERATOR))


def test_a_one_time_code_verifies_the_account_that_redeems_it(administrator, user, client):
    code = services.issue_verification_code(by=administrator, note="Letter to Calle Mayor 4")
    client.force_login(user)

    response = client.post("/settings/verification/", {"code": code.lower()})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.verification == Verification.VERIFIED_RESIDENT
    assert user.verification_method == VerificationMethod.CODE
    assert user.verified_by == administrator
    assert VerificationCode.objects.get().used_by == user


def test_a_code_works_only_once(administrator, user, other_user):
    code = services.issue_verification_code(by=administrator)
    services.redeem_verification_code(user, code)

    with pytest.raises(ValidationError):
        services.redeem_verification_code(other_user, code)
    other_user.refresh_from_db()
    assert other_user.verification == Verification.EMAIL_CONFIRMED


def test_an_expired_or_unknown_code_is_refused_with_a_message(administrator, user, client):
    code = services.issue_verification_code(by=administrator)
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(user)

    for attempt in (code, "AAAA-BBBB-CCCC", "short"):
        response = client.post("/settings/verification/", {"code": attempt})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    user.refresh_from_db()
    assert user.verification == Verification.EMAIL_CONFIRMED


def test_the_issue_command_prints_a_code_that_works(administrator, user, capsys):
    call_command("issue_verification_code", "--by", administrator.handle, "--note", "desk")
    code = capsys.readouterr().out.strip().splitlines()[-1]
    services.redeem_verification_code(user, code)
    user.refresh_from_db()
    assert user.is_verified_resident


def test_the_admin_changes_roles_through_the_service(administrator, user):
    client = Client()
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "make_official", "_selected_action": [user.pk], "index": 0},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == Role.OFFICIAL
    assert entries_for(user).filter(action="accounts.role_changed", actor=administrator).exists()


def test_the_admin_lists_accounts_with_their_roles(administrator):
    UserFactory(handle="listed_person", role=Role.OFFICIAL)
    client = Client()
    client.force_login(administrator)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert "listed_person" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMINISTRATOR])
def test_moderators_and_administrators_must_turn_on_two_factor_login_first(role, client):
    person = UserFactory(role=role, is_staff=role == Role.ADMINISTRATOR)
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before a security change.
    reauthenticate = client.get("/accounts/2fa/totp/activate/")
    assert reauthenticate["Location"].startswith("/accounts/reauthenticate/")
    client.post(reauthenticate["Location"], {"password": PASSWORD})
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    assert "Authenticator code" in activate.content.decode()

    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert client.get("/").status_code == 200


def test_residents_and_officials_are_not_forced_into_two_factor_login(client):
    for role in (Role.RESIDENT, Role.OFFICIAL):
        person = UserFactory(role=role)
        signed_in(person, client)
        home = main_part(client.get("/"))
        assert "Signed in as" in home and f'<a href="/@{person.handle}/">Your profile</a>' in home


def test_login_with_two_factor_needs_the_current_authenticator_code(client):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    person = UserFactory(role=Role.MODERATOR)
    TOTP.activate(person, secret)

    first = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    counter = int(timezone.now().timestamp()) // 30
    code = format_hotp_value(hotp_value(secret, counter))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(person.pk)


def test_guessing_verification_codes_is_throttled(administrator, user, client):
    code = services.issue_verification_code(by=administrator)
    client.force_login(user)
    for _attempt in range(10):
        client.post("/settings/verification/", {"code": "AAAA-BBBB-CCCC"})

    response = client.post("/settings/verification/", {"code": code})

    assert "Too many attempts" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_verified_resident
