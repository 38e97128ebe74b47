"""A result as a followable source (social's registry): its followers are told of each
update. Results post nothing to the home feed: its clause there matches no post, written as
an id set the feed's fast path can prove empty with one indexed EXISTS (`social.feeds`), so
following a result never sends a home feed off its fast path."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.processes.queries import visible_processes
from agora.results.models import Result, ResultFollow
from agora.social.sources import SourceKind, register_source

RESULT_SOURCE = register_source(
    SourceKind(
        name="result",
        model=Result,
        follow_model=ResultFollow,
        plural_label=_("Results"),
        followed_message=_("You follow %(name)s: you hear of each of its updates."),
        unfollowed_message=_("You no longer follow %(name)s."),
        posts=lambda results: Q(pk__in=results.filter(pk__lt=0)),
        # Followed where it is read: the results of the processes the person may see.
        visible_to=lambda person: Result.objects.filter(process__in=visible_processes(person)),
    )
)
