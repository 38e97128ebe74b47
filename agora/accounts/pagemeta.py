"""How a public profile describes itself to other networks (`core.pagemeta`); a profile for
members or for its owner only says nothing."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.models import User, Visibility
from agora.core.pagemeta import PageMeta, describe, summary


def _profile(person: User) -> PageMeta | None:
    if person.profile_visibility != Visibility.PUBLIC or not person.is_active:
        return None
    return PageMeta(
        title=f"{person.name} (@{person.handle})",
        description=summary(person.bio) or _("%(name)s on this site.") % {"name": person.name},
        kind="profile",
        image_url=reverse("accounts:avatar", args=[person.handle]) if person.avatar else "",
        image_alt=_("Avatar of %(name)s") % {"name": person.name} if person.avatar else "",
    )


def connect() -> None:
    describe(User, _profile)
