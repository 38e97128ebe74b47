"""`agora petitions export`: CSV and JSON of the published petitions, with only the names
signers chose to show, and no email or address range."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from agora.petitions import services
from tests.petitions.conftest import a_draft, an_open_petition, residents, thresholds


def test_the_export_has_the_published_petitions_and_only_the_names_shown(town, tmp_path):
    thresholds(town, response=1, debate=None)
    petition = an_open_petition(town, title="Shade")
    a_draft(town, title="Unpublished draft")
    shown, hidden = residents(2)
    services.sign_petition(petition, by=shown, show_name=True, address="203.0.113.5")
    services.sign_petition(petition, by=hidden, address="203.0.113.6")
    out = io.StringIO()
    call_command("petitions", "export", stdout=out)
    (record,) = json.loads(out.getvalue())
    assert record["title"] == "Shade" and record["signature_count"] == 2
    assert record["names_shown"] == [shown.name]
    assert record["signatures_by_area"] == {"north": 2}
    assert record["thresholds_reached"][0]["brings"] == "response"
    text = out.getvalue()
    assert hidden.name not in text and "203.0.113" not in text and shown.email not in text
    call_command("petitions", "export", "--output", str(tmp_path), stdout=io.StringIO())
    rows = list(csv.DictReader((tmp_path / "petitions.csv").open(encoding="utf-8")))
    assert [row["title"] for row in rows] == ["Shade"]
    assert json.loads(rows[0]["names_shown"]) == [shown.name]
    assert json.loads((tmp_path / "petitions.json").read_text())[0]["id"] == petition.pk
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError):
        call_command("petitions", "export", "--output", str(tmp_path / "file"))
