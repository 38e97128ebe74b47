"""Spam defence before anyone reports: what an app has just saved is held for a moderator
(hidden while it is reviewed, in the queue with an automated decision that says why) when it
matches a word or pattern the administrators list, or when the same text was written again and
again within a day, by one account or many. Nothing is deleted silently; a moderator restores
what was held wrongly. Apps ask `reason_to_hold` before they save the text and `hold` after."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.core import audit
from agora.moderation import registry
from agora.moderation.figures import counted
from agora.moderation.models import (
    Action,
    Decision,
    ModerationState,
    ScreeningPattern,
    TextFingerprint,
)

SPACES = re.compile(r"\s+")


def fingerprint(text: str) -> str:
    folded = SPACES.sub(" ", text.casefold()).strip()
    return hashlib.blake2b(folded.encode(), digest_size=16).hexdigest()


PATTERNS_KEY = "moderation:screening-patterns"


def _patterns() -> list[ScreeningPattern]:
    """The listed patterns, from the cache (emptied when one is saved or deleted)."""
    patterns = cache.get(PATTERNS_KEY)
    if patterns is None:
        patterns = list(ScreeningPattern.objects.all())
        cache.set(PATTERNS_KEY, patterns, timeout=3600)
    return patterns


def forget_patterns(**_signal_arguments) -> None:
    cache.delete(PATTERNS_KEY)


post_save.connect(forget_patterns, sender=ScreeningPattern, dispatch_uid="moderation:patterns")
post_delete.connect(forget_patterns, sender=ScreeningPattern, dispatch_uid="moderation:patterns-")


def _listed_match(text: str) -> ScreeningPattern | None:
    for listed in _patterns():
        if listed.is_regex:
            try:
                if re.search(listed.pattern, text, re.IGNORECASE):
                    return listed
            except re.error:
                continue
        elif listed.pattern.casefold() in text.casefold():
            return listed
    return None


def _repeated(text: str, author, now) -> int:
    """How many times this text was written in the last day, this time included (0 for short
    texts, which repeat innocently: "Thank you!")."""
    if not settings.AGORA_MODERATION_REPEAT_COUNT:
        return 0
    if len(text.strip()) < settings.AGORA_MODERATION_REPEAT_MIN_LENGTH:
        return 0
    digest = fingerprint(text)
    TextFingerprint.objects.create(digest=digest, author=author, created_at=now)
    if secrets.randbelow(100) == 0:  # now and then, the day-old ones go
        TextFingerprint.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    since = now - timedelta(days=1)
    return TextFingerprint.objects.filter(digest=digest, created_at__gte=since).count()


def reason_to_hold(text: str, *, by) -> str:
    """Why a text about to be saved should be held for a moderator ("" when it should not).
    Asked before the app saves, so that every read happens before its writes."""
    listed = _listed_match(text)
    if listed is not None:
        return _("It matches a word or pattern the administrators listed (%(note)s).") % {
            "note": listed.note
        }
    times = _repeated(text, by, timezone.now())
    if settings.AGORA_MODERATION_REPEAT_COUNT and times >= settings.AGORA_MODERATION_REPEAT_COUNT:
        return _("The same text was written %(count)d times within a day.") % {"count": times}
    return ""


def hold(content, *, reason: str) -> Decision | None:
    """Hold what was just saved for review, with the automated decision that says why (None
    for content that cannot be hidden, or that speaks for the authority). In the saving
    transaction."""
    kind = registry.kind_of(content)
    if not reason or kind is None or not kind.can_be_hidden or kind.is_official(content):
        return None
    from agora.moderation.services import item_of

    item = item_of(content, kind, now=timezone.now())
    decision = Decision.objects.create(
        item=item, action=Action.AUTO_HIDE, automated=True, facts=reason
    )
    counted(decision)
    content.moderation_state = ModerationState.UNDER_REVIEW
    content.save(update_fields=["moderation_state"])
    audit.record("moderation.held", item, reason=reason)
    return decision
