"""The worker's part: recomputing a conversation's map after votes, outside any request."""

from django_tasks import task

from agora.conversations import maps


@task(queue_name="default")
def recompute_map(*, conversation_id: int, requested_at: float | None = None) -> bool:
    return maps.recompute_map(conversation_id, requested_at=requested_at)
