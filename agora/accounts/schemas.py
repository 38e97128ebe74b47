"""The API's side of naming people (`agora.accounts.naming`): every endpoint that shows who
wrote or did something answers with these fields, resolved for the caller."""

from typing import Literal

from ninja import Field, Schema

from agora.accounts.naming import shown

HANDLE_DESCRIPTION = "Null when this person's profile is hidden from you."
NAME_DESCRIPTION = (
    'Their name; "A resident" (in your language) when their profile is hidden from you, or the '
    "office's name when they act for an office."
)
HIDDEN_DESCRIPTION = "True when their profile is hidden from you and they are not named."
KIND_DESCRIPTION = (
    "Their kind of account: resident, institutional (an office or service of the authority) "
    "or political (an elected representative, a party group, a candidate); institutional "
    "when an office stands in for them; null when they are hidden from you."
)


class Author(Schema):
    handle: str | None = Field(description=HANDLE_DESCRIPTION)
    display_name: str = Field(description=NAME_DESCRIPTION)
    hidden: bool = Field(False, description=HIDDEN_DESCRIPTION)
    kind: Literal["resident", "institutional", "political"] | None = Field(
        None, description=KIND_DESCRIPTION
    )


COUNT_DESCRIPTION = (
    "Null when the count is hidden: you chose to see no counts, or its author chose to show "
    "none on their posts (calm settings)."
)


def caller(context):
    request = context["request"]
    return getattr(request, "auth", None) or request.user


def count_for(request, value: int, author=None) -> int | None:
    """`shown_count` for an endpoint that answers a dict: the count, or None when hidden for
    the caller of this request."""
    return shown_count(value, {"request": request}, author)


def shown_count(value: int, context, author=None) -> int | None:
    """A count of likes, shares, supports or followers for the caller, or None when hidden
    (`accounts.templatetags.people.counts_hidden_for`)."""
    from agora.accounts.templatetags.people import counts_hidden_for

    return None if counts_hidden_for(caller(context), author) else value


def shown_author(person, context, *, office=None) -> dict | None:
    """The `Author` fields of `person` for the caller of this request; None for nobody."""
    if person is None:
        return None
    who = shown(person, caller(context), office=office)
    return {
        "handle": who.handle or None,
        "display_name": who.name,
        "role": None if who.hidden else person.role,
        "hidden": who.hidden,
        "kind": who.kind or None,
    }
