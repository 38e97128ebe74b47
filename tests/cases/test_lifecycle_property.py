"""No sequence of actions can lose a case: whatever officials and residents do, in any order,
each case has exactly one accountable office at every moment, its timeline only grows, and its
transfers chain from the office it was routed to, to the office that has it now."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from agora.cases import services
from agora.cases.models import Case, CaseEvent
from tests.cases.conftest import build_city

ACTORS = ["resident", "other_resident", "lighting_official", "roads_official", "parks_official"]
OFFICES = ["lighting_office", "roads_office", "parks_office"]
REASONS = ["", "Not ours: the road belongs to the region.", "Parks handle lamps in parks."]


def perform(case, action, actor, office, reason):
    if action == "acknowledge":
        services.acknowledge_case(case, by=actor)
    elif action == "assign":
        services.assign_case(case, to=actor, by=actor)
    elif action == "transfer":
        services.transfer_case(case, to_office=office, by=actor, reason=reason)
    elif action == "request_information":
        services.request_information(case, by=actor, question=reason)
    elif action == "answer":
        services.answer_case(case, by=actor, answer=reason)
    elif action == "resolve":
        services.resolve_case(case, by=actor)
    elif action == "reopen":
        services.reopen_case(case, by=actor)
    elif action == "close":
        services.close_case(case, by=actor)
    elif action == "provide_information":
        services.provide_information(case, by=actor, text=reason)


steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(
            [
                "acknowledge",
                "assign",
                "transfer",
                "request_information",
                "answer",
                "resolve",
                "reopen",
                "close",
                "provide_information",
            ]
        ),
        st.sampled_from(ACTORS),
        st.sampled_from(OFFICES),
        st.sampled_from(REASONS),
        st.booleans(),  # act on a fresh copy from the database, or on a possibly stale one
    ),
    max_size=20,
)


class TransferChainTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = build_city()

    def check(self, case_id: int, history: list):
        case = Case.objects.get(pk=case_id)
        events = list(CaseEvent.objects.filter(case_id=case_id).order_by("created_at", "pk"))
        seen = [(event.pk, event.kind, event.text) for event in events]
        assert seen[: len(history)] == history, "an event was lost or changed"
        assert case.office_id is not None
        assert [event.kind for event in events[:2]] == ["submitted", "routed"]
        holder = events[1].to_office_id
        transfers = [event for event in events if event.kind == "transferred"]
        for transfer in transfers:
            assert transfer.from_office_id == holder and transfer.text.strip()
            holder = transfer.to_office_id
        assert holder == case.office_id
        assert case.transfer_count == len(transfers)
        return seen

    @pytest.mark.slow
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(steps)
    def test_every_case_always_has_one_office_and_its_whole_history(self, actions):
        city = self.city
        cases = [city.submit(), city.submit(topic=city.potholes, is_public=False)]
        copies = list(cases)
        histories = [self.check(case.pk, []) for case in cases]
        for index, action, actor, office, reason, fresh in actions:
            if fresh:
                copies[index] = Case.objects.get(pk=cases[index].pk)
            before = CaseEvent.objects.filter(case=cases[index]).count()
            try:
                perform(
                    copies[index],
                    action,
                    getattr(city, actor),
                    getattr(city, office),
                    reason,
                )
            except services.CaseError:
                assert CaseEvent.objects.filter(case=cases[index]).count() == before
            else:
                assert CaseEvent.objects.filter(case=cases[index]).count() == before + 1
            for position, case in enumerate(cases):
                histories[position] = self.check(case.pk, histories[position])
