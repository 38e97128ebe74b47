"""Folding new votes into a running map gives what a full recomputation gives."""

from unittest import mock

import numpy as np
import pytest

from agora.accounts.models import Role
from agora.conversations import analysis, maps, services
from agora.conversations.analysis.incremental import RunningAnalysis, UnknownCell
from agora.conversations.models import Conversation, Statement, Vote
from tests.conversations.polis_fixtures import load
from tests.factories import UserFactory

NAME = "150ptpt-3gp-no-strict-no-meta"
REMOVED = [5, 7]


def same_up_to_sign(mine, theirs, tolerance=1e-12):
    return min(np.abs(mine - theirs).max(), np.abs(mine + theirs).max()) <= tolerance


def test_a_hundred_new_votes_give_the_same_map_as_starting_over():
    matrix = load(NAME).matrix
    generator = np.random.default_rng(1)
    rows = generator.integers(0, matrix.shape[0], 100)
    columns = generator.integers(0, matrix.shape[1], 100)
    votes = generator.integers(-1, 2, 100)
    running = RunningAnalysis(matrix, moderated_out=REMOVED)
    updated = running.update(matrix.participants[rows], matrix.statements[columns], votes)

    values = matrix.values.copy()
    for row, column, vote in zip(rows, columns, votes, strict=True):
        values[row, column] = vote
    changed = analysis.VoteMatrix(matrix.participants, matrix.statements, values)
    full = analysis.analyze(changed, moderated_out=REMOVED)

    np.testing.assert_allclose(updated.projection.center, full.projection.center, atol=1e-12)
    for mine, reference in zip(
        updated.projection.components, full.projection.components, strict=True
    ):
        assert same_up_to_sign(mine, reference)
    for axis in range(2):
        assert same_up_to_sign(
            updated.projection.participants[:, axis], full.projection.participants[:, axis]
        )
    np.testing.assert_allclose(updated.projection.extremity, full.projection.extremity, atol=1e-12)
    assert updated.consensus == full.consensus
    masks = [updated.group_labels == group for group in range(len(updated.group_centers))]
    expected = np.array([analysis.vote_counts(values, mask) for mask in masks])
    np.testing.assert_array_equal(updated.group_counts, expected)
    assert 2 <= len(updated.group_centers) <= analysis.MAX_GROUPS


def test_a_vote_from_someone_new_asks_for_a_rebuild():
    matrix = load(NAME).matrix
    running = RunningAnalysis(matrix)
    with pytest.raises(UnknownCell):
        running.update([10_000], [matrix.statements[0]], [1])


@pytest.mark.django_db
def test_the_worker_folds_changed_votes_into_its_running_state_and_matches_a_full_rebuild():
    generator = np.random.default_rng(7)
    owner = UserFactory(role=Role.OFFICIAL)
    seeds = [f"Statement number {n} about the bus network." for n in range(8)]
    conversation = services.open_conversation(owner=owner, question="Buses?", seeds=seeds)
    statements = list(conversation.statements.order_by("pk"))
    people = [services.participant_for(conversation, user=UserFactory()) for _ in range(24)]
    for person, side in zip(people, generator.integers(0, 2, len(people)), strict=True):
        for index, statement in enumerate(statements):
            lean = 1 if (index < 4) == bool(side) else -1
            services.cast_vote(person, statement, int(lean * generator.choice([1, 1, 1, 0])))

    original_update = RunningAnalysis.update
    with (
        mock.patch.object(maps, "RunningAnalysis", wraps=RunningAnalysis) as built,
        mock.patch.object(
            RunningAnalysis, "update", autospec=True, side_effect=original_update
        ) as folded,
    ):
        assert maps.recompute_map(conversation.pk)
        assert (built.call_count, folded.call_count) == (1, 0)
        # ten people change their mind on one statement each: same people, same statements
        for person in people[:10]:
            statement = statements[int(generator.integers(0, len(statements)))]
            current = Vote.objects.get(participant=person, statement=statement).value
            services.cast_vote(person, statement, -current if current else 1)
        assert maps.recompute_map(conversation.pk)
        # no rebuild: the ten changed cells were folded into the running state
        assert (built.call_count, folded.call_count) == (1, 1)
        assert len(folded.call_args.args[1]) == 10

    matrix, removed, meta, n_votes = maps.vote_matrix(conversation)
    full = analysis.analyze(matrix, moderated_out=removed, meta=meta)
    running = maps._running[conversation.pk][1].result
    np.testing.assert_allclose(running.projection.center, full.projection.center, atol=1e-12)
    for axis in range(2):
        assert same_up_to_sign(
            running.projection.participants[:, axis], full.projection.participants[:, axis]
        )
    np.testing.assert_allclose(running.priorities, full.priorities, atol=1e-9)
    assert np.array_equal(running.in_conversation, full.in_conversation)
    assert running.consensus == full.consensus
    stored = Conversation.objects.get(pk=conversation.pk).map
    assert stored["votes"] == n_votes
    assert stored["consensus"] == {
        side: [e["tid"] for e in full.consensus[side]] for side in ("agree", "disagree")
    }
    assert sorted(stored["priorities"]) == sorted(map(str, matrix.statements.tolist()))


