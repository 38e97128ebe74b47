"""A page form sent twice does one thing (`core.formonce`): the second send of the same form
gets the first's redirect; a form with errors, another set of fields, a visitor without a
session, and answers that sign in or out are left alone."""

import re
import threading

import pytest
from django.db import connection
from django.http import HttpResponseRedirect
from django.test import Client
from django.utils import timezone

from agora.core import formonce
from agora.core.models import IdempotencyKey
from agora.social.models import Post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(person=None) -> Client:
    client = Client()
    client.force_login(person or UserFactory())
    return client


def a_form(client, **fields) -> dict:
    """The post form as the home page writes it, with its one-time token."""
    page = client.get("/home/").content.decode()
    token = re.search(r'name="form_once" value="([0-9a-f]{32})"', page).group(1)
    return {
        "body": "The fountain on Elm Square is dry.",
        "visibility": "public",
        "reply_policy": "everyone",
        "form_once": token,
        **fields,
    }


def test_every_form_with_a_csrf_token_carries_a_fresh_one_time_token():
    client = signed_in()
    page = client.get("/home/").content.decode()
    tokens = re.findall(r'name="form_once" value="([0-9a-f]{32})"', page)
    assert tokens and len(set(tokens)) == len(tokens)
    assert page.count('name="csrfmiddlewaretoken"') == len(tokens)
    again = re.findall(
        r'name="form_once" value="([0-9a-f]{32})"', client.get("/home/").content.decode()
    )
    assert not set(again) & set(tokens)


def test_the_same_form_sent_twice_publishes_once_and_both_land_on_the_post():
    client = signed_in()
    form = a_form(client)
    first = client.post("/posts/new", form)
    second = client.post("/posts/new", form)
    assert Post.objects.count() == 1
    post = Post.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/posts/{post.pk}/"
    assert "messages" in second.cookies, "the replay carries the first's message"
    page = client.get(second.url).content.decode()
    assert "Your post is published." in page


def test_another_text_with_the_same_token_is_another_post():
    client = signed_in()
    form = a_form(client)
    client.post("/posts/new", form)
    client.post("/posts/new", {**form, "body": "And the benches are broken."})
    assert Post.objects.count() == 2


def test_a_form_with_errors_releases_its_token_and_keeps_what_was_typed():
    client = signed_in()
    form = a_form(client, body="x" * 5001)
    refused = client.post("/posts/new", form)
    assert refused.status_code == 400 and "x" * 100 in refused.content.decode()
    assert not IdempotencyKey.objects.exists() and not Post.objects.exists()
    client.post("/posts/new", {**form, "body": "Shorter."})
    client.post("/posts/new", {**form, "body": "Shorter."})
    assert Post.objects.count() == 1


def test_a_browser_without_a_session_is_not_tracked():
    page = Client().get("/accounts/login/").content.decode()
    assert 'name="form_once"' in page
    Client().post("/accounts/login/", {"login": "nobody", "password": "x", "form_once": "a" * 32})
    assert not IdempotencyKey.objects.exists()


def test_an_answer_that_signs_in_or_out_is_never_replayed(settings):
    redirect = HttpResponseRedirect("/")
    redirect.set_cookie("messages", "Posted.")
    assert formonce._keeps(redirect)["cookies"]["messages"]["value"] == "Posted."
    redirect.set_cookie(settings.SESSION_COOKIE_NAME, "new-session")
    assert formonce._keeps(redirect) is None
    client = signed_in()
    page = client.get("/home/").content.decode()
    logout_token = re.search(
        r'action="/accounts/logout/".*?name="form_once" value="([0-9a-f]{32})"', page, re.S
    ).group(1)
    signed_out = client.post("/accounts/logout/", {"form_once": logout_token})
    assert signed_out.status_code == 302 and settings.SESSION_COOKIE_NAME in signed_out.cookies
    assert not IdempotencyKey.objects.exists()


def test_a_second_send_waits_for_the_first_then_is_told_to_wait(monkeypatch):
    monkeypatch.setattr(formonce, "WAIT", 0.3)
    client = signed_in()
    form = a_form(client)
    first = client.post("/posts/new", form)
    # As if the first send were still running: its claim has no answer yet.
    held = IdempotencyKey.objects.get(key__startswith=f"form:{form['form_once']}:")
    IdempotencyKey.objects.filter(pk=held.pk).update(status=None, created_at=timezone.now())
    waiting = client.post("/posts/new", form)
    assert waiting.status_code == 409 and "already being sent" in waiting.content.decode()
    assert first.status_code == 302 and Post.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_postgresql_publishes_once():
    """Two connections, two threads, a barrier: the second waits for the first's answer."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's connections")
    client = signed_in()
    form = a_form(client)
    barrier = threading.Barrier(2)
    answers = []

    def send():
        barrier.wait()
        answers.append(client.post("/posts/new", form))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Post.objects.count() == 1
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0].url == answers[1].url


def test_each_copy_of_a_kept_page_gets_fresh_form_tokens(rf):
    """A page kept for many readers (`core.pagecache`) is rendered once: each copy still
    carries one-time tokens of its own, so two sends from two copies are two submissions."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template import Context, Template

    from agora.core.pagecache import PageCache

    kept = PageCache("test-formonce")
    form = Template("<form method=post>{% csrf_token %}<button>Go</button></form>")
    renders = []

    def render(extra):
        renders.append(1)
        from django.http import HttpResponse

        return HttpResponse(form.render(Context(extra)))

    tokens = []
    for _copy in range(2):
        request = rf.get("/kept/")
        request.user = AnonymousUser()
        request.session = {}
        request._messages = FallbackStorage(request)
        html = kept.page(request, render).content.decode()
        tokens.append(re.search(r'name="form_once" value="([0-9a-f]{32})"', html).group(1))
    assert len(renders) == 1 and tokens[0] != tokens[1]
