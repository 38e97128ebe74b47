"""Where a person lands after signing in when no page asked for them (no `next`): the first
answer of the landings other apps register from their `ready()` (cases: an official lands on
their inbox), else `LOGIN_REDIRECT_URL`, the home page."""

from collections.abc import Callable

#: A landing takes the signed-in person and answers a path, or None to let the next one say.
Landing = Callable[[object], str | None]

_landings: list[Landing] = []


def register(landing: Landing) -> Landing:
    if landing not in _landings:
        _landings.append(landing)
    return landing


def landing_for(person) -> str | None:
    for landing in _landings:
        path = landing(person)
        if path:
            return path
    return None
