"""The places on accounts' pages where other apps add their parts (`core.sections`): the
profile page, after the person's own details (social adds its buttons, counts and lists).
Each part takes the request and the profile's owner."""

from agora.core.sections import Slot

PROFILE = Slot("profile page, after the person's details")

#: Links other apps add to the settings pages' navigation, after accounts' own: (URL name,
#: label). Filled from apps' `ready` with `add_settings_link`.
SETTINGS_LINKS: list[tuple[str, str]] = []


#: Notes other apps add under the sign-up form (privacy: what signing up accepts): a
#: template, and a callable giving it its `note` (no request needed).
SIGNUP_NOTES: list[tuple[str, object]] = []


def add_signup_note(template_name: str, context) -> None:
    if all(existing != template_name for existing, _context in SIGNUP_NOTES):
        SIGNUP_NOTES.append((template_name, context))


def add_settings_link(url_name: str, label) -> None:
    if all(existing != url_name for existing, _label in SETTINGS_LINKS):
        SETTINGS_LINKS.append((url_name, label))
