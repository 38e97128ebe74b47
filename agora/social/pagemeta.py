"""How a post anyone may read describes itself to other networks (`core.pagemeta`): the
speaker, the first words and its first image with its description. A post for followers or
connections, or withheld, says nothing."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.pagemeta import PageMeta, describe, summary
from agora.social.models import Post


def _post(post: Post) -> PageMeta | None:
    if not post.is_open_to_anyone:
        return None
    speaker = post.office.name if post.office_id else post.author.name
    images = list(post.images.all())  # prefetched where posts are shown
    image = images[0] if images else None
    return PageMeta(
        title=_("Post by %(name)s") % {"name": speaker},
        description=summary(post.body),
        kind="article",
        image_url=reverse("social:post_image", args=[post.pk, image.pk]) if image else "",
        image_alt=image.alt_text if image else "",
    )


def connect() -> None:
    describe(Post, _post)
