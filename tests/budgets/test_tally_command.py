"""`agora budgets tally FILE.pb --rule RULE --json` on real Pabulib files."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.budgets.conftest import PABULIB

RADOSC = PABULIB / "poland_warszawa_2019_radosc.pb"
DEBNIKI = PABULIB / "poland_krakow_2018_debniki.pb"


def tally(path, *options) -> dict:
    out = io.StringIO()
    call_command("budgets", "tally", str(path), *options, "--json", stdout=out)
    return json.loads(out.getvalue())


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


def test_the_json_lists_the_winners_as_the_file_spells_them():
    result = tally(DEBNIKI, "--rule", "equal-shares")
    assert result["winners"] == ["3", "12", "2", "18", "15", "6", "11", "4"]
    assert (result["vote_type"], result["voters"], result["budget"]) == ("ordinal", 3463, 318900)
    assert result["spent"] == 163900
    assert result["left"] == 318900 - 163900
    by_id = {entry["id"]: entry for entry in result["projects"]}
    assert len(by_id) == 19
    assert by_id["15"]["name"] == "Zielona Aleja Kapelanka"
    assert by_id["15"]["reason"] == "funded"
    assert by_id["7"]["reason"] == "shares_ran_out"
    assert by_id["7"]["available"] < by_id["7"]["cost"]


def test_greedy_in_the_json_says_what_was_left_when_a_project_did_not_fit():
    result = tally(PABULIB / "poland_warszawa_2018_rejon-4.pb", "--rule", "greedy")
    skipped = [entry for entry in result["projects"] if entry["reason"] == "did_not_fit"]
    assert skipped
    assert all(entry["cost"] > entry["left"] for entry in skipped)
    assert sum(entry["cost"] for entry in result["projects"] if entry["won"]) == result["spent"]


def test_a_minimum_number_of_votes_is_an_option():
    result = tally(RADOSC, "--rule", "greedy", "--minimum-votes", "100")
    assert result["winners"] == ["1318", "2407", "257"]
    assert {e["id"] for e in result["projects"] if e["reason"] == "below_minimum"} == {
        "2391",
        "2397",
    }


def test_the_agora_command_answers_without_starting_django_and_as_the_management_command():
    result = run_cli("budgets", "tally", str(DEBNIKI), "--rule", "equal-shares-add1", "--json")
    assert result.returncode == 0, result.stderr
    assert "django apps loaded: False" in result.stderr
    assert json.loads(result.stdout) == tally(DEBNIKI, "--rule", "equal-shares-add1")

    as_text = run_cli("budgets", "tally", str(RADOSC), "--rule", "greedy")
    out = io.StringIO()
    call_command("budgets", "tally", str(RADOSC), "--rule", "greedy", stdout=out)
    assert as_text.stdout == out.getvalue()
    assert (
        as_text.stdout.splitlines()[1] == "Rule greedy: 5 projects funded, 151,250 spent, 0 left."
    )


def test_the_text_says_why_each_project_lost():
    out = io.StringIO()
    call_command("budgets", "tally", str(DEBNIKI), "--rule", "equal-shares", stdout=out)
    lines = out.getvalue().splitlines()
    assert "- 7 (70,000): its supporters' shares ran out: they had 46,340 left" in "\n".join(lines)
    assert lines[2].startswith("+ 15 (67,400): funded in round 5, paid by ")


def test_a_bad_file_is_refused_without_a_traceback(tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text(RADOSC.read_text(encoding="utf-8").replace("257,", "999,"), "utf-8")
    result = run_cli("budgets", "tally", str(broken), "--rule", "greedy")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Nothing was counted: line " in result.stderr
    assert "a vote for unknown project 999" in result.stderr
    with pytest.raises(CommandError, match="a vote for unknown project 999"):
        tally(broken, "--rule", "greedy")


def test_an_unknown_rule_is_refused_by_the_parser():
    result = run_cli("budgets", "tally", str(RADOSC), "--rule", "phragmen")
    assert result.returncode == 2
    assert "invalid choice: 'phragmen'" in result.stderr
