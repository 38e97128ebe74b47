"""The running state: a few new votes folded into a conversation's map without starting over.

As in Pol.is's math worker, the matrix and the sums its scatter matrix is made of stay in
memory, a vote changes them in time proportional to the number of statements, and the principal
directions and base clusters restart from where they were.

A participant the state does not know yet is added first (`add_participants`); a vote on a
statement the state does not know needs a fresh `RunningAnalysis` (the caller rebuilds it from
the database), and `update` says so by raising `UnknownCell`.
"""

from __future__ import annotations

import numpy as np

from agora.conversations.analysis.matrix import VoteMatrix, positions_of
from agora.conversations.analysis.participation import in_conversation
from agora.conversations.analysis.pipeline import Analysis, analyze, conclude
from agora.conversations.analysis.projection import (
    DIRECT_EIGEN_LIMIT,
    Projection,
    centred_scatter,
    leading_eigenvectors,
    participant_positions,
    project_statements,
)


class UnknownCell(LookupError):
    """A vote for a participant or statement the running state does not hold."""


class RunningAnalysis:
    """The last analysis of a conversation and what is needed to update it cheaply.

    With F the votes (0 where none) and B where votes were cast, the centred matrix is
    B * (F - c) for the column means c, so its scatter matrix is
    F'F - c_j F'B - c_i B'F + c_i c_j B'B: three sums that one vote changes in one row and one
    column each. Removed statements' rows and columns of it are set to zero, as their columns
    are in the full computation."""

    def __init__(self, matrix: VoteMatrix, *, moderated_out=(), meta=()):
        self.participants = matrix.participants
        self.statements = matrix.statements
        self.excluded = np.isin(matrix.statements, list(moderated_out))
        self.is_meta = np.isin(matrix.statements, list(meta))
        self.values = matrix.values.copy()
        voted = ~np.isnan(self.values)
        self.seen = voted.astype(np.float64)
        self.filled = np.where(voted, self.values, 0.0)
        self.squared = self.filled**2
        self.votes_fv = self.filled.T @ self.filled
        self.votes_fb = self.filled.T @ self.seen
        self.votes_bb = self.seen.T @ self.seen
        self.row_counts = self.seen.sum(axis=1).astype(np.int64)
        self.result = analyze(matrix, moderated_out=moderated_out, meta=meta)
        self.in_conversation = self.result.in_conversation.copy()
        self.order = self.result.base_members

    def add_participants(self, participant_ids) -> None:
        """Make room for people who had not voted yet: empty rows, which change none of the
        sums; their votes then come in through `update`."""
        new = np.asarray(participant_ids)
        if not len(new):
            return
        empty = np.zeros((len(new), len(self.statements)))
        self.participants = np.concatenate([self.participants, new])
        self.values = np.vstack([self.values, empty + np.nan])
        self.seen = np.vstack([self.seen, empty])
        self.filled = np.vstack([self.filled, empty])
        self.squared = np.vstack([self.squared, empty])
        self.row_counts = np.concatenate([self.row_counts, np.zeros(len(new), dtype=np.int64)])
        self.in_conversation = np.concatenate([self.in_conversation, np.zeros(len(new), bool)])

    def update(self, participant_ids, statement_ids, votes) -> Analysis:
        """Apply votes (the later of two on the same cell wins) and recompute the map."""
        rows = self.locate(self.participants, participant_ids)
        columns = self.locate(self.statements, statement_ids)
        for row, column, value in zip(rows, columns, np.asarray(votes, float), strict=True):
            self._apply(int(row), int(column), float(value))
        return self._recompute()

    @staticmethod
    def locate(ids, wanted):
        """Index of each wanted id in ids; UnknownCell if one is not there."""
        try:
            return positions_of(ids, wanted)
        except (ValueError, IndexError):  # IndexError: beyond the largest id, or none at all
            raise UnknownCell(
                "a vote for a participant or statement not in the running state"
            ) from None

    def _apply(self, row: int, column: int, value: float) -> None:
        old = self.values[row, column]
        was_voted = not np.isnan(old)
        self.values[row, column] = value
        filled, seen = self.filled[row], self.seen[row]
        change = value - (old if was_voted else 0.0)
        if change:
            # F'F gains change * (e_c f' + f e_c') + change^2 e_c e_c'; F'B gains change e_c b'.
            self.votes_fv[column, :] += change * filled
            self.votes_fv[:, column] += change * filled
            self.votes_fv[column, column] += change * change
            self.votes_fb[column, :] += change * seen
            filled[column] += change
            self.squared[row, column] = filled[column] ** 2
        if not was_voted:
            # B'B gains e_c b' + b e_c' + e_c e_c'; F'B gains f e_c' (f after the change).
            self.votes_bb[column, :] += seen
            self.votes_bb[:, column] += seen
            self.votes_bb[column, column] += 1.0
            self.votes_fb[:, column] += filled
            seen[column] = 1.0
            self.row_counts[row] += 1

    def _recompute(self) -> Analysis:
        center, scatter = centred_scatter(
            self.votes_fv, self.votes_fb, self.votes_bb, self.excluded
        )
        previous = self.result.projection.components
        if len(scatter) <= DIRECT_EIGEN_LIMIT:
            _, vectors = np.linalg.eigh(scatter)
            components = vectors[:, ::-1][:, :2].T
        else:
            components = leading_eigenvectors(scatter, 2, start=previous)
        # keep the axes pointing the way they did, so base clusters can restart from before
        components = (
            components * np.where(np.sum(components * previous, axis=1) < 0, -1, 1)[:, None]
        )
        statements, extremity = project_statements(center, components)
        projection = Projection(
            center=center,
            components=components,
            participants=participant_positions(
                self.filled, self.seen, components, center, self.excluded
            ),
            statements=statements,
            extremity=extremity,
        )
        # Once in, always in (topped up to 15 by the most active voters, as in
        # `in_conversation`); newcomers to the rule join at the end of the order.
        self.in_conversation |= in_conversation(self.row_counts, len(center))
        known = np.zeros(len(self.participants), dtype=bool)
        known[self.order] = True
        self.order = np.concatenate([self.order, np.flatnonzero(self.in_conversation & ~known)])
        filled, squared, seen = self.filled, self.squared, self.seen

        def count_votes(masks):
            if not masks:
                return np.zeros((0, 3, len(center)))
            member = np.array(masks, dtype=np.float64)
            # agree = (f^2 + f) / 2 and disagree = (f^2 - f) / 2 for f in {-1, 0, 1}
            plain, square, cast = member @ filled, member @ squared, member @ seen
            return np.stack([(square + plain) / 2, (square - plain) / 2, cast], axis=1).round()

        def total_counts():
            # the diagonals of F'B and B'B: each statement's sum of votes and number of votes
            plain = np.diagonal(self.votes_fb)
            square = squared.sum(axis=0)
            cast = np.diagonal(self.votes_bb)
            return np.stack([(square + plain) / 2, (square - plain) / 2, cast]).round()

        self.result = conclude(
            participants=self.participants,
            statements=self.statements,
            counts=self.row_counts,
            taking_part=self.in_conversation.copy(),
            projection=projection,
            inside=self.order,
            excluded=self.excluded,
            is_meta=self.is_meta,
            count_votes=count_votes,
            total_counts=total_counts,
            base_start=self.result.base_centers,
        )
        return self.result
