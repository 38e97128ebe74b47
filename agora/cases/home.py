"""What cases add to the home page: the newest public questions and reports."""

from agora.cases.models import Case
from agora.core.sections import Section

#: How many recent public cases the home page lists.
HOME_CASES = 5


def recent_cases(request) -> Section:
    # Ordered newest first by the model; one query, with the office.
    cases = Case.objects.filter(is_public=True).select_related("office")[:HOME_CASES]
    return Section("cases/_home.html", {"recent_cases": cases})
