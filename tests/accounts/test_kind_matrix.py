"""The permission matrix of the kinds of account (`agora.accounts.kinds`): every kind against
every action some kind is limited in, by page and by API, with the expected outcome of each
cell written out.

Each actor is made so that only their kind can refuse them: a verified resident of North
(the process's and the petition's people), and for answering an official of the office that
answers. An institutional actor is an official of the Parks office (an institutional account
speaks for an office), so it is not the office that a proposal or a petition asks.

Cells: A done, K refused because of the kind, with the kind's reason shown (on the page) or
answered (403 `account_kind` or the reason as the message, by the API).

Voting in a participatory budget has no app yet: its cell is asked through
`processes.features.can_act` with the action the budgets app will declare (`vote`), which is
the question that app's pages and API will ask."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.accounts import kinds, services
from agora.accounts.kinds import AccountKind
from agora.accounts.models import Role, Verification
from agora.cases.models import Case, State
from agora.directory import services as directory_services
from agora.petitions.models import Petition, Signature
from agora.processes import features
from agora.processes.models import PhaseKind
from agora.proposals.models import ProposalState, Support
from agora.social import services as social_services
from agora.social.models import Comment, Post
from tests.cases.conftest import build_city
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.petitions.conftest import an_open_petition
from tests.processes.conftest import build_town
from tests.proposals.conftest import a_proposal, support_process

pytestmark = pytest.mark.django_db

KINDS = (AccountKind.RESIDENT, AccountKind.INSTITUTIONAL, AccountKind.POLITICAL)

# action -> (resident, institutional, political)
MATRIX = {
    "sign_petition": "AKA",
    "support_proposal": "AKA",
    "vote_in_budget": "AKA",
    "share_political_post": "AKA",
    "answer_case": "AAK",
    "answer_proposal": "AAK",
    "answer_petition": "AAK",
    "announce_as_office": "AAK",
    "correct_announcement": "AAK",
    "post_process_news": "AAK",
}

# Which limited action of `kinds` each row exercises: the matrix covers every one of them.
ROWS_OF = {
    kinds.SIGN: ["sign_petition"],
    kinds.SUPPORT: ["support_proposal"],
    kinds.VOTE: ["vote_in_budget"],
    kinds.SHARE_POLITICAL: ["share_political_post"],
    kinds.ANSWER: ["answer_case", "answer_proposal", "answer_petition"],
    kinds.SPEAK_FOR_OFFICE: ["announce_as_office", "correct_announcement", "post_process_news"],
}

CELLS = [
    (action, kind, expected)
    for action, row in MATRIX.items()
    for kind, expected in zip(KINDS, row, strict=True)
]


def test_the_matrix_covers_every_limit_declared():
    assert set(ROWS_OF) == set(kinds.LIMITED_ACTIONS)
    for action in kinds.LIMITED_ACTIONS:
        for kind in KINDS:
            refused = bool(kinds.refusal(_stand_in(kind), action))
            for row in ROWS_OF[action]:
                assert (MATRIX[row][KINDS.index(kind)] == "K") == refused, (row, kind)


def _stand_in(kind):
    person = UserFactory.build(kind=kind)
    return person


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def actor(kind, administrator, *, office=None, home_office=None):
    """A verified resident of North of this kind; an official of `office` when given.
    Institutional accounts need an office: `home_office` when `office` is not given."""
    person = UserFactory(
        home_area="North", verification=Verification.VERIFIED_RESIDENT, role=Role.OFFICIAL
    )
    if office is not None:
        directory_services.add_official(office, person)
    elif kind == AccountKind.INSTITUTIONAL:
        directory_services.add_official(home_office, person)
    services.set_kind(person, kind=kind, by=administrator)
    return person


def refusal_for(kind, action) -> str:
    return kinds.refusal(_stand_in(kind), action)


# Signing, supporting, voting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "sign_petition"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_signing_a_petition(action, kind, expected, channel):
    town = build_town()
    petition = an_open_petition(town)
    person = actor(kind, town.administrator, home_office=town.parks)
    client = signed_in(person)
    if channel == "page":
        response = client.post(f"/petitions/{petition.pk}/sign/", {"show_name": "on"}, follow=True)
        html = response.content.decode()
        assert response.status_code == 200
    else:
        response = _post_json(client, f"/api/v1/petitions/{petition.pk}/sign", {"show_name": True})
    signed = Signature.objects.filter(petition=petition, person=person).exists()
    if expected == "A":
        assert signed
        assert response.status_code in (200, 201)
    else:
        assert not signed
        reason = refusal_for(kind, kinds.SIGN)
        if channel == "page":
            assert reason in html.replace("&#x27;", "'").replace("&rsquo;", "’")
        else:
            assert response.status_code == 403
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "support_proposal"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_supporting_a_proposal(action, kind, expected, channel):
    town = build_town()
    process = support_process(town)
    proposal = a_proposal(process, town.verified, state=ProposalState.PUBLISHED)
    person = actor(kind, town.administrator, home_office=town.parks)
    client = signed_in(person)
    if channel == "page":
        response = client.post(f"/proposals/{proposal.pk}/support/", follow=True)
        assert response.status_code == 200
        html = response.content.decode()
    else:
        response = _post_json(client, f"/api/v1/proposals/{proposal.pk}/support", {})
    supported = Support.objects.filter(proposal=proposal, person=person).exists()
    if expected == "A":
        assert supported
    else:
        assert not supported
        reason = refusal_for(kind, kinds.SUPPORT)
        if channel == "page":
            assert reason in html
        else:
            assert response.status_code == 403
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "vote_in_budget"]
)
def test_voting_in_a_budget_is_asked_of_the_same_rule(action, kind, expected, monkeypatch):
    """The budgets app will declare `vote` for support phases and ask `can_act`; declared
    here for the test alone."""
    vote = features.Action(name="vote", label="Vote", who=features.Who.RESIDENTS)
    monkeypatch.setitem(features._actions, "vote", vote)
    monkeypatch.setitem(
        features._allowed, PhaseKind.SUPPORT, [*features._allowed[PhaseKind.SUPPORT], "vote"]
    )
    town = build_town()
    process = support_process(town)
    person = actor(kind, town.administrator, home_office=town.parks)
    decision = features.can_act(person, "vote", process)
    if expected == "A":
        assert decision.allowed
    else:
        assert not decision.allowed
        assert decision.reason == features.Reason.ACCOUNT_KIND
        assert decision.message == refusal_for(kind, kinds.VOTE)
    assert not features.can_act(AnonymousUser(), "vote", process).allowed


# Sharing a political account's post ------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "share_political_post"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_sharing_a_political_accounts_post(action, kind, expected, channel):
    town = build_town()
    councillor = actor(AccountKind.POLITICAL, town.administrator)
    post = social_services.create_post(by=councillor, body="Our group votes for the cycle lane.")
    person = actor(kind, town.administrator, home_office=town.parks)
    client = signed_in(person)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    if channel == "page":
        response = client.post(f"/posts/{post.pk}/share", {"body": ""}, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
    else:
        response = _post_json(client, f"/api/v1/posts/{post.pk}/shares", {"body": ""})
    shared = Post.objects.filter(author=person, shared_post=post).exists()
    if expected == "A":
        assert shared
        assert "Share with my followers" in page
    else:
        assert not shared
        reason = refusal_for(kind, kinds.SHARE_POLITICAL)
        assert "Share with my followers" not in page
        assert reason in page  # said before anyone tries
        if channel == "page":
            assert reason in html
        else:
            assert response.status_code == 403
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


def test_an_institutional_account_shares_a_residents_post():
    town = build_town()
    post = social_services.create_post(by=town.verified, body="The market is open on Sunday.")
    person = actor(AccountKind.INSTITUTIONAL, town.administrator, home_office=town.parks)
    social_services.share_post(post, by=person)
    assert Post.objects.filter(author=person, shared_post=post).exists()


# Answering in an official capacity -------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "answer_case"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_answering_a_case(action, kind, expected, channel):
    city = build_city()
    case = city.submit()
    person = actor(kind, city.administrator, office=city.lighting_office)
    client = signed_in(person)
    page = client.get(f"/cases/{case.pk}/")
    if channel == "page":
        response = client.post(
            f"/cases/{case.pk}/update/", {"action": "answer", "answer-text": "Fixed on Monday."}
        )
    else:
        response = _post_json(client, f"/api/v1/cases/{case.pk}/answer", {"text": "Fixed."})
    case.refresh_from_db()
    if expected == "A":
        assert case.state == State.ANSWERED
    else:
        assert case.state == State.NEW
        reason = refusal_for(kind, kinds.ANSWER)
        assert response.status_code == 403
        if channel == "page":
            # The public case page says why its office's forms are not offered.
            assert reason in page.content.decode()
            assert 'name="action" value="answer"' not in page.content.decode()
        else:
            assert response.json()["error"]["message"] == reason
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "answer_proposal"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_answering_a_proposal(action, kind, expected, channel):
    town = build_town()
    process = support_process(town)
    proposal = a_proposal(process, town.verified, state=ProposalState.PUBLISHED)
    person = actor(kind, town.administrator, office=town.cycling_unit)
    client = signed_in(person)
    answer = {"answer": "accepted", "reasons": "We will build it next spring."}
    if channel == "page":
        response = client.post(f"/proposals/{proposal.pk}/answer/", answer)
    else:
        response = _post_json(client, f"/api/v1/proposals/{proposal.pk}/answer", answer)
    proposal.refresh_from_db()
    if expected == "A":
        assert proposal.answered_at is not None
    else:
        assert proposal.answered_at is None
        reason = refusal_for(kind, kinds.ANSWER)
        assert response.status_code == 403
        if channel == "page":
            assert reason in response.content.decode()
        else:
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "answer_petition"]
)
@pytest.mark.parametrize("channel", ["page", "api", "service"])
def test_responding_to_a_petition(action, kind, expected, channel):
    """The page, the API and the verb refuse alike."""
    from django.core.exceptions import PermissionDenied

    from agora.petitions import services as petition_services

    town = build_town()
    petition = an_open_petition(town)
    person = actor(kind, town.administrator, office=town.cycling_unit)
    reason = refusal_for(kind, kinds.ANSWER)
    if channel == "page":
        response = signed_in(person).post(
            f"/petitions/{petition.pk}/respond/", {"body": "We will plant forty trees."}
        )
        if expected == "K":
            assert response.status_code == 403
            assert reason in response.content.decode()
    elif channel == "api":
        response = _post_json(
            signed_in(person),
            f"/api/v1/petitions/{petition.pk}/response",
            {"body": "We will plant forty trees."},
        )
        if expected == "K":
            assert response.status_code == 403
            assert response.json()["error"] == {"code": "account_kind", "message": reason}
        else:
            assert response.status_code == 200, response.content
    elif expected == "A":
        petition_services.respond_to_petition(petition, by=person, body="Forty trees.")
    else:
        with pytest.raises(PermissionDenied, match=reason[:40]):
            petition_services.respond_to_petition(petition, by=person, body="Forty trees.")
    responded = Petition.objects.get(pk=petition.pk).responded_at is not None
    assert responded == (expected == "A")


# Speaking in the office's voice --------------------------------------------------------------
#
# The actor is an official of the Cycling Unit in every cell: only the kind refuses.


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "announce_as_office"]
)
@pytest.mark.parametrize("channel", ["page", "api", "post_api"])
def test_announcing_as_the_office(action, kind, expected, channel):
    town = build_town()
    person = actor(kind, town.administrator, office=town.cycling_unit)
    client = signed_in(person)
    office_page = client.get(f"/directory/offices/{town.cycling_unit.slug}/").content.decode()
    if channel == "page":
        response = client.post(
            "/announcements/new",
            {"office": town.cycling_unit.pk, "body": "Lane closed", "visibility": "public"},
        )
    elif channel == "api":
        response = client.post(
            "/api/v1/announcements", {"office": town.cycling_unit.slug, "body": "Lane closed"}
        )
    else:
        response = _post_json(
            client, "/api/v1/posts", {"body": "Lane closed", "office": town.cycling_unit.slug}
        )
    announced = Post.objects.filter(office=town.cycling_unit).exists()
    if expected == "A":
        assert announced, response.content
        assert "Post an announcement as this office" in office_page
    else:
        assert not announced
        reason = refusal_for(kind, kinds.SPEAK_FOR_OFFICE)
        assert response.status_code == 403
        assert "Post an announcement as this office" not in office_page
        assert reason in office_page.replace("&rsquo;", "’")  # said before anyone tries
        if channel == "page":
            assert reason in response.content.decode()
        else:
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "correct_announcement"]
)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_correcting_the_offices_announcement(action, kind, expected, channel):
    """Posted while the account was a resident's; the kind changed since."""
    from agora.social import announcements

    town = build_town()
    person = actor(AccountKind.RESIDENT, town.administrator, office=town.cycling_unit)
    post = announcements.publish_announcement(
        by=person, office=town.cycling_unit, body="Lane closed on Monday"
    )
    services.set_kind(person, kind=kind, by=town.administrator)
    client = signed_in(person)
    corrected = {"body": "Lane closed on Tuesday", "note": "The day"}
    if channel == "page":
        response = client.post(f"/posts/{post.pk}/edit", corrected)
    else:
        response = _post_json(client, f"/api/v1/announcements/{post.pk}/corrections", corrected)
    post.refresh_from_db()
    if expected == "A":
        assert post.body == "Lane closed on Tuesday"
    else:
        assert post.body == "Lane closed on Monday" and not post.corrections.exists()
        reason = refusal_for(kind, kinds.SPEAK_FOR_OFFICE)
        assert response.status_code == 403
        if channel == "page":
            assert reason in response.content.decode()
        else:
            assert response.json()["error"] == {"code": "account_kind", "message": reason}


