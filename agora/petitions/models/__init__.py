"""The petitions' models: a petition and its co-sponsors, signatures and invalidations, and the
authorities' thresholds with the ones each petition reached."""

from agora.petitions.models.petition import (
    LIFECYCLE,
    CoSponsor,
    DebateDecision,
    Petition,
    PetitionState,
)
from agora.petitions.models.signature import AreaTally, Invalidation, Signature
from agora.petitions.models.threshold import Brings, ReachedThreshold, Threshold

__all__ = [
    "LIFECYCLE",
    "AreaTally",
    "Brings",
    "CoSponsor",
    "DebateDecision",
    "Invalidation",
    "Petition",
    "PetitionState",
    "ReachedThreshold",
    "Signature",
    "Threshold",
]
