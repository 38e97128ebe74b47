"""The places on accounts' pages where other apps add their parts (`core.sections`): the
profile page, after the person's own details (social adds its buttons, counts and lists).
Each part takes the request and the profile's owner."""

from agora.core.sections import Slot

PROFILE = Slot("profile page, after the person's details")
