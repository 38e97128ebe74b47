"""Every change to an account goes through one of these verbs. Each runs in a transaction and
writes the audit log where the change matters to someone other than the person."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts import kinds
from agora.accounts.avatars import reencode_avatar
from agora.accounts.models import (
    CountsShown,
    PersonalAccessToken,
    Role,
    User,
    Verification,
    VerificationCode,
    VerificationMethod,
)
from agora.core import audit
from agora.core.prepared import load

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "home_area",
    "preferred_language",
    "profile_visibility",
    "connections_visibility",
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require_administrator(user: User) -> None:
    if not (user.is_superuser or user.role == Role.ADMINISTRATOR):
        raise PermissionDenied("Only administrators can do this.")


@transaction.atomic
def update_profile(user: User, *, avatar=None, remove_avatar: bool = False, **fields) -> User:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(user, name, value)
    changed = list(fields)
    old_avatar = user.avatar.name if user.avatar else ""
    if avatar is not None:
        clean = reencode_avatar(avatar)
        user.avatar.save(clean.name, clean, save=False)
        changed.append("avatar")
    elif remove_avatar and old_avatar:
        user.avatar = ""
        changed.append("avatar")
    if changed:
        user.full_clean(exclude=["password", "avatar"])
        user.save(update_fields=changed)
    if "avatar" in changed and old_avatar:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return user


@transaction.atomic
def change_role(user: User, *, role: str, by: User) -> User:
    _require_administrator(by)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    old = user.role
    if old == role:
        return user
    user.role = role
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    audit.record("accounts.role_changed", user, actor=by, old=old, new=role)
    return user


@transaction.atomic
def set_kind(user: User, *, kind: str, by: User, detail: str | None = None) -> User:
    """Make the account a resident, institutional or political account (administrators
    only; audited). The kind's requirements must hold (an institutional account is an
    official of an office, `kinds.register_requirement`), else `ValidationError` says why
    and nothing changes. `detail` says what the account is ("Councillor, Centro district")."""
    _require_administrator(by)
    if kind not in kinds.AccountKind.values:
        raise ValidationError(_("Unknown kind of account."), code="invalid_kind")
    unmet = kinds.unmet_requirement(user, kind)
    if unmet:
        raise ValidationError(unmet, code="kind_requirement")
    old = user.kind
    user.kind = kind
    if detail is not None:
        user.kind_detail = detail.strip()
    user.kind_set_at = timezone.now()
    user.kind_set_by = by
    user.save(update_fields=["kind", "kind_detail", "kind_set_at", "kind_set_by"])
    audit.record("accounts.kind_changed", user, actor=by, old=old, new=kind)
    return user


@transaction.atomic
def mark_email_confirmed(user: User) -> User:
    """An address was confirmed: lift an unverified account to the first level, never lower
    a verified resident."""
    updated = User.objects.filter(pk=user.pk, verification=Verification.UNVERIFIED).update(
        verification=Verification.EMAIL_CONFIRMED
    )
    if updated:
        user.verification = Verification.EMAIL_CONFIRMED
        audit.record(
            "accounts.verification_changed",
            user,
            actor=user,
            old=Verification.UNVERIFIED,
            new=Verification.EMAIL_CONFIRMED,
            method="email",
        )
    return user


@transaction.atomic
def verify_resident(
    user: User, *, by: User, method: str = VerificationMethod.ADMINISTRATOR
) -> User:
    if method == VerificationMethod.ADMINISTRATOR:
        _require_administrator(by)
    old = user.verification
    user.verification = Verification.VERIFIED_RESIDENT
    user.verified_at = timezone.now()
    user.verified_by = by
    user.verification_method = method
    user.save(update_fields=["verification", "verified_at", "verified_by", "verification_method"])
    audit.record(
        "accounts.verification_changed",
        user,
        actor=by,
        old=old,
        new=Verification.VERIFIED_RESIDENT,
        method=method,
    )
    return user


@transaction.atomic
def issue_verification_code(*, by: User, note: str = "", valid_days: int = 30) -> str:
    """Create a one-time code and return it; it is never shown again."""
    _require_administrator(by)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    entry = VerificationCode.objects.create(
        code_hash=VerificationCode.hash(code),
        note=note,
        created_by=by,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    audit.record("accounts.verification_code_issued", entry, actor=by, note=note)
    return code


@transaction.atomic
def redeem_verification_code(user: User, code: str) -> User:
    """Spend a code on the account. The conditional update makes a code good for one account
    even when two people type it at the same moment."""
    now = timezone.now()
    entry = VerificationCode.objects.filter(code_hash=VerificationCode.hash(code)).first()
    invalid = ValidationError(
        _("This code is not valid. Check it, or ask for a new one."), code="invalid_code"
    )
    if entry is None or entry.expires_at <= now:
        raise invalid
    claimed = VerificationCode.objects.filter(pk=entry.pk, used_at__isnull=True).update(
        used_at=now, used_by=user
    )
    if not claimed:
        raise invalid
    return verify_resident(user, by=entry.created_by, method=VerificationMethod.CODE)


@transaction.atomic
def create_access_token(user: User, *, name: str) -> tuple[PersonalAccessToken, str]:
    """Return the new token and its secret; the secret is not stored and not shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    secret = PersonalAccessToken.new_secret()
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name[:80],
        token_hash=PersonalAccessToken.hash(secret),
        hint=secret[: len(PersonalAccessToken.PREFIX) + 4],
    )
    audit.record("accounts.token_created", token, actor=user, name=token.name)
    return token, secret


