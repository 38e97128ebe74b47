"""`agora seed`: the demo a newcomer sees after `make run`."""

import pytest
from django.core.management import call_command

from agora.accounts.models import User
from agora.conversations.models import Conversation
from agora.social.models import Comment, Follow, Post

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_the_seed_fills_an_empty_site_once(capsys):
    call_command("seed")
    first = capsys.readouterr().out

    assert "Loaded 11 demo accounts" in first
    assert User.objects.count() == 11
    assert Post.objects.filter(author__handle="roads_office").exists()
    kinds = dict(User.objects.values_list("handle", "kind"))
    assert kinds["roads_office"] == kinds["housing_office"] == "institutional"
    assert kinds["elena_ortiz"] == kinds["civic_group"] == "political"
    assert kinds["maria"] == "resident"
    assert Post.objects.filter(author__handle="elena_ortiz").exists()
    assert Follow.objects.filter(follower__handle="maria", followee__handle="sam").exists()
    assert Comment.objects.exists()
    conversation = Conversation.objects.get()
    assert conversation.map is not None
    assert len(conversation.map["groups"]) >= 2
    posts = Post.objects.count()

    call_command("seed")
    second = capsys.readouterr().out
    assert "demo data not loaded" in second
    assert User.objects.count() == 11
    assert Post.objects.count() == posts
    assert Conversation.objects.count() == 1
