"""The legend every permissions matrix of a participation app reads: what a cell's letter means
(the reason `processes.features.can_act` answers) and the roles, in the order each row lists
them. Each app's test writes out its own cells."""

from agora.processes.features import Reason

CELL = {
    "A": Reason.ALLOWED,
    "P": Reason.OUTSIDE_PHASE,
    "S": Reason.NOT_SIGNED_IN,
    "V": Reason.NOT_VERIFIED,
    "R": Reason.OUTSIDE_AREAS,
    "O": Reason.OFFICE_TAKES_NO_PART,
    "N": Reason.NOT_THE_OFFICE,
}
ROLES = [
    "anonymous",
    "signed_in",
    "verified",
    "outsider",
    "official",
    "other_official",
    "moderator",
    "administrator",
]
