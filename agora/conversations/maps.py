"""The stored opinion map: the votes read from the database, the map computed and stored.

The worker's task runs `recompute_map`, and the service verbs schedule that task, so this module
sits below both: it imports neither. It writes only the derived map on the conversation, never
what people said or voted.
"""

import threading
from collections import OrderedDict

import numpy as np
from django.utils import timezone

from agora.conversations import analysis, opendata
from agora.conversations.analysis.incremental import RunningAnalysis
from agora.conversations.models import Conversation, Statement, StatementStatus, Vote

#: Below this many voters the page says "not enough votes yet" instead of drawing a map.
MIN_MAP_PARTICIPANTS = 4


def vote_matrix(conversation: Conversation):
    """The vote matrix straight from the database rows (no model objects), with the removed
    and meta statements' ids. Vote ids grow with each first vote, so they give the order in
    which votes arrived."""
    votes = np.array(
        Vote.objects.filter(conversation=conversation)
        .values_list("participant_id", "statement_id", "value", "pk")
        .order_by(),
        dtype=np.int64,
    ).reshape(-1, 4)
    statements = Statement.objects.filter(conversation=conversation).exclude(
        status=StatementStatus.PENDING
    )
    columns = np.array(sorted(statements.values_list("pk", flat=True)), dtype=np.int64)
    removed = list(statements.filter(status=StatementStatus.REMOVED).values_list("pk", flat=True))
    meta = list(statements.filter(is_meta=True).values_list("pk", flat=True))
    votes = votes[np.isin(votes[:, 1], columns)]
    matrix = analysis.build_vote_matrix(
        votes[:, 0], votes[:, 1], votes[:, 2], votes[:, 3], statements=columns
    )
    return matrix, removed, meta, len(votes)


#: The worker keeps the running state (analysis/incremental.py) of the conversations it last
#: computed, so that new votes, and new participants, are folded in rather than starting over. At
#: most this many states, each of at most RUNNING_MAX_CELLS cells (a state holds four dense copies
#: of the matrix), are kept per worker process.
RUNNING_STATES = 2
RUNNING_MAX_CELLS = 5_000_000
_running: OrderedDict[int, tuple[tuple, RunningAnalysis]] = OrderedDict()
_running_lock = threading.Lock()


def _analysis(conversation, matrix, removed, meta) -> analysis.Analysis:
    """The analysis of the current votes: from the running state when it holds the same
    statements (removed and meta ones included) and can fold the new votes in, otherwise (or on
    a first computation) started over. Meta statements leave the map as removed ones do, as in
    Pol.is (its engine counts them among the moderated-out statements)."""
    removed = sorted(set(removed) | set(meta))
    key = (
        conversation.created_at,  # not a deleted conversation's state under a reused id
        matrix.statements.tobytes(),
        tuple(sorted(removed)),
        tuple(sorted(meta)),
    )
    with _running_lock:
        cached = _running.pop(conversation.pk, None)
    if cached is not None and cached[0] == key and _fold_in(cached[1], matrix):
        _keep(conversation.pk, key, cached[1])
        return cached[1].result
    if matrix.values.size > RUNNING_MAX_CELLS:
        return analysis.analyze(matrix, moderated_out=removed, meta=meta)
    running = RunningAnalysis(matrix, moderated_out=removed, meta=meta)
    _keep(conversation.pk, key, running)
    return running.result


def _fold_in(running: RunningAnalysis, matrix: analysis.VoteMatrix) -> bool:
    """Give newcomers empty rows and fold in the cells whose vote changed. False, leaving the
    state to be dropped, when someone it holds is gone, a vote disappeared (none do) or the
    state has grown too big."""
    if not np.isin(running.participants, matrix.participants).all():
        return False
    running.add_participants(np.setdiff1d(matrix.participants, running.participants))
    rows = RunningAnalysis.locate(running.participants, matrix.participants)
    before, now = running.values[rows], matrix.values
    differs = ~((before == now) | (np.isnan(before) & np.isnan(now)))
    changed = np.argwhere(differs)
    vanished = np.isnan(now[changed[:, 0], changed[:, 1]])
    if vanished.any() or running.values.size > RUNNING_MAX_CELLS:
        return False
    if len(changed):
        running.update(
            matrix.participants[changed[:, 0]],
            matrix.statements[changed[:, 1]],
            now[changed[:, 0], changed[:, 1]],
        )
    return True


def _keep(conversation_id: int, key: tuple, running: RunningAnalysis) -> None:
    with _running_lock:
        _running[conversation_id] = (key, running)
        while len(_running) > RUNNING_STATES:
            _running.popitem(last=False)


def compute_map(conversation: Conversation) -> dict | None:
    """The map as stored for pages and the API, or None when too few people have voted."""
    matrix, removed, meta, n_votes = vote_matrix(conversation)
    if len(matrix.participants) < MIN_MAP_PARTICIPANTS:
        return {"votes": n_votes, "participants": len(matrix.participants), "ready": False}
    result = _analysis(conversation, matrix, removed, meta)
    summary = opendata.summary(result)
    inside = result.in_conversation
    positions = result.projection.participants[inside]
    summary.update(
        # whose each point is, so a page can mark a person's own dot; never published (the API
        # leaves it out), so nobody learns where anyone else stands
        point_participants=[int(pk) for pk in result.participants[inside].tolist()],
        ready=len(summary["groups"]) >= analysis.MIN_GROUPS,
        votes=n_votes,
        points=[
            [round(float(x), 4), round(float(y), 4), int(group)]
            for (x, y), group in zip(positions, result.group_labels[inside], strict=True)
        ],
        centers=[[round(float(x), 4), round(float(y), 4)] for x, y in result.group_centers],
        priorities={
            str(pk): float(value)
            for pk, value in zip(result.statements.tolist(), result.priorities, strict=True)
        },
    )
    del summary["in_conversation"]
    for group in summary["groups"]:
        group["size"] = len(group["members"])
    return summary


def recompute_map(conversation_id: int, *, requested_at: float | None = None) -> bool:
    """Recompute and store the map; runs in the worker, never in a request. A request made
    before the stored map was started is already answered by it, so a burst of votes costs
    at most two computations, not one per vote."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return False
    started = timezone.now()
    computed = conversation.map_computed_at
    if requested_at is not None and computed is not None and computed.timestamp() >= requested_at:
        return False
    result = compute_map(conversation)
    Conversation.objects.filter(pk=conversation_id).update(
        map=result, map_votes=result["votes"], map_computed_at=started
    )
    return True
