"""The kinds of things other than people that a person can follow, as a registry that the app
owning each kind fills: its model, the model that records the follows (a subclass of
`social.models.sources.FollowedThing`), its words, and its own clause for the home feed. Social
registers the directory's offices, topics and areas here (the directory stands below social);
a later app (a participation process) registers its own kind from its AppConfig's `ready`,
with its own follow model and migration, and edits nothing in social."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Area, Office, Responsibility, Topic
from agora.social.models import AreaFollow, OfficeFollow, Post, TopicFollow


@dataclass(frozen=True)
class SourceKind:
    """`posts(followed)` is the kind's clause of the home feed: which posts a person sees for
    the things they follow, given `followed` (a subquery of those things' ids). Clauses that
    name posts by `office__in` or `pk__in` a subquery let the feed's fast path tell cheaply
    when they match nothing (`social.feeds`)."""

    name: str  # in URLs and the API: /follow/office/<slug>
    model: type[models.Model]
    follow_model: type[models.Model]
    plural_label: str  # a heading over the things of this kind a person follows
    followed_message: str  # said after following one: "%(name)s" is its name
    unfollowed_message: str
    posts: Callable[[models.QuerySet], Q]
    # The things of this kind a person may see, and so follow: all of them unless the kind
    # says otherwise (a process in draft is for the office that runs it).
    visible_to: Callable[[object], models.QuerySet] | None = None

    def visible(self, person) -> models.QuerySet:
        if self.visible_to is None:
            return self.model._default_manager.all()
        return self.visible_to(person)

    @property
    def field(self) -> str:
        return self.follow_model.thing_field

    def follows_of(self, thing) -> models.QuerySet:
        return self.follow_model.objects.filter(**{self.field: thing})

    def followed_by(self, person) -> models.QuerySet:
        """The ids of the things of this kind the person follows, as a subquery."""
        return self.follow_model.objects.filter(follower=person).values(self.field)


#: Every kind, by name, in the order registered.
SOURCE_KINDS: dict[str, SourceKind] = {}


def register_source(kind: SourceKind) -> SourceKind:
    if SOURCE_KINDS.get(kind.name, kind) != kind:
        raise ValueError(f"The source kind {kind.name} is registered twice, differently")
    SOURCE_KINDS[kind.name] = kind
    return kind


def kind_of(thing) -> SourceKind:
    for kind in SOURCE_KINDS.values():
        if isinstance(thing, kind.model):
            return kind
    raise TypeError(f"{type(thing).__name__} cannot be followed")


def _tagged(**tag_link) -> Q:
    """Posts with a tag linked to one of the followed things (`agora.directory.hashtags`)."""
    return Q(pk__in=Post.tags.through.objects.filter(**tag_link).values("post"))


register_source(
    SourceKind(
        name="office",
        model=Office,
        follow_model=OfficeFollow,
        plural_label=_("Offices"),
        followed_message=_(
            "You follow the office %(name)s: its announcements come to your home feed."
        ),
        unfollowed_message=_("You no longer follow the office %(name)s."),
        posts=lambda offices: Q(office__in=offices),
    )
)
register_source(
    SourceKind(
        name="topic",
        model=Topic,
        follow_model=TopicFollow,
        plural_label=_("Topics"),
        followed_message=_("You follow the topic %(name)s: posts about it come to your home feed."),
        unfollowed_message=_("You no longer follow the topic %(name)s."),
        posts=lambda topics: _tagged(tag__topic__in=topics),
    )
)
register_source(
    SourceKind(
        name="area",
        model=Area,
        follow_model=AreaFollow,
        plural_label=_("Areas"),
        followed_message=_(
            "You follow %(name)s: announcements of the offices responsible there and posts "
            "tagged with the place come to your home feed."
        ),
        unfollowed_message=_("You no longer follow the area %(name)s."),
        # The offices with a responsibility recorded for that very area (not for the areas
        # around or inside it), and the posts tagged with it.
        posts=lambda areas: (
            Q(office__in=Responsibility.objects.filter(area__in=areas).values("office"))
            | _tagged(tag__area__in=areas)
        ),
    )
)
