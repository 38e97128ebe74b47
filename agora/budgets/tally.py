"""`agora budgets tally FILE.pb --rule RULE [--minimum-votes N] [--json]`: count a Pabulib
file by one of Agora's rules, without Django, a database or production settings. `cli.py`
answers it before starting Django; the management command of the same name gives the same
answer through `manage.py` or `call_command`."""

import argparse
from pathlib import Path

from agora.budgets import counting, pabulib

#: What the command says before the problem when a file cannot be counted.
REFUSED = "Nothing was counted:"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a Pabulib .pb file")
    parser.add_argument("--rule", choices=counting.RULES, default="equal-shares")
    parser.add_argument(
        "--minimum-votes",
        type=int,
        default=0,
        help="a project named on fewer ballots cannot win (default 0)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def tally_file(path: str | Path, rule: str, *, minimum_votes: int = 0) -> dict:
    """The count of a Pabulib file as JSON-ready data; `winners` lists the funded projects'
    ids as the file spells them, in the order they were funded. Raises PabulibError."""
    election = pabulib.read(path)
    profile = counting.profile_of_election(election)
    outcome = counting.count(profile, rule, minimum_votes=minimum_votes)
    names = {project.id: project.name for project in election.projects}
    data = outcome.as_dict()
    for entry in data["projects"]:
        entry["id"] = entry.pop("key")
        entry["name"] = names[entry["id"]]
    return {
        "file": Path(path).name,
        "description": election.description,
        "vote_type": election.vote_type,
        "currency": election.currency,
        "voters": profile.voters,
        "minimum_votes": minimum_votes,
        **data,
    }


def _money(value: float) -> str:
    return f"{value:,.0f}"


def because(entry: dict) -> str:
    """Why a project won or lost, in words (the result page says the same, translated)."""
    reason = entry["reason"]
    if reason == counting.FUNDED:
        if entry.get("price") is not None and entry["round"]:
            return f"funded in round {entry['round']}, paid by {entry['payers']} supporters"
        return f"funded, turn {entry['round']}" if entry["round"] else "funded: it costs nothing"
    if reason == counting.DID_NOT_FIT:
        return f"did not fit the {_money(entry['left'])} left when its turn came"
    if reason == counting.SHARES_RAN_OUT:
        return (
            f"its supporters' shares ran out: they had {_money(entry['available'])} left "
            f"for a cost of {_money(entry['cost'])}"
        )
    if reason == counting.BELOW_MINIMUM:
        return f"below the minimum number of votes ({entry['votes']})"
    return "no ballot supports it under this rule"


def describe(result: dict) -> list[str]:
    """`tally_file`'s answer as lines for a person to read."""
    lines = [
        f"{result['file']}: {result['voters']} ballots ({result['vote_type']}), "
        f"budget {_money(result['budget'])} {result['currency']}".rstrip(),
        f"Rule {result['rule']}: {len(result['winners'])} projects funded, "
        f"{_money(result['spent'])} spent, {_money(result['left'])} left.",
    ]
    for entry in result["projects"]:
        mark = "+" if entry["won"] else "-"
        lines.append(f"{mark} {entry['id']} ({_money(entry['cost'])}): {because(entry)}")
    return lines
