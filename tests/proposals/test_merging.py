"""Merging duplicates: the merged proposal points to the one it joined, supports are carried
over once per person, the count is exact, and both authors are told; only moderators and the
process's office merge."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.notifications.models import Notification
from agora.proposals import services
from agora.proposals.models import Proposal, ProposalState, Support
from tests.api.conftest import assert_error
from tests.helpers import main_part, signed_in
from tests.proposals.conftest import a_proposal, residents, support_process


def test_merging_carries_supports_once_per_person_and_tells_both_authors(town):
    process = support_process(town, threshold=3)
    first_author, second_author, both, only_duplicate = residents(4)
    kept = a_proposal(process, first_author, "Benches on the square")
    duplicate = a_proposal(process, second_author, "More benches in the square")
    services.support_proposal(kept, by=both)
    services.support_proposal(duplicate, by=both)
    services.support_proposal(duplicate, by=only_duplicate)
    with pytest.raises(PermissionDenied):
        services.merge_proposal(duplicate, into=kept, by=town.verified)
    with pytest.raises(ValidationError):
        services.merge_proposal(duplicate, into=duplicate, by=town.moderator)
    services.merge_proposal(duplicate, into=kept, by=town.moderator)
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.state == ProposalState.MERGED and duplicate.merged_into == kept
    assert kept.support_count == 2 == Support.objects.filter(proposal=kept).count()
    assert Support.objects.filter(proposal=duplicate).count() == 0
    told = {note.recipient for note in Notification.objects.filter(kind="proposal_merged")}
    assert told == {first_author, second_author}
    with pytest.raises(ValidationError):
        services.merge_proposal(duplicate, into=kept, by=town.official)
    assert Proposal.objects.get(pk=kept.pk).support_count == 2


def test_a_merge_that_brings_the_count_to_the_threshold_starts_the_clock(town):
    process = support_process(town, threshold=2)
    one, two = residents(2)
    kept = a_proposal(process, town.verified, "Trees")
    duplicate = a_proposal(process, town.verified, "More trees")
    services.support_proposal(kept, by=one)
    services.support_proposal(duplicate, by=two)
    services.merge_proposal(duplicate, into=kept, by=town.official)
    kept.refresh_from_db()
    assert kept.state == ProposalState.AWAITING_ANSWER and kept.answer_due_at is not None


def test_a_moderator_merges_from_the_page_and_a_wrong_number_keeps_what_was_typed(town):
    process = support_process(town)
    kept = a_proposal(process, town.verified, "Trees")
    duplicate = a_proposal(process, town.verified, "More trees")
    moderator = signed_in(town.moderator)
    assert "Merge a duplicate" in main_part(moderator.get(duplicate.get_absolute_url()))
    assert "Merge a duplicate" not in main_part(
        signed_in(town.verified).get(duplicate.get_absolute_url())
    )
    wrong = main_part(moderator.post(f"/proposals/{duplicate.pk}/merge/", {"into": "999999"}))
    assert "There is no proposal with that number." in wrong and 'value="999999"' in wrong
    done = moderator.post(f"/proposals/{duplicate.pk}/merge/", {"into": str(kept.pk)})
    assert done.status_code == 302
    page = main_part(moderator.get(duplicate.get_absolute_url()))
    assert "merged with another that asks the same" in page and "Trees" in page
    assert Proposal.objects.get(pk=duplicate.pk).merged_into_id == kept.pk


def test_merging_through_the_api_with_the_pages_rules_and_the_one_error_shape(town):
    process = support_process(town, threshold=5)
    first, second, supporter = residents(3)
    kept = a_proposal(process, first, "Benches on the square")
    duplicate = a_proposal(process, second, "More benches in the square")
    services.support_proposal(duplicate, by=supporter)
    url = f"/api/v1/proposals/{duplicate.pk}/merge"

    def merge(person, into):
        return signed_in(person).post(
            url, json.dumps({"into": into}), content_type="application/json"
        )

    assert_error(merge(town.other_official, kept.pk), 403, "may_not_merge")
    assert_error(merge(second, kept.pk), 403, "may_not_merge")
    assert_error(merge(town.official, kept.pk + 99), 422, "unknown_proposal")
    assert_error(merge(town.official, duplicate.pk), 422, "invalid")
    assert_error(merge(town.official, 0), 422, "invalid")
    assert Proposal.objects.get(pk=duplicate.pk).state == ProposalState.PUBLISHED
    merged = merge(town.official, kept.pk)
    assert merged.status_code == 200, merged.content
    assert merged.json()["id"] == kept.pk and merged.json()["support_count"] == 1
    read = signed_in(town.verified).get(f"/api/v1/proposals/{duplicate.pk}").json()
    assert read["state"] == "merged" and read["merged_into"] == kept.pk
    assert_error(merge(town.official, kept.pk), 422, "invalid")  # already merged
