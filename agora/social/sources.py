"""The kinds of things other than people that a person can follow: offices, topics and areas
of the directory. Each kind names its directory model and the social model that records the
follows. This is the extension point for participation processes: add a follow model in
`social/models/sources.py`, an entry here and a clause in `social.feeds.followed_sources`."""

from dataclasses import dataclass

from django.db import models

from agora.directory.models import Area, Office, Topic
from agora.social.models import AreaFollow, OfficeFollow, TopicFollow


@dataclass(frozen=True)
class SourceKind:
    name: str  # in URLs and the API: /follow/office/<slug>
    model: type[models.Model]
    follow_model: type[models.Model]

    @property
    def field(self) -> str:
        return self.follow_model.thing_field

    def follows_of(self, thing) -> models.QuerySet:
        return self.follow_model.objects.filter(**{self.field: thing})


SOURCE_KINDS = {
    kind.name: kind
    for kind in (
        SourceKind("office", Office, OfficeFollow),
        SourceKind("topic", Topic, TopicFollow),
        SourceKind("area", Area, AreaFollow),
    )
}


def kind_of(thing) -> SourceKind:
    for kind in SOURCE_KINDS.values():
        if isinstance(thing, kind.model):
            return kind
    raise TypeError(f"{type(thing).__name__} cannot be followed")
