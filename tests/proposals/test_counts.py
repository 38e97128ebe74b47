"""Counts stay exact: any sequence of supports, withdrawals and merges by many people keeps
each proposal's support count equal to its distinct supporters (hypothesis); and on PostgreSQL two
truly parallel supports by one person count once (two connections, two threads, a barrier)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from agora.proposals import services
from agora.proposals.models import Proposal, ProposalState, Support
from tests.processes.conftest import build_town
from tests.proposals.conftest import a_proposal, residents, support_process

PEOPLE = 5

steps = st.lists(
    st.tuples(
        st.sampled_from(["support", "withdraw", "merge"]),
        st.integers(0, PEOPLE - 1),
        st.integers(0, 2),  # which proposal
        st.integers(0, 2),  # the proposal a merge joins
        st.booleans(),  # act on a fresh copy from the database, or on a possibly stale one
    ),
    max_size=40,
)


class SupportCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        town = build_town()
        cls.moderator = town.moderator
        cls.process = support_process(town, threshold=3)
        cls.people = residents(PEOPLE)
        cls.proposals = [
            a_proposal(cls.process, town.verified, "Benches"),
            a_proposal(cls.process, town.verified, "Trees"),
            a_proposal(cls.process, town.verified, "More trees"),
        ]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps)
    def test_the_count_equals_the_distinct_supporters(self, actions):
        copies = [Proposal.objects.get(pk=proposal.pk) for proposal in self.proposals]
        for verb, person, index, other, fresh in actions:
            if fresh:
                copies[index] = Proposal.objects.get(pk=self.proposals[index].pk)
            try:
                if verb == "merge":
                    into = Proposal.objects.get(pk=self.proposals[other].pk)
                    services.merge_proposal(copies[index], into=into, by=self.moderator)
                elif verb == "support":
                    services.support_proposal(copies[index], by=self.people[person])
                else:
                    services.withdraw_support(copies[index], by=self.people[person])
            except ValidationError:
                pass  # merged, or merging into itself or into a merged one: nothing changed
        for proposal in self.proposals:
            stored = Proposal.objects.get(pk=proposal.pk)
            distinct = Support.objects.filter(proposal=proposal).values("person").distinct()
            assert stored.support_count == distinct.count()
            if stored.state == ProposalState.MERGED:
                assert stored.support_count == 0  # carried over to the one it joined


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's connections")
@pytest.mark.django_db(transaction=True)
def test_two_parallel_supports_by_one_person_count_once():
    town = build_town()
    process = support_process(town, threshold=10)
    proposal = a_proposal(process, town.verified)
    (person,) = residents(1)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def support():
        try:
            copy = Proposal.objects.get(pk=proposal.pk)
            barrier.wait(timeout=10)
            outcomes.append(services.support_proposal(copy, by=person))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    assert Support.objects.filter(proposal=proposal).count() == 1
