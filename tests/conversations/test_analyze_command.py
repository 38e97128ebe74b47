"""`agora conversations analyze DIR --json` on real Pol.is open-data exports."""

import io
import json
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from agora.conversations import opendata
from tests.shared_data import SHARED_DATA

OPENDATA = SHARED_DATA / "polis" / "opendata"


def analyze(directory) -> dict:
    out = io.StringIO()
    call_command("conversations", "analyze", str(directory), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def uberx():
    return analyze(OPENDATA / "vtaiwan.uberx")


def test_analysis_json_has_the_documented_shape(uberx):
    assert uberx["participants"] == 1921
    assert uberx["statements"] == 197
    assert all(isinstance(pid, int) for pid in uberx["in_conversation"])
    assert 2 <= len(uberx["groups"]) <= 5
    grouped = [pid for group in uberx["groups"] for pid in group["members"]]
    assert sorted(grouped) == sorted(uberx["in_conversation"])
    for group in uberx["groups"]:
        assert isinstance(group["id"], int)
        assert group["representative"]
        for entry in group["representative"]:
            assert entry["direction"] in {"agree", "disagree"}
            assert 0 <= entry["agree"] <= 1 and 0 <= entry["disagree"] <= 1
            assert entry[entry["direction"]] > 0
    assert set(uberx["consensus"]) == {"agree", "disagree"}
    assert len(uberx["group_aware_consensus"]) == 197
    assert all(0 < value < 1 for value in uberx["group_aware_consensus"].values())


def test_moderated_out_statements_are_never_representative_or_consensus(uberx):
    export = opendata.read_export(OPENDATA / "vtaiwan.uberx")
    removed = set(export.moderated_out)
    assert removed
    chosen = {e["statement"] for g in uberx["groups"] for e in g["representative"]}
    chosen |= set(uberx["consensus"]["agree"]) | set(uberx["consensus"]["disagree"])
    assert not chosen & removed


def test_uberx_groups_agree_with_polis(uberx):
    assert uberx["agreement_with_polis"] >= 0.85


def test_the_latest_vote_of_a_changed_mind_counts(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OPENDATA / "london.youth.policing", export)
    votes = (export / "votes.csv").read_text().splitlines()
    first = votes[1].split(",")
    later = [str(int(first[0]) + 1), first[1], first[2], first[3], "0"]
    (export / "votes.csv").write_text("\n".join([*votes, ",".join(later)]) + "\n")
    matrix = opendata.read_export(export).matrix
    row = list(matrix.participants).index(int(first[3]))
    column = list(matrix.statements).index(int(first[2]))
    assert matrix.values[row, column] == 0


def test_malformed_rows_are_reported_by_line_and_nothing_is_analysed(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OPENDATA / "london.youth.policing", export)
    lines = (export / "votes.csv").read_text().splitlines()
    lines[3] = "1658933844092,Wed Jul 27 2022,1,2,yes"
    lines[7] = "1658933844092,Wed Jul 27 2022,1"
    lines[9] = "1658933844092,Wed Jul 27 2022,1,2,5"
    (export / "votes.csv").write_text("\n".join(lines) + "\n")

    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("conversations", "analyze", str(export), "--json", stdout=out)
    message = str(raised.value)
    assert "votes.csv, line 4: vote is not a whole number" in message
    assert "votes.csv, line 8: 3 fields, the header has 5" in message
    assert "votes.csv, line 10: vote must be -1, 0 or 1" in message
    assert out.getvalue() == ""


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="comments.csv: file is missing"):
        analyze(tmp_path)


def test_the_agora_command_runs_the_analysis(capsys):
    from agora.cli import main

    assert (
        main(["conversations", "analyze", str(OPENDATA / "london.youth.policing"), "--json"]) == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["participants"] == 26
    assert printed["statements"] == 39


def run_cli(*arguments):
    """`agora ...` in a fresh process, reporting whether Django's apps were loaded."""
    code = (
        "import sys\n"
        "from agora.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('django apps loaded:', 'django.db.models' in sys.modules, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, timeout=120
    )


def test_the_agora_command_answers_without_starting_django_and_as_the_management_command():
    """Reading files needs no app: `agora conversations analyze` skips Django's start (more
    than half a second, bench/conversations_files.py) and prints what `call_command` does."""
    directory = OPENDATA / "brexit-consensus"
    result = run_cli("conversations", "analyze", str(directory), "--json")
    assert result.returncode == 0, result.stderr
    assert "django apps loaded: False" in result.stderr
    assert json.loads(result.stdout) == analyze(directory)

    as_text = run_cli("conversations", "analyze", str(directory))
    out = io.StringIO()
    call_command("conversations", "analyze", str(directory), stdout=out)
    assert as_text.stdout == out.getvalue()
    assert as_text.stdout.startswith("204 participants, ")


def test_the_agora_command_names_bad_rows_without_a_traceback(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(OPENDATA / "london.youth.policing", export)
    lines = (export / "votes.csv").read_text().splitlines()
    lines[3] = "1658933844092,Wed Jul 27 2022,1,2,yes"
    (export / "votes.csv").write_text("\n".join(lines) + "\n")
    result = run_cli("conversations", "analyze", str(export), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "votes.csv, line 4: vote is not a whole number: 'yes'" in result.stderr
    assert result.stderr.startswith("CommandError: Nothing was analysed")
    assert "Traceback" not in result.stderr
