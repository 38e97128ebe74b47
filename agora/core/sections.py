"""Parts of a page that other apps add to a page a lower layer owns: the home page (the site
layer), an office's, a topic's or an area's page (the directory), a profile (accounts). The
owner of the page declares a `Slot`; a higher app adds a part to it from its AppConfig's
`ready`; the page renders each part's `Section` with `{% render_section %}`. So the lower
layer never imports the higher one, and a new app adds to a page without editing it."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A template and what it needs, fetched in a fixed number of queries; rendered inside
    the page's own context, so the template also sees `request`, `user` and the CSRF token."""

    template: str
    context: dict = field(default_factory=dict)


#: A part takes the request and the page's object (or nothing) and answers a Section or None.
Part = Callable[..., Section | None]


class Slot:
    def __init__(self, name: str):
        self.name = name
        self._parts: list[tuple[int, Part]] = []

    def add(self, part: Part, *, order: int = 50) -> Part:
        """Add a part; parts show by `order`, then in the order added (the order of apps)."""
        if all(existing is not part for _order, existing in self._parts):
            self._parts.append((order, part))
            self._parts.sort(key=lambda entry: entry[0])
        return part

    def sections(self, request, *objects) -> list[Section]:
        found = (part(request, *objects) for _order, part in self._parts)
        return [section for section in found if section is not None]

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {len(self._parts)} parts>"
