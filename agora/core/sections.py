"""A part of a page that one app adds to a page another layer owns (the home page, an office's
page): the template to include and what it needs, fetched in a fixed number of queries."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)
