"""A process as a followable source (social's registry): its followers find the news its
office posts about it (`ProcessPost`) in their home feed, and are told when a phase starts."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.processes.models import Process, ProcessFollow, ProcessPost
from agora.processes.queries import visible_processes
from agora.social.sources import SourceKind, register_source

PROCESS_SOURCE = register_source(
    SourceKind(
        name="process",
        model=Process,
        follow_model=ProcessFollow,
        plural_label=_("Participation processes"),
        followed_message=_(
            "You follow %(name)s: its news comes to your home feed, and you hear when a phase "
            "starts."
        ),
        unfollowed_message=_("You no longer follow %(name)s."),
        posts=lambda processes: Q(
            pk__in=ProcessPost.objects.filter(process__in=processes).values("post")
        ),
        visible_to=visible_processes,
    )
)
