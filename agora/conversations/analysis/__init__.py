"""The opinion-map computation, as Pol.is does it: from votes to groups and consensus.

Pure NumPy and no Django, so the worker, the import command, the tests and the benchmark all run
the same code. Votes use Agora's (and Pol.is's CSV export's) convention: agree = +1,
disagree = -1, pass = 0; a cell nobody voted in is NaN. Pol.is's own engine stores agree as -1,
so its PCA center has the opposite sign to ours and its components and projections may too;
everything else (counts, tests, consensus) does not depend on the sign.

Each module imports only from those listed before it:

- `matrix`: the vote matrix;
- `participation`: who takes part in the map;
- `projection`: principal components and where people and statements land;
- `clustering`: base clusters, opinion groups, comparing two partitions;
- `statistics`: what each group thinks (representativeness, consensus, comment priority);
- `versions`: rules Pol.is's engine followed in 2017, for replays of votes of that time;
- `history`: the replay of votes in the order Pol.is's worker met them;
- `pipeline`: the whole computation (`analyze`, `conclude`, `Analysis`);
- `incremental`: the running state that folds new votes into the last analysis.

This package re-exports what the rest of Agora uses. docs/opinion-maps.md explains each step
in plain words.
"""

from agora.conversations.analysis.clustering import MAX_GROUPS, MIN_GROUPS, adjusted_rand_index
from agora.conversations.analysis.matrix import (
    AGREE,
    DISAGREE,
    PASS,
    VoteMatrix,
    build_vote_matrix,
)
from agora.conversations.analysis.participation import in_conversation
from agora.conversations.analysis.pipeline import Analysis, analyze, conclude
from agora.conversations.analysis.projection import (
    DIRECT_EIGEN_LIMIT,
    Projection,
    centre,
    principal_components,
    project,
    project_statements,
)
from agora.conversations.analysis.statistics import comment_priorities, vote_counts

__all__ = [
    "AGREE",
    "DIRECT_EIGEN_LIMIT",
    "DISAGREE",
    "MAX_GROUPS",
    "MIN_GROUPS",
    "PASS",
    "Analysis",
    "Projection",
    "VoteMatrix",
    "adjusted_rand_index",
    "analyze",
    "build_vote_matrix",
    "centre",
    "comment_priorities",
    "conclude",
    "in_conversation",
    "principal_components",
    "project",
    "project_statements",
    "vote_counts",
]
