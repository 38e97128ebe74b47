"""`agora proposals export`: the proposals of published processes as CSV and JSON, with no
personal data but the names people show to everyone."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from agora.accounts.models import Visibility
from agora.proposals import services
from tests.proposals.conftest import a_proposal, residents, support_process


def test_the_export_writes_csv_and_json_with_only_the_names_people_show(town, tmp_path):
    process = support_process(town, threshold=1)
    shown, private = residents(2)
    private.profile_visibility = Visibility.MEMBERS
    private.save(update_fields=["profile_visibility"])
    answered = a_proposal(process, shown, 'Benches, "wooden", on the square')
    services.support_proposal(answered, by=private)
    services.answer_proposal(answered, by=town.official, answer="accepted", reasons="Yes.")
    a_proposal(process, private, "A private person's idea")
    a_proposal(process, shown, "Hidden by moderation", moderation_state="hidden")
    unpublished = support_process(town, title_en="Draft", is_published=False)
    a_proposal(unpublished, shown, "In a draft process")

    call_command("proposals", "export", str(tmp_path / "out"))

    listing = json.loads((tmp_path / "out" / "proposals.json").read_text())
    with open(tmp_path / "out" / "proposals.csv", newline="") as table:
        table_rows = list(csv.DictReader(table))
    assert (
        [row["title"] for row in listing]
        == [row["title"] for row in table_rows]
        == [
            'Benches, "wooden", on the square',
            "A private person's idea",
        ]
    )
    first, second = listing
    assert first["author"] == "Resident 0" and second["author"] is None
    assert table_rows[1]["author"] == ""
    assert first["answer"] == "accepted" and first["answer_office"] == "cycling-unit"
    assert first["support_count"] == 1 and table_rows[0]["support_count"] == "1"
    assert first["process"] == process.slug and first["state"] == "answered"
    written = (tmp_path / "out" / "proposals.json").read_text()
    written += (tmp_path / "out" / "proposals.csv").read_text()
    for person in (shown, private):
        assert person.email not in written
    assert "Resident 1" not in written and private.handle not in written


def test_the_export_of_one_process_and_of_an_unknown_one(town, tmp_path):
    process = support_process(town)
    other = support_process(town, title_en="Other")
    a_proposal(process, town.verified, "Here")
    a_proposal(other, town.verified, "There")
    call_command("proposals", "export", str(tmp_path), "--process", other.slug)
    assert [row["title"] for row in json.loads((tmp_path / "proposals.json").read_text())] == [
        "There"
    ]
    with pytest.raises(CommandError, match="No published process"):
        call_command("proposals", "export", str(tmp_path), "--process", "nowhere")
