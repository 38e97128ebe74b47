"""Comments on a proposal carry the commenter's alignment (in favour, against, neutral):
social's generic comments take one only where the target's kind asks (proposals do, posts do
not); the page labels each comment and counts them per alignment in a fixed number of
queries; the API takes and gives the alignment."""

import json

import pytest
from django.core.exceptions import ValidationError

from agora.proposals import services
from agora.social.models import Comment
from agora.social.services import add_comment, create_post
from tests.api.conftest import assert_error
from tests.helpers import assert_constant_queries, main_part, signed_in
from tests.proposals.conftest import a_proposal, proposals_process, residents

API = "/api/v1/proposals"


def test_only_targets_that_ask_for_it_take_an_alignment(town):
    proposal = a_proposal(proposals_process(town), town.verified)
    comment = services.comment_on_proposal(
        proposal, by=town.verified, body="Good idea.", alignment="in_favour"
    )
    assert comment.alignment == "in_favour"
    post = create_post(by=town.verified, body="A post.")
    with pytest.raises(ValidationError, match="take no alignment"):
        add_comment(post, by=town.verified, body="On a post.", alignment="against")
    with pytest.raises(ValidationError, match="in favour, against or neutral"):
        services.comment_on_proposal(proposal, by=town.verified, body="Hm.", alignment="maybe")
    assert Comment.objects.count() == 1


def test_the_page_labels_each_comment_and_counts_them_by_alignment(client, town):
    proposal = a_proposal(proposals_process(town), town.verified)
    people = residents(3)
    url = proposal.get_absolute_url()

    def grow():
        for person, alignment in zip(people, ("in_favour", "against", "in_favour"), strict=True):
            services.comment_on_proposal(
                proposal, by=person, body=f"Said by {person.display_name}.", alignment=alignment
            )

    # One of them reads the meetings that discussed the proposal (agora.meetings.parts).
    pages = assert_constant_queries({"page": lambda: client.get(url)}, grow, expected={"page": 6})
    page = main_part(pages["page"][1])
    assert "In favour: 2" in page and "Against: 1" in page and "Neutral: 0" in page
    assert page.count('<span class="badge">In favour</span>') == 2
    assert page.count('<span class="badge">Against</span>') == 1
    Comment.objects.filter(alignment="against").update(moderation_state="hidden")
    hidden = main_part(client.get(url))
    assert "This comment is hidden by moderation." in hidden and "Against: 0" in hidden
    assert "Said by Resident 1." not in hidden


def test_the_comment_form_offers_the_alignment_and_keeps_what_was_typed(town):
    proposal = a_proposal(proposals_process(town), town.verified)
    (someone,) = residents(1)
    browser = signed_in(someone)
    form = main_part(browser.get(proposal.get_absolute_url()))
    assert "<legend>Your position on this proposal</legend>" in form
    assert 'type="radio" name="alignment" value="neutral"' in form
    url = f"/proposals/{proposal.pk}/comment/"
    refused = main_part(browser.post(url, {"body": "Keep me.", "alignment": "maybe"}))
    assert "Select a valid choice." in refused and "Keep me." in refused
    browser.post(url, {"body": "Against it.", "alignment": "against"})
    assert Comment.objects.get().alignment == "against"


def test_commenting_through_the_api_with_an_alignment(town):
    proposal = a_proposal(proposals_process(town), town.verified)
    (someone,) = residents(1)
    url = f"{API}/{proposal.pk}/comments"
    api = signed_in(someone)

    def send(body):
        return api.post(url, json.dumps(body), content_type="application/json")

    created = send({"body": "Yes.", "alignment": "against"})
    assert created.status_code == 201, created.content
    assert created.json()["alignment"] == "against"
    assert send({"body": "No side."}).json()["alignment"] is None
    assert_error(send({"body": "Hm.", "alignment": "maybe"}), 422, "invalid")
    listed = api.get(url).json()
    assert [item["alignment"] for item in listed] == ["against", None]
    outsider = signed_in(town.outsider)
    refused = outsider.post(url, json.dumps({"body": "x"}), content_type="application/json")
    assert_error(refused, 403, "outside_areas")
    assert len(api.get(url).json()) == 2


def test_the_apis_comments_read_in_a_fixed_number_of_queries(client, town):
    proposal = a_proposal(proposals_process(town), town.verified)
    people = residents(4)
    url = f"{API}/{proposal.pk}/comments"

    def grow():
        for person in people:
            services.comment_on_proposal(proposal, by=person, body="Yes.", alignment="neutral")

    pages = assert_constant_queries({"list": lambda: client.get(url)}, grow, expected={"list": 3})
    assert [len(page.json()) for page in pages["list"]] == [0, 4]
