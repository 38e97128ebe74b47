"""How a public case describes itself to other networks (`core.pagemeta`): its title, its
kind and the office accountable for it. A private case says nothing."""

from django.utils.translation import gettext as _

from agora.cases.models import Case
from agora.core.pagemeta import PageMeta, describe


def _case(case: Case) -> PageMeta | None:
    if not case.is_public:
        return None
    return PageMeta(
        title=case.title,
        description=_("%(kind)s %(reference)s, for %(office)s: %(state)s.")
        % {
            "kind": case.get_kind_display(),
            "reference": case.reference,
            "office": case.office.name,
            "state": case.get_state_display(),
        },
        kind="article",
    )


def connect() -> None:
    describe(Case, _case)
