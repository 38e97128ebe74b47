"""Social's background work: telling the followers of an area (and of the areas that contain
it) and of a topic about an urgent announcement, a batch at a time, each batch in a constant
number of queries."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from agora.accounts.models import User
from agora.directory.index import get_index
from agora.notifications.services import notify_many
from agora.social import notifying
from agora.social.models import AreaFollow, Post, TopicFollow
from agora.social.services import post_url


def affected_areas(post: Post) -> list[int]:
    """The urgent announcement's area and every area that contains it (a district's notice
    concerns the city's followers too), from the directory's index in memory: no query."""
    index = get_index()
    area = index.areas.get(post.urgent_area_id, post.urgent_area)
    return [current.pk for current in index.area_chain(area)]


def _next_followers(post: Post, areas: list[int], after: int, size: int) -> list[int]:
    """The next `size` people, by id after `after`, who follow one of the areas or the
    post's topic: one read per area (the chain is a city, a district, a neighbourhood, a
    street at most) along social_area_followers and one along social_topic_followers, each
    at most `size` ids, merged. Every id up to the last one returned is in some read, since
    each read is cut at `size` ids in order and a person follows an area once."""
    reads = [AreaFollow.objects.filter(area_id=area, follower_id__gt=after) for area in areas]
    reads.append(TopicFollow.objects.filter(topic_id=post.urgent_topic_id, follower_id__gt=after))
    ids: set[int] = set()
    for read in reads:
        ids |= set(read.order_by("follower_id").values_list("follower_id", flat=True)[:size])
    return sorted(ids)[:size]


@task()
def send_urgent_announcement(*, post_id: int) -> int:
    """Tell everyone who follows the urgent announcement's area, an area containing it, or
    its topic, at once in the app
    and by email whatever their digest setting (`notify_many(at_once=True)`), in batches of
    `AGORA_URGENT_BATCH` people. Returns how many were told. An announcement deleted or
    expired in the meantime tells nobody more."""
    post = Post.objects.select_related("office", "urgent_area").filter(pk=post_id).first()
    if post is None or not post.is_urgent:
        return 0
    areas = affected_areas(post)
    told, after = 0, 0
    size = settings.AGORA_URGENT_BATCH
    while True:
        if post.valid_until is not None and post.valid_until <= timezone.now():
            return told
        ids = _next_followers(post, areas, after, size)
        if not ids:
            return told
        told += notify_many(
            User.objects.filter(pk__in=ids),
            kind=notifying.URGENT_ANNOUNCEMENT,
            actor=None,
            office=post.office,
            subject=post.urgent_area.name,
            target=post,
            url=post_url(post),
            excerpt=post.body,
            at_once=True,
        )
        after = ids[-1]
