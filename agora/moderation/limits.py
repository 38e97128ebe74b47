"""What an account may write, by its trust level (`trust.py`): a new account (level 0) posts and
comments a few times an hour, with one link and two mentions, no images, and mentions only
people who follow it; a basic account (level 1) a little more; from level 2 on only the site's
general ceilings apply. Every limit is a setting (`AGORA_NEW_*`, `AGORA_BASIC_*`; the whole off
with `AGORA_TRUST_LIMITS`). The apps that take writing ask `check_writing` before they save,
so a page's form and the API refuse alike, keeping what was typed."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agora.core import ratelimit
from agora.moderation import trust

LINK = re.compile(r"https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    tier: str
    post_rate: str  # the name of the setting
    comment_rate: str
    links: int
    mentions: int
    images: bool
    strangers: bool  # may mention people who do not follow them


def limits_for(level: int) -> Limits | None:
    if not settings.AGORA_TRUST_LIMITS or level >= 2:
        return None
    if level == 0:
        return Limits(
            "new",
            "AGORA_NEW_POST_RATE",
            "AGORA_NEW_COMMENT_RATE",
            settings.AGORA_NEW_LINKS,
            settings.AGORA_NEW_MENTIONS,
            images=False,
            strangers=False,
        )
    return Limits(
        "basic",
        "AGORA_BASIC_POST_RATE",
        "AGORA_BASIC_COMMENT_RATE",
        settings.AGORA_BASIC_LINKS,
        settings.AGORA_BASIC_MENTIONS,
        images=True,
        strangers=True,
    )


GROWS = gettext_lazy("These limits loosen as your account takes part here over the days.")


def check_writing(
    person,
    *,
    kind: str,
    body: str,
    images: int = 0,
    mentions: int = 0,
    strangers_mentioned: Callable[[], int] = lambda: 0,
) -> None:
    """Raise a ValidationError on `body` (or `images`), or `RateLimited`, when the person's
    trust level does not allow this post or comment (`kind`: "post" or "comment") yet."""
    if not settings.AGORA_TRUST_LIMITS:
        return
    limits = limits_for(trust.trust_level(person))
    if limits is None:
        return
    if images and not limits.images:
        raise ValidationError(
            {"images": _("New accounts cannot add images on their first day.") + " " + str(GROWS)}
        )
    links = len(LINK.findall(body))
    if links > limits.links:
        raise ValidationError(
            {
                "body": ngettext(
                    "Your account can add at most %(count)d link to a text for now.",
                    "Your account can add at most %(count)d links to a text for now.",
                    limits.links,
                )
                % {"count": limits.links}
                + " "
                + str(GROWS)
            }
        )
    if mentions > limits.mentions:
        raise ValidationError(
            {
                "body": ngettext(
                    "Your account can mention at most %(count)d person in a text for now.",
                    "Your account can mention at most %(count)d people in a text for now.",
                    limits.mentions,
                )
                % {"count": limits.mentions}
                + " "
                + str(GROWS)
            }
        )
    if mentions and not limits.strangers and strangers_mentioned():
        raise ValidationError(
            {"body": _("New accounts can only mention people who follow them.") + " " + str(GROWS)}
        )
    rate = limits.post_rate if kind == "post" else limits.comment_rate
    ratelimit.check(rate, f"{kind}s-{limits.tier}", person)
