"""How the directory's public pages describe themselves to other networks (`core.pagemeta`)."""

from django.utils.translation import gettext as _

from agora.core.pagemeta import PageMeta, describe, summary
from agora.directory.models import Area, Office, Topic


def _office(office: Office) -> PageMeta:
    return PageMeta(
        title=office.name,
        description=summary(office.description)
        or _("Who %(office)s is, what it handles and how to reach it.") % {"office": office.name},
    )


def _topic(topic: Topic) -> PageMeta:
    return PageMeta(
        title=topic.name,
        description=summary(topic.description)
        or _("Which office handles %(topic)s, and what people say about it.")
        % {"topic": topic.name},
    )


def _area(area: Area) -> PageMeta:
    return PageMeta(
        title=area.name,
        description=_("%(kind)s: the offices responsible in %(area)s and what happens there.")
        % {"kind": area.get_kind_display(), "area": area.name},
    )


def connect() -> None:
    describe(Office, _office)
    describe(Topic, _topic)
    describe(Area, _area)
