"""The results' part of the process page (processes' `PROCESS_BODY` slot): the newest few
results with their status and progress, and the link to the process's results page, in one
query whatever the number of results. Shown once a process has results, in its results
phase, and to those who may add one."""

from agora.core.sections import Section
from agora.processes import features
from agora.processes.models import PhaseKind
from agora.processes.pages import PROCESS_BODY, VISITORS_PAGES, keep_short_list, short_list
from agora.results import queries
from agora.results.models import Result
from agora.results.permissions import can_create_result

SHOWN = 3


def _results(process) -> list[Result]:
    return list(queries.of_process(process).order_by("-pk")[:SHOWN])


def process_results(request, process) -> Section | None:
    results = short_list(process, "results")
    phase = features.current_phase(process)
    in_results_phase = phase is not None and phase.kind == PhaseKind.RESULTS
    if not results and not in_results_phase and not can_create_result(request.user, process):
        return None
    return Section("results/_process_results.html", {"results": results, "process": process})


def connect() -> None:
    PROCESS_BODY.add(process_results, order=60)
    keep_short_list("results", _results, Result)
    VISITORS_PAGES.watch(Result)  # a visitor's kept process page shows a new result at once
