"""The verbs that change cases: routing, the lifecycle, transfers, assisted entry and claims,
and who may do each, role by role."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.cases import services
from agora.cases.models import Case, CaseEvent, Channel, ServiceLevel, State
from agora.cases.models.service_level import add_working_days
from agora.core.audit import entries_for

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "lighting_official",
    "roads_official",
    "moderator",
    "administrator",
]


def person(town, role):
    return AnonymousUser() if role == "anonymous" else getattr(town, role)


def timeline(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_a_submitted_case_is_routed_to_the_one_responsible_office_with_a_clock(town):
    case = town.submit()
    assert case.office == town.lighting_office
    assert case.state == State.NEW
    assert case.channel == Channel.WEB
    assert case.acknowledge_due_at < case.answer_due_at
    assert timeline(case) == ["submitted", "routed"]
    routed = case.events.get(kind="routed")
    assert routed.to_office == town.lighting_office
    assert [entry.action for entry in entries_for(case)] == ["cases.submitted"]


def test_a_topic_nobody_handles_is_refused_and_creates_nothing(town):
    from tests.directory.factories import TopicFactory

    with pytest.raises(services.NotRoutable):
        town.submit(topic=TopicFactory())
    assert not Case.objects.exists()


def test_an_anonymous_person_cannot_submit_a_case(town):
    with pytest.raises(services.NotAllowed):
        town.submit(by=AnonymousUser())
    assert not Case.objects.exists()


def test_due_dates_follow_the_offices_service_level_in_working_days(town):
    ServiceLevel.objects.create(office=town.lighting_office, acknowledge_days=1, answer_days=5)
    case = town.submit()
    assert case.acknowledge_due_at == add_working_days(case.created_at, 1)
    assert case.answer_due_at == add_working_days(case.created_at, 5)


def test_working_days_skip_the_weekend():
    friday = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert add_working_days(friday, 1) == friday + timedelta(days=3)
    assert add_working_days(friday, 5) == friday + timedelta(days=7)


def test_the_office_works_a_case_from_acknowledgement_to_closing(town):
    case = town.submit()
    official = town.lighting_official
    services.acknowledge_case(case, by=official)
    services.assign_case(case, to=official, by=official)
    services.request_information(case, by=official, question="Which lamp post number?")
    services.answer_case(case, by=official, answer="We replace the lamp on Monday.")
    services.resolve_case(case, by=official)
    services.reopen_case(case, by=town.resident, reason="Still dark.")
    services.resolve_case(case, by=official, note="Lamp replaced.")
    services.close_case(case, by=town.resident)

    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.assigned_to == official
    assert case.acknowledged_at is not None and case.answered_at is not None
    assert timeline(case) == [
        "submitted",
        "routed",
        "acknowledged",
        "assigned",
        "info_requested",
        "answered",
        "resolved",
        "reopened",
        "resolved",
        "closed",
    ]
    answer = case.events.get(kind="answered")
    assert answer.text == "We replace the lamp on Monday." and answer.actor == official
    assert len(entries_for(case)) == 10 - 1  # every change but the routing is audited


def test_a_wrong_transition_raises_and_changes_nothing(town):
    case = town.submit()
    with pytest.raises(services.InvalidTransition):
        services.close_case(case, by=town.lighting_official)
    with pytest.raises(services.InvalidTransition):
        services.reopen_case(case, by=town.resident)
    services.acknowledge_case(case, by=town.lighting_official)
    with pytest.raises(services.InvalidTransition):
        services.acknowledge_case(case, by=town.lighting_official)
    case.refresh_from_db()
    assert case.state == State.ACKNOWLEDGED
    assert timeline(case) == ["submitted", "routed", "acknowledged"]


def test_a_stale_copy_loses_to_the_worker_who_moved_the_case_first(town):
    case = town.submit()
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.acknowledge_case(first, by=town.lighting_official)
    with pytest.raises(services.InvalidTransition):
        services.acknowledge_case(second, by=town.lighting_official)
    assert timeline(case).count("acknowledged") == 1


def test_a_stale_copy_cannot_act_after_the_case_went_to_another_office(town):
    case = town.submit()
    stale = Case.objects.get(pk=case.pk)
    services.transfer_case(
        case, to_office=town.roads_office, by=town.lighting_official, reason="Roads fixes it."
    )
    stale_office_official = town.lighting_official
    with pytest.raises(services.InvalidTransition):
        services.resolve_case(stale, by=stale_office_official)
    case.refresh_from_db()
    assert case.state == State.NEW and case.office == town.roads_office


def test_a_transferred_case_keeps_its_history_and_the_receiving_office_sees_it(town):
    case = town.submit(is_public=False)
    services.acknowledge_case(case, by=town.lighting_official)
    services.assign_case(case, to=town.lighting_official, by=town.lighting_official)
    services.transfer_case(
        case,
        to_office=town.roads_office,
        by=town.lighting_official,
        reason="The lamp is on a road sign: roads maintain those.",
    )
    case.refresh_from_db()
    assert case.office == town.roads_office
    assert case.assigned_to is None
    assert case.state == State.NEW
    assert case.transfer_count == 1
    transfer = case.events.get(kind="transferred")
    assert (transfer.from_office, transfer.to_office) == (town.lighting_office, town.roads_office)
    assert transfer.text.startswith("The lamp is on a road sign")
    assert timeline(case)[:4] == ["submitted", "routed", "acknowledged", "assigned"]

    from agora.cases.permissions import can_act_on_case, can_view_case

    assert can_view_case(town.roads_official, case) and can_act_on_case(town.roads_official, case)
    assert not can_act_on_case(town.lighting_official, case)
    services.answer_case(case, by=town.roads_official, answer="Fixed the sign's lamp.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transfer_needs_a_reason(town, reason):
    case = town.submit()
    with pytest.raises(services.MissingText):
        services.transfer_case(
            case, to_office=town.roads_office, by=town.lighting_official, reason=reason
        )
    case.refresh_from_db()
    assert case.office == town.lighting_office and timeline(case) == ["submitted", "routed"]


def test_a_case_cannot_be_transferred_to_its_own_office(town):
    case = town.submit()
    with pytest.raises(services.InvalidTransition):
        services.transfer_case(
            case, to_office=town.lighting_office, by=town.lighting_official, reason="Why not"
        )


def test_only_an_official_of_the_office_can_be_assigned(town):
    case = town.submit()
    with pytest.raises(services.NotAllowed):
        services.assign_case(case, to=town.roads_official, by=town.lighting_official)
    case.refresh_from_db()
    assert case.assigned_to is None


ACTIONS = {
    "acknowledge": lambda case, by, town: services.acknowledge_case(case, by=by),
    "assign": lambda case, by, town: services.assign_case(case, to=town.lighting_official, by=by),
    "transfer": lambda case, by, town: services.transfer_case(
        case, to_office=town.parks_office, by=by, reason="Parks"
    ),
    "request_information": lambda case, by, town: services.request_information(
        case, by=by, question="Where exactly?"
    ),
    "answer": lambda case, by, town: services.answer_case(case, by=by, answer="Done."),
    "resolve": lambda case, by, town: services.resolve_case(case, by=by),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_only_officials_of_the_accountable_office_work_a_case(town, action, role):
    case = town.submit()
    actor = person(town, role)
    if role == "lighting_official":
        ACTIONS[action](case, actor, town)
        assert timeline(case)[-1] != "routed"
    else:
        with pytest.raises(services.NotAllowed):
            ACTIONS[action](case, actor, town)
        assert timeline(case) == ["submitted", "routed"]


@pytest.mark.parametrize("role", ROLES)
def test_the_submitter_and_the_office_may_close_and_reopen(town, role):
    case = town.submit()
    services.answer_case(case, by=town.lighting_official, answer="Fixed.")
    actor = person(town, role)
    if role in ("resident", "lighting_official"):
        services.close_case(case, by=actor)
        services.reopen_case(case, by=actor)
        assert timeline(case)[-2:] == ["closed", "reopened"]
    else:
        with pytest.raises(services.NotAllowed):
            services.close_case(case, by=actor)
        assert Case.objects.get(pk=case.pk).state == State.ANSWERED


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_a_private_case(town, role):
    from agora.cases.permissions import can_view_case

    private, public = town.submit(is_public=False), town.submit(is_public=True)
    actor = person(town, role)
    assert can_view_case(actor, public)
    expected = role in ("resident", "lighting_official", "moderator", "administrator")
    assert can_view_case(actor, private) is expected


def test_an_official_records_a_case_for_a_resident_who_claims_it_with_the_code(town):
    entry = services.record_case_on_behalf(
        by=town.roads_official,
        channel=Channel.PHONE,
        kind="question",
        title="When is the lamp fixed?",
        description="Caller asks about the lamp at Calle Mayor 12.",
        topic=town.lighting,
    )
    case = entry.case
    assert case.channel == Channel.PHONE and case.submitted_by is None
    assert case.office == town.lighting_office
    assert entry.claim_code not in case.claim_code_hash

    with pytest.raises(services.InvalidClaimCode):
        services.claim_case("WRONG-CODE", user=town.other_resident)
    claimed = services.claim_case(entry.claim_code.lower(), user=town.resident)
    assert claimed.submitted_by == town.resident
    with pytest.raises(services.InvalidClaimCode):
        services.claim_case(entry.claim_code, user=town.other_resident)
    case.refresh_from_db()
    assert case.submitted_by == town.resident and case.claim_code_hash == ""
    assert timeline(case) == ["submitted", "routed", "claimed"]


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator", "administrator"])
def test_only_officials_record_cases_for_residents(town, role):
    with pytest.raises(services.NotAllowed):
        services.record_case_on_behalf(
            by=person(town, role),
            channel=Channel.DESK,
            kind="question",
            title="A question",
            description="Asked at the desk.",
            topic=town.lighting,
        )
    assert not Case.objects.exists()


def test_assisted_entry_needs_an_assisted_channel(town):
    with pytest.raises(services.CaseError):
        services.record_case_on_behalf(
            by=town.lighting_official,
            channel=Channel.WEB,
            kind="question",
            title="A question",
            description="Asked at the desk.",
            topic=town.lighting,
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_say_me_too_about_a_public_case(town, role):
    case = town.submit()
    actor = person(town, role)
    # Not the resident who raised it, nor the office that answers it.
    if role in ("anonymous", "resident", "lighting_official"):
        with pytest.raises(services.NotAllowed):
            services.support_case(case, by=actor)
        assert Case.objects.get(pk=case.pk).support_count == 0
    else:
        assert services.support_case(case, by=actor) is True
        assert services.support_case(case, by=actor) is False
        assert Case.objects.get(pk=case.pk).support_count == 1
        assert services.withdraw_support(case, by=actor) is True
        assert Case.objects.get(pk=case.pk).support_count == 0


def test_nobody_says_me_too_about_a_private_case(town):
    case = town.submit(is_public=False)
    with pytest.raises(services.NotAllowed):
        services.support_case(case, by=town.other_resident)
