"""How a person is named to someone else: the one rule every page, email and API answer uses.

A person's name, handle and profile link reach a viewer only when the viewer may see that
person's profile (`can_view_profile`). Otherwise the person shows as a neutral "A resident",
with no handle and no link, so a hidden profile can neither be read nor found through what its
owner wrote. Someone who acts for an office (an official's comment for the office, a step on
a case, an announcement) shows as that office instead when their own profile is hidden: what
the office does is public, who typed it is the official's to share.

Someone who deleted their account and kept what they wrote shows as "Former member".

Each shown person carries their kind of account (`accounts.kinds`), so every name comes with
its badge; an office standing in is institutional, a hidden person has none.

The rule needs no query: it reads the person's own visibility and the viewer's account.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.accounts.kinds import AccountKind, kind_of
from agora.accounts.permissions import can_view_profile

HIDDEN_NAME = _("A resident")
FORMER_MEMBER = _("Former member")


@dataclass(frozen=True)
class ShownPerson:
    """What a viewer is shown of a person. `handle` and `url` are empty when the person is
    hidden from them; `url` is then the office's page when they act for one."""

    name: str
    handle: str = ""
    url: str = ""
    hidden: bool = False
    office: bool = False
    kind: str = ""

    @property
    def kind_label(self) -> str:
        return str(AccountKind(self.kind).label) if self.kind else ""


def shown(person, viewer, *, office=None) -> ShownPerson:
    """What `viewer` (an account, or an anonymous user) is shown of `person`. `office`, when
    the person acts for one, stands in for them if their profile is hidden."""
    if person is None:
        return ShownPerson(name=str(HIDDEN_NAME), hidden=True)
    if person.left_at is not None:
        return ShownPerson(name=str(FORMER_MEMBER), hidden=True)
    if can_view_profile(viewer, person):
        return ShownPerson(
            name=person.name,
            handle=person.handle,
            url=reverse("accounts:profile", args=[person.handle]),
            kind=kind_of(person),
        )
    if office:
        return ShownPerson(
            name=office.name,
            url=office.get_absolute_url(),
            hidden=True,
            office=True,
            kind=AccountKind.INSTITUTIONAL,
        )
    return ShownPerson(name=str(HIDDEN_NAME), hidden=True)


def name_for(person, viewer, *, office=None) -> str:
    return shown(person, viewer, office=office).name
