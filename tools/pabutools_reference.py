"""Write the winners that pabutools, the reference implementation of participatory-budgeting
rules, finds for every Pabulib file in a folder, for tests/budgets to compare Agora's counts
with without running pabutools on every file each time (it takes seconds on the largest).

    .venv/bin/python tools/pabutools_reference.py ../shared/data/pabulib \
        tests/budgets/pabutools_winners.json

For each file: `equal-shares`, pabutools' `method_of_equal_shares` with the satisfaction that
matches the ballots (Cost_Sat for approval, Additive_Cardinal_Sat for cumulative,
Additive_Borda_Sat for ordinal); and for the files in ADD1 `equal-shares-add1`, the same with
`voter_budget_increment=1`. Winners as sorted lists of project ids, with the seconds each took.
Add1 reruns the method once per unit added to each voter's share, hundreds of times; pabutools
takes from seconds to tens of minutes for that (Częstochowa: 414 reruns of 3.6 s), so only
files where it takes under half a minute are in ADD1, of each ballot kind.
"""

import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.rules import method_of_equal_shares

SATISFACTION = {
    "approval": Cost_Sat,
    "cumulative": Additive_Cardinal_Sat,
    "ordinal": Additive_Borda_Sat,
}

ADD1 = {
    "poland_warszawa_2019_radosc.pb",
    "poland_warszawa_2019_zerzen.pb",
    "poland_warszawa_2018_rejon-4.pb",
    "poland_gdansk_2020_mlyniska.pb",
    "poland_gdansk_2020_nowy-port.pb",
    "poland_gdansk_2020_przymorze-male.pb",
    "poland_gdansk_2020_wyspa-sobieszewska.pb",
    "poland_krakow_2018_debniki.pb",
}


def reference(path: Path) -> dict:
    instance, profile = parse_pabulib(str(path))
    satisfaction = SATISFACTION[instance.meta["vote_type"]]
    answer = {}
    rules = [("equal-shares", None)]
    if path.name in ADD1:
        rules.append(("equal-shares-add1", 1))
    for rule, increment in rules:
        started = time.perf_counter()
        outcome = method_of_equal_shares(
            instance, profile, sat_class=satisfaction, voter_budget_increment=increment
        )
        answer[rule] = sorted(project.name for project in outcome)
        answer[f"{rule} seconds"] = round(time.perf_counter() - started, 2)
    return answer


def main(folder: str, output: str) -> None:
    files = {}
    for path in sorted(Path(folder).glob("*.pb")):
        files[path.name] = reference(path)
        print(path.name, files[path.name], flush=True)
    written = {"pabutools": version("pabutools"), "files": files}
    Path(output).write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
