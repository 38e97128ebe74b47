"""Why a project won or lost, in the reader's language: the words of the result page for each
reason `counting` gives."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agora.budgets import counting


def money(value) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def amount(value, currency: str) -> str:
    return f"{money(value)} {currency}".strip()


def because(verdict: dict, *, minimum_votes: int) -> str:
    reason = verdict["reason"]
    if reason == counting.FUNDED:
        if verdict.get("price") is not None and verdict["round"]:
            return _("Funded in round %(round)s: %(payers)s supporters paid for it.") % {
                "round": verdict["round"],
                "payers": money(verdict["payers"]),
            }
        if verdict["round"]:
            return _("Funded: its turn came with %(left)s left.") % {"left": money(verdict["left"])}
        return _("Funded: it costs nothing.")
    if reason == counting.DID_NOT_FIT:
        return _("Not funded: it did not fit the %(left)s left when its turn came.") % {
            "left": money(verdict["left"])
        }
    if reason == counting.SHARES_RAN_OUT:
        return _(
            "Not funded: its supporters’ shares ran out. They had %(available)s left for a "
            "cost of %(cost)s."
        ) % {"available": money(verdict["available"]), "cost": money(verdict["cost"])}
    if reason == counting.BELOW_MINIMUM:
        return _("Not funded: %(votes)s votes, below the minimum of %(minimum)s.") % {
            "votes": money(verdict["votes"]),
            "minimum": money(minimum_votes),
        }
    return _("Not funded: no ballot supports it under this rule.")


def rule_explained(rule: str) -> str:
    if rule == "greedy":
        return _(
            "Projects were taken in order of votes (points, or Borda score for rankings), "
            "highest first; each was funded if its cost fitted the money left, and skipped if "
            "not."
        )
    explained = _(
        "The Method of Equal Shares: the budget was split equally between the voters. Each "
        "round funded the project its supporters could pay for most cheaply, each paying in "
        "proportion to how much the project gave them, never more than they had left. A "
        "project whose supporters had too little left was not funded."
    )
    if rule == "equal-shares-add1":
        explained += " " + _(
            "Then every voter’s share was raised by one unit of currency at a time, counting "
            "again each time, as long as the result stayed within the budget (the Add1 "
            "completion)."
        )
    return explained


def ballot_rules(budget) -> list[str]:
    """The ballot's rules, in words, for the page and the API."""
    said = []
    if budget.ballot_kind == "approval":
        said.append(_("Tick the projects you want funded."))
    elif budget.ballot_kind == "cumulative":
        if budget.points:
            said.append(
                _("Distribute %(points)s points between the projects you want funded.")
                % {"points": budget.points}
            )
        else:
            said.append(_("Give points to the projects you want funded."))
    else:
        said.append(_("Rank the projects you want funded: 1 for your first choice."))
    if budget.knapsack:
        said.append(
            _("Their cost together must fit the budget of %(amount)s.")
            % {"amount": amount(budget.amount, budget.currency)}
        )
        if budget.minimum_share:
            said.append(
                _("Choose projects worth at least %(share)s%% of it.")
                % {"share": budget.minimum_share}
            )
    if budget.minimum_projects and budget.maximum_projects:
        said.append(
            _("Choose between %(minimum)s and %(maximum)s projects.")
            % {"minimum": budget.minimum_projects, "maximum": budget.maximum_projects}
        )
    elif budget.minimum_projects:
        minimum = budget.minimum_projects
        said.append(_("Choose at least %(minimum)s projects.") % {"minimum": minimum})
    elif budget.maximum_projects:
        maximum = budget.maximum_projects
        said.append(_("Choose at most %(maximum)s projects.") % {"maximum": maximum})
    said.append(_("You can change your ballot until the vote closes; the last one counts."))
    return said