@pytest.mark.parametrize(
    ("action", "kind", "expected"), [c for c in CELLS if c[0] == "post_process_news"]
)
def test_posting_a_processs_news_as_its_office(action, kind, expected):
    """Process news has no API operation: the page and the verb (`create_post` with the
    office, which the news verb calls) refuse."""
    from agora.processes.models import ProcessPost

    town = build_town()
    process = support_process(town)
    person = actor(kind, town.administrator, office=town.cycling_unit)
    response = signed_in(person).post(
        f"/processes/{process.slug}/news/", {"body": "Survey opens today"}, follow=True
    )
    posted = ProcessPost.objects.filter(process=process).exists()
    assert response.status_code == 200
    if expected == "A":
        assert posted
    else:
        assert not posted
        assert refusal_for(kind, kinds.SPEAK_FOR_OFFICE) in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_political_official_comments_on_a_proposal_only_as_a_resident(kind, channel):
    """A process lets its office comment "as the office" whoever may take part; a political
    account among the office's officials is not let in by that door (`SPEAK_FOR_OFFICE`) and
    takes part only if the process's rule admits it. This official lives outside the
    process's areas, so only the office's door could let them in."""
    town = build_town()
    process = support_process(town)
    proposal = a_proposal(process, town.verified, state=ProposalState.PUBLISHED)
    person = UserFactory(
        home_area="South", verification=Verification.VERIFIED_RESIDENT, role=Role.OFFICIAL
    )
    directory_services.add_official(town.cycling_unit, person)
    services.set_kind(person, kind=kind, by=town.administrator)
    client = signed_in(person)
    if channel == "page":
        response = client.post(
            f"/proposals/{proposal.pk}/comment/", {"body": "Noted.", "alignment": "neutral"}
        )
    else:
        response = _post_json(
            client, f"/api/v1/proposals/{proposal.pk}/comments", {"body": "Noted."}
        )
    commented = Comment.objects.filter(author=person).exists()
    decision = features.can_act(person, features.COMMENT, process)
    if kind == AccountKind.POLITICAL:
        assert not commented and not decision.allowed
        assert decision.reason == features.Reason.OUTSIDE_AREAS
        if channel == "api":
            assert response.status_code == 403
    else:
        assert commented and decision.allowed, response.content
