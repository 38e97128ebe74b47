"""A personal word filter: posts and comments holding a listed word fold away behind a line the
person can open, for them alone, at no query more on a feed page."""

import pytest

from agora.social import services
from agora.social.models import MutedWord
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in

pytestmark = pytest.mark.django_db


def test_a_listed_word_folds_posts_and_comments_away_for_that_person_only():
    reader, writer, other = UserFactory(), UserFactory(), UserFactory()
    post = services.create_post(by=writer, body="The derby result was a disgrace")
    services.comment_on_post(post, by=other, body="Another DERBY take")
    client = signed_in(reader)
    response = client.post("/settings/words/", {"phrase": "  derby  "})
    assert response.status_code == 302
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["derby"]
    page = main_part(client.get(f"/posts/{post.pk}/"))
    assert page.count("Hidden by your word filter (“derby”): show it") == 2
    assert "The derby result was a disgrace" in page, "folded, not removed: one click opens it"
    assert "Hidden by your word filter" not in main_part(signed_in(other).get(f"/posts/{post.pk}/"))

    response = client.post("/settings/words/", {"phrase": "Derby"})
    assert "This is already on your list." in main_part(response, 400)
    word = MutedWord.objects.get()
    client.post("/settings/words/", {"remove": str(word.pk)})
    assert "Hidden by your word filter" not in main_part(client.get(f"/posts/{post.pk}/"))


def test_the_filter_costs_a_feed_page_no_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader, writer = UserFactory(), UserFactory()
    for number in range(3):
        services.create_post(by=writer, body=f"Derby day number {number}")
    client = signed_in(reader)

    def counted() -> tuple[int, str]:
        client.get("/latest/")  # warm
        with CaptureQueriesContext(connection) as queries:
            page = main_part(client.get("/latest/"))
        return len(queries.captured_queries), page

    without, page = counted()
    assert "Hidden by your word filter" not in page
    client.post("/settings/words/", {"phrase": "derby"})
    with_filter, page = counted()
    assert page.count("Hidden by your word filter") == 3
    assert with_filter == without
