"""Building blocks for the schemas of every app's api module: strict input, text a database
can store, and the one way lists are paged."""

from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, ConfigDict, field_validator


def _storable(value: str) -> str:
    """PostgreSQL refuses NUL characters in text; saying so here makes them a 422 instead of
    a 500 when the row is saved."""
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    return value


#: The patterns say in the schema what the validators check, so clients learn the rules from
#: the document (written with \\u0000, which Python, Rust and JavaScript regexes all read).
NO_NUL = r"^[^\u0000]*$"
SAID = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"

Text = Annotated[str, Field(pattern=NO_NUL), AfterValidator(_storable)]

#: Text that must say something: at least one character that is not a space. The schema says
#: so (`pattern`), so a client learns it from the document, not from a 422.
Said = Annotated[str, Field(pattern=SAID), AfterValidator(_storable)]

# A row's id as a client sends it: positive and within the database's 64-bit integers (SQLite
# cannot even compare a larger one, and would answer 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Input(Schema):
    """A request body: unknown fields are refused (a client learns that `role` cannot be set
    rather than seeing it ignored) and text loses surrounding whitespace, as in Django forms.
    Stripping also makes pydantic check that text is valid Unicode, so a lone surrogate in the
    JSON is a 422 rather than a database error."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul_anywhere(cls, value):
        """Every text of every body is storable, not only the fields typed `Text` or `Said`: a
        slug that names a process or an office is looked up in the database, which refuses a
        NUL in a query as in a row (a 500, found by the API fuzz test)."""
        if _holds_nul(value):
            raise ValueError(_("Text cannot contain NUL characters."))
        return value


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


PAGE_MAX_LIMIT = 100
PAGE_MAX_OFFSET = 100_000


class PageParams(Schema):
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=PAGE_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=PAGE_MAX_OFFSET)


class Page(LimitOffsetPagination):
    """`?limit=&offset=` with both bounded, so a client can neither ask for a whole table nor
    send the database an offset past the end of a bigint. Answers `{"items": [...],
    "count": n}`."""

    Input = PageParams
