"""The place on a proposal's page where later apps add their parts (`core.sections`), so
proposals never imports them: `PROPOSAL_BODY`, after the official answer and its delivery (the
budgets' "This proposal became the project X of budget Y"). A part takes `(request, proposal)`
and answers a Section or None."""

from agora.core.sections import Slot

PROPOSAL_BODY = Slot("proposals.PROPOSAL_BODY")
