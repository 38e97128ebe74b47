"""What a public page says about itself in its head, for those who link to it: its Open Graph
and card tags (how a link to it looks when shared on another network) and its alternate
forms (RSS and Atom feeds). The app that owns the page's object describes it; a higher app
adds alternates (social: the feed of an office, a topic, a process or a person); the page's
template asks with `{% page_meta object %}`. A page that calls nothing, or whose object is
not public, says nothing: no tags on private pages."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class Alternate:
    title: str
    url: str  # a path on this site
    media_type: str  # application/rss+xml, application/atom+xml


@dataclass
class PageMeta:
    title: str
    description: str = ""
    kind: str = "website"  # og:type: website, article, profile
    image_url: str = ""  # a path on this site
    image_alt: str = ""
    alternates: list[Alternate] = field(default_factory=list)

    @staticmethod
    def absolute(path: str) -> str:
        return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


#: By model: describes a public object (None when it is not public).
_DESCRIBERS: dict[type, Callable[[object], PageMeta | None]] = {}
#: Adders of alternates, in the order registered: each takes an object, answers a list.
_ALTERNATES: list[Callable[[object], list[Alternate]]] = []


def describe(model: type, describer: Callable[[object], PageMeta | None]) -> None:
    _DESCRIBERS[model] = describer


def add_alternates(adder: Callable[[object], list[Alternate]]) -> None:
    if adder not in _ALTERNATES:
        _ALTERNATES.append(adder)


def meta_of(thing) -> PageMeta | None:
    describer = next(
        (found for model, found in _DESCRIBERS.items() if isinstance(thing, model)), None
    )
    meta = describer(thing) if describer else None
    if meta is None:
        return None
    for adder in _ALTERNATES:
        meta.alternates.extend(adder(thing))
    return meta


def summary(text: str, length: int = 200) -> str:
    """The first `length` characters of a plain text, cut at a word, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    return flat[: length - 1].rsplit(" ", 1)[0] + "…"
