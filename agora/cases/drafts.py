"""Keeping what someone wrote in the ask-or-report form while they sign up or sign in.

Before they have an account the draft lives in their session; when they sign up or sign in
in that session it becomes theirs (a `CaseDraft` row), so it is still there when they confirm
their email on another device and sign in there. It is dropped when the case is sent or they
start again. Photos are never kept: they are asked for again."""

from django.utils import timezone

from agora.cases.models import CaseDraft

SESSION_KEY = "cases_draft"
#: At most this many characters of any one field are kept (the form's own limits are lower).
FIELD_LIMIT = 5000


def keep(request, fields: dict) -> None:
    fields = {name: str(value)[:FIELD_LIMIT] for name, value in fields.items()}
    if request.user.is_authenticated:
        CaseDraft.objects.update_or_create(
            user=request.user, defaults={"fields": fields, "saved_at": timezone.now()}
        )
    else:
        request.session[SESSION_KEY] = fields


def waiting(request) -> dict | None:
    """The draft waiting for this person, if any."""
    if request.user.is_authenticated:
        draft = CaseDraft.objects.filter(user=request.user).first()
        if draft is not None:
            return draft.fields
    kept = request.session.get(SESSION_KEY)
    return kept if isinstance(kept, dict) else None


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
    if request.user.is_authenticated:
        CaseDraft.objects.filter(user=request.user).delete()


def adopt(sender=None, *, request=None, user=None, **_kwargs) -> None:
    """On signing up or in: the session's draft becomes the person's."""
    if request is None or user is None or not hasattr(request, "session"):
        return
    kept = request.session.pop(SESSION_KEY, None)
    if isinstance(kept, dict) and kept:
        CaseDraft.objects.update_or_create(
            user=user, defaults={"fields": kept, "saved_at": timezone.now()}
        )


def has_draft(user) -> bool:
    return CaseDraft.objects.filter(user=user).exists()
