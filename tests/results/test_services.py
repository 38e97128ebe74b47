"""The verbs of results: making a result from an accepted proposal, updates that set status
and progress and are kept newest first, and bad input refused with a message and nothing
changed (progress 101, dropped without a reason, an update by someone else, a proposal not
accepted, a proposal made a result twice, a case that does not exist)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from agora.core.models import AuditEntry
from agora.results import services
from agora.results.models import Result, ResultOrigin, ResultStatus, ResultUpdate
from tests.results.conftest import a_case, a_proposal, a_result, accepted_proposal, answers_process


def test_a_result_is_made_from_an_accepted_proposal_with_its_cases(town):
    process = answers_process(town)
    proposal = accepted_proposal(process, town.verified)
    case = a_case(town)
    result = a_result(
        process,
        town.official,
        cases=services.find_cases([case.reference.lower()]),
        origins_of=[proposal],
        description="Kerbs **all along**.",
    )
    assert result.office == town.cycling_unit and result.status == ResultStatus.PLANNED
    assert "<strong>all along</strong>" in result.description_html
    assert list(result.cases.all()) == [case]
    assert ResultOrigin.objects.get(result=result).object_id == proposal.pk
    assert AuditEntry.objects.filter(action="result.created", target_id=str(result.pk)).exists()
    with pytest.raises(ValidationError) as refused:
        a_result(process, town.official, title="Again", origins_of=[proposal])
    assert "has its result already" in str(refused.value)
    assert Result.objects.count() == 1


def test_only_an_accepted_proposal_of_the_same_process_becomes_a_result(town):
    process = answers_process(town)
    waiting = a_proposal(process, town.verified)
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        a_result(process, town.official, origins_of=[waiting])
    other = answers_process(town, title_en="Elsewhere")
    elsewhere = accepted_proposal(other, town.verified)
    with pytest.raises(ValidationError, match="its own process"):
        a_result(process, town.official, origins_of=[elsewhere])
    assert not Result.objects.exists()


def test_updates_set_status_and_progress_and_are_kept_newest_first(town):
    process = answers_process(town)
    result = a_result(process, town.official)
    services.add_update(result, by=town.official, body="Works start.", status="in_progress")
    services.add_update(result, by=town.administrator, body="Half way.", progress=50)
    services.add_update(result, by=town.official, body="Open!", status="done", progress=60)
    result.refresh_from_db()
    assert (result.status, result.progress) == ("done", 100)  # done is 100, whatever was typed
    bodies = [update.body for update in Result.objects.get(pk=result.pk).updates.all()]
    assert bodies == ["Open!", "Half way.", "Works start."]
    services.add_update(result, by=town.official, body="Some snagging.", progress=90)
    assert Result.objects.get(pk=result.pk).progress == 100  # done stays whole


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"progress": 101}, "progress", "from 0 to 100"),
        ({"progress": -1}, "progress", "from 0 to 100"),
        ({"status": "dropped"}, "reason", "Say why the result is dropped."),
        ({"status": "abandoned"}, "status", "Choose one of the statuses."),
        ({"body": "   "}, "body", "Say what happened."),
        ({"body": "x" * 4001}, "body", "at most 4000 characters"),
    ],
)
def test_a_bad_update_is_refused_with_a_message_and_changes_nothing(town, change, field, message):
    process = answers_process(town)
    result = a_result(process, town.official, status="in_progress", progress=30)
    values = {"body": "News.", **change}
    with pytest.raises(ValidationError) as refused:
        services.add_update(result, by=town.official, **values)
    assert message in " ".join(refused.value.message_dict[field])
    result.refresh_from_db()
    assert (result.status, result.progress) == ("in_progress", 30)
    assert not ResultUpdate.objects.exists()


def test_an_update_by_someone_else_is_refused_and_changes_nothing(town):
    process = answers_process(town)
    result = a_result(process, town.official, progress=10)
    for person in (town.other_official, town.verified, town.moderator):
        with pytest.raises(PermissionDenied, match="responsible office"):
            services.add_update(result, by=person, body="Done!", status="done")
    result.refresh_from_db()
    assert (result.status, result.progress) == ("planned", 10)
    assert not ResultUpdate.objects.exists()


def test_a_result_of_another_office_is_updated_by_that_office(town):
    process = answers_process(town)
    result = a_result(process, town.official, office=town.parks)
    services.add_update(result, by=town.other_official, body="Trees planted.", progress=40)
    with pytest.raises(PermissionDenied):
        services.add_update(result, by=town.official, body="Not ours now.")
    assert Result.objects.get(pk=result.pk).progress == 40


def test_making_a_result_refuses_bad_input_and_keeps_nothing(town):
    process = answers_process(town)
    attempts = [
        ({"progress": 101}, "progress"),
        ({"status": "dropped"}, "reason"),
        ({"title": ""}, "title"),
        ({}, "cases"),
    ]
    for change, field in attempts:
        with pytest.raises(ValidationError) as refused:
            if field == "cases":
                services.find_cases(["ZZZZ-ZZZZ", "not a reference"])
            else:
                a_result(process, town.official, **change)
        assert field in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        a_result(process, town.other_official)
    assert not Result.objects.exists()
    dropped = a_result(process, town.official, status="dropped", reason="No budget left.")
    assert dropped.dropped_reason == "No budget left."


def test_the_database_refuses_a_progress_over_100_a_dropped_result_without_reason_and_more(town):
    result = a_result(answers_process(town), town.official)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(progress=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(status="dropped", dropped_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(status="done", progress=99)
    assert Result.objects.get(pk=result.pk).progress == 0
