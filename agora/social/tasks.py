"""Social's background work: telling the followers of an area and a topic about an urgent
announcement, a batch at a time, each batch in a constant number of queries."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from agora.accounts.models import User
from agora.notifications.services import notify_many
from agora.social import notifying
from agora.social.models import AreaFollow, Post, TopicFollow
from agora.social.services import post_url


def _next_followers(post: Post, after: int, size: int) -> list[int]:
    """The next `size` people, by id after `after`, who follow the post's area or topic: two
    reads along the indexes social_area_followers and social_topic_followers, merged."""
    area = AreaFollow.objects.filter(area_id=post.urgent_area_id, follower_id__gt=after)
    topic = TopicFollow.objects.filter(topic_id=post.urgent_topic_id, follower_id__gt=after)
    ids = set(area.order_by("follower_id").values_list("follower_id", flat=True)[:size])
    ids |= set(topic.order_by("follower_id").values_list("follower_id", flat=True)[:size])
    return sorted(ids)[:size]


@task()
def send_urgent_announcement(*, post_id: int) -> int:
    """Tell everyone who follows the urgent announcement's area or topic, at once in the app
    and by email whatever their digest setting (`notify_many(at_once=True)`), in batches of
    `AGORA_URGENT_BATCH` people. Returns how many were told. An announcement deleted or
    expired in the meantime tells nobody more."""
    post = Post.objects.select_related("office", "urgent_area").filter(pk=post_id).first()
    if post is None or not post.is_urgent:
        return 0
    told, after = 0, 0
    size = settings.AGORA_URGENT_BATCH
    while True:
        if post.valid_until is not None and post.valid_until <= timezone.now():
            return told
        ids = _next_followers(post, after, size)
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
