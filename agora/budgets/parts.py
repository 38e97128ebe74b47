"""The budgets' parts of other apps' pages: on the process page (processes' slot
`PROCESS_BODY`), the process's budgets, each with a link to vote while open or to its result
once closed (one query, kept with the process's short lists), and "Add a budget" for its
managers; on an accepted proposal's page (proposals' slot `PROPOSAL_BODY`),
the projects it became (one query; none for a proposal that was not accepted, which cannot
become one)."""

from agora.budgets.models import Budget, Project
from agora.core.sections import Section
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES, keep_short_list, short_list
from agora.processes.permissions import can_manage_process
from agora.proposals.models import AnswerKind, ProposalState
from agora.proposals.pages import PROPOSAL_BODY


def _budgets(process) -> list[Budget]:
    return list(Budget.objects.filter(process=process).order_by("pk"))


def process_budgets(request, process) -> Section | None:
    budgets = short_list(process, "budgets")
    # The page asks the same of the person; it is kept on them for the request.
    may_add = request.user.is_authenticated and can_manage_process(request.user, process)
    if not (budgets or may_add):
        return None
    return Section(
        "budgets/_process_budgets.html",
        {"budgets": budgets, "may_add": may_add, "process": process},
    )


def proposal_projects(request, proposal) -> Section | None:
    if proposal.state != ProposalState.ANSWERED or proposal.answer != AnswerKind.ACCEPTED:
        return None
    projects = list(
        Project.objects.filter(proposal=proposal)
        .select_related("budget")
        .order_by("budget_id", "position")
    )
    if not projects:
        return None
    return Section("budgets/_proposal_projects.html", {"projects": projects})


def connect() -> None:
    PROCESS_BODY.add(process_budgets, order=40)
    keep_short_list("budgets", _budgets, Budget)
    PROPOSAL_BODY.add(proposal_projects, order=40)
    VISITORS_PAGES.watch(Budget)
