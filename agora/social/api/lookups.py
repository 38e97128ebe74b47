"""What a path names, found as the caller may see it: a person or a post hidden from the caller
answers 404 exactly like a missing one."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from agora.accounts.models import User
from agora.accounts.permissions import find_visible_profile
from agora.social import permissions
from agora.social.models import Post


def visible_person(request, handle: str) -> User:
    person = find_visible_profile(request.auth, handle)
    if person is None:
        raise Http404
    return person


def visible_post(request, post_id: int) -> Post:
    post = get_object_or_404(Post, pk=post_id)
    if not permissions.can_view_post(request.auth, post):
        raise Http404
    return post
