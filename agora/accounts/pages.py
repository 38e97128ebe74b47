"""The places on accounts' pages where other apps add their parts (`core.sections`): the
profile page, after the person's own details (social adds its buttons, counts and lists).
Each part takes the request and the profile's owner."""

from agora.core.sections import Slot

PROFILE = Slot("profile page, after the person's details")

#: Links other apps add to the settings pages' navigation, after accounts' own: (URL name,
#: label). Filled from apps' `ready` with `add_settings_link`.
SETTINGS_LINKS: list[tuple[str, str]] = []


def add_settings_link(url_name: str, label) -> None:
    if all(existing != url_name for existing, _label in SETTINGS_LINKS):
        SETTINGS_LINKS.append((url_name, label))
