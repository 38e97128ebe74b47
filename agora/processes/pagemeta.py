"""How a published process describes itself to other networks (`core.pagemeta`); a draft
says nothing."""

from django.urls import reverse
from django.utils.html import strip_tags

from agora.core.pagemeta import PageMeta, describe, summary
from agora.processes.models import Process


def _process(process: Process) -> PageMeta | None:
    if not process.is_published:
        return None
    has_image = bool(process.image)
    return PageMeta(
        title=process.name,
        description=summary(strip_tags(process.description_html)),
        kind="article",
        image_url=reverse("processes:image", args=[process.slug]) if has_image else "",
        image_alt=process.image_alt if has_image else "",
    )


def connect() -> None:
    describe(Process, _process)