def positions_by_participant(result):
    return dict(zip(result.participants.tolist(), result.projection.participants, strict=True))


@pytest.mark.django_db
def test_newcomers_are_folded_in_but_a_removed_statement_makes_the_worker_start_over():
    owner = UserFactory(role=Role.OFFICIAL)
    seeds = [f"Statement number {n} about trams." for n in range(6)]
    conversation = services.open_conversation(owner=owner, question="Trams?", seeds=seeds)
    statements = list(conversation.statements.order_by("pk"))
    for n in range(18):
        person = services.participant_for(conversation, user=UserFactory())
        for index, statement in enumerate(statements):
            services.cast_vote(person, statement, 1 if (index + n) % 3 else -1)
    with mock.patch.object(maps, "RunningAnalysis", wraps=RunningAnalysis) as built:
        maps.recompute_map(conversation.pk)
        for n in range(2):  # two newcomers, one with a single vote
            newcomer = services.participant_for(conversation, user=UserFactory())
            for statement in statements[: 1 + 5 * n]:
                services.cast_vote(newcomer, statement, -1)
        maps.recompute_map(conversation.pk)
        assert built.call_count == 1

        matrix, removed, meta, _ = maps.vote_matrix(conversation)
        full = analysis.analyze(matrix, moderated_out=removed, meta=meta)
        running = maps._running[conversation.pk][1].result
        assert len(running.participants) == 20
        assert set(running.participants[running.in_conversation].tolist()) == set(
            full.participants[full.in_conversation].tolist()
        )
        mine, reference = positions_by_participant(running), positions_by_participant(full)
        ids = sorted(reference)
        for axis in range(2):
            assert same_up_to_sign(
                np.array([mine[p][axis] for p in ids]), np.array([reference[p][axis] for p in ids])
            )
        assert running.consensus == full.consensus
        np.testing.assert_allclose(running.priorities, full.priorities, atol=1e-9)

        services.moderate_statement(statements[1], by=owner, accept=False, reason="Duplicate.")
        maps.recompute_map(conversation.pk)
        assert built.call_count == 2
    matrix, removed, meta, _ = maps.vote_matrix(conversation)
    assert removed == [statements[1].pk]
    full = analysis.analyze(matrix, moderated_out=removed, meta=meta)
    assert Conversation.objects.get(pk=conversation.pk).map["consensus"] == {
        side: [e["tid"] for e in full.consensus[side]] for side in ("agree", "disagree")
    }


@pytest.mark.django_db
def test_a_meta_statement_leaves_the_map_as_a_removed_one_does():
    """Pol.is counts meta statements among the moderated-out ones: they shape no axis and are
    never representative or consensus, but keep the meta priority."""
    owner = UserFactory(role=Role.OFFICIAL)
    seeds = [f"Statement number {n} about cycle lanes." for n in range(7)]
    conversation = services.open_conversation(owner=owner, question="Lanes?", seeds=seeds)
    statements = list(conversation.statements.order_by("pk"))
    for n in range(16):
        person = services.participant_for(conversation, user=UserFactory())
        for index, statement in enumerate(statements):
            services.cast_vote(person, statement, 1 if (index + n) % 3 else -1)
    # No screen marks a statement as meta yet; the flag is set as an import would set it.
    Statement.objects.filter(pk=statements[2].pk).update(is_meta=True)
    assert maps.recompute_map(conversation.pk)

    matrix, removed, meta, _ = maps.vote_matrix(conversation)
    assert (removed, meta) == ([], [statements[2].pk])
    as_removed = analysis.analyze(matrix, moderated_out=meta, meta=meta)
    stored = Conversation.objects.get(pk=conversation.pk).map
    assert stored["consensus"] == {
        side: [e["tid"] for e in as_removed.consensus[side]] for side in ("agree", "disagree")
    }
    chosen = {entry["statement"] for group in stored["groups"] for entry in group["representative"]}
    assert statements[2].pk not in chosen | set(stored["consensus"]["agree"])
    assert stored["priorities"][str(statements[2].pk)] == 49
    kept = analysis.analyze(matrix, meta=meta)
    assert not np.allclose(kept.projection.center, as_removed.projection.center)