@transaction.atomic
def revoke_access_token(token: PersonalAccessToken, *, by: User) -> PersonalAccessToken:
    if token.user_id != by.pk:
        raise PermissionDenied("A token can only be revoked by its owner.")
    if PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        token.refresh_from_db(fields=["revoked_at"])
        audit.record("accounts.token_revoked", token, actor=by, name=token.name)
    return token


def revoke_all_access_tokens(*, by: User) -> int:
    """Revoke every active token of the person; how many there were."""
    active = PersonalAccessToken.objects.filter(user=by, revoked_at__isnull=True)
    tokens = list(active.only("pk", "name"))
    revoked = active.filter(pk__in=[token.pk for token in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        audit.record("accounts.token_revoked", token, actor=by, name=token.name)
    return revoked


@transaction.atomic
def end_sessions(person: User, *, by: User | None, reason: str) -> int:
    """Sign the person out everywhere at once: every session ends on its next request and
    every access token is revoked. How many tokens were revoked."""
    User.objects.filter(pk=person.pk).update(session_generation=F("session_generation") + 1)
    person.refresh_from_db(fields=["session_generation"])
    revoked = PersonalAccessToken.objects.filter(user=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit.record("accounts.sessions_ended", person, actor=by, reason=reason, tokens=revoked)
    return revoked


def user_for_token(secret: str) -> User | None:
    """The active account a bearer token belongs to, or None. Marks the token as used at most
    once a minute so a busy client does not write on every request. One statement, compiled
    once (`core.prepared.load`): every call of the API asks it."""
    if not secret.startswith(PersonalAccessToken.PREFIX):
        return None
    found = load(
        ("account of an access token",),
        {"hash": "text"},
        lambda stand_ins: User.objects.filter(
            access_tokens__token_hash=stand_ins["hash"], access_tokens__revoked_at__isnull=True
        ).annotate(token=F("access_tokens__id"), token_used_at=F("access_tokens__last_used_at")),
        hash=PersonalAccessToken.hash(secret),
    )
    if not found:
        return None
    user, (token, last_used_at) = found[0]
    if not user.is_active:
        return None
    now = timezone.now()
    if last_used_at is None or now - last_used_at > timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token).update(last_used_at=now)
    return user


def set_language(user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def set_hide_counts(user: User, hide_counts: str) -> User:
    """Whether the person sees counts of likes, shares, supports and followers (`CountsShown`)."""
    if hide_counts not in CountsShown.values:
        raise ValueError(f"Not a choice for counts: {hide_counts}")
    user.hide_counts = hide_counts
    user.save(update_fields=["hide_counts"])
    return user
