"""Pol.is open-data export and import of stored conversations."""

import io
import shutil

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from agora.accounts.models import Role
from agora.conversations import analysis, maps, opendata, services
from agora.conversations.models import Conversation, StatementStatus, Vote
from tests.factories import UserFactory
from tests.shared_data import SHARED_DATA

pytestmark = pytest.mark.django_db

LONDON = SHARED_DATA / "polis" / "opendata" / "london.youth.policing"


@pytest.fixture
def office():
    return UserFactory(role=Role.OFFICIAL, handle="roads_office")


def test_an_imported_export_gives_the_same_map_as_the_export_itself(office, tmp_path):
    export = opendata.read_export(LONDON)
    conversation = services.import_conversation(export, owner=office, question="Policing?")
    removed = conversation.statements.filter(status=StatementStatus.REMOVED).count()
    assert removed == len(export.moderated_out)
    assert (
        Vote.objects.filter(conversation=conversation).count()
        == np.isfinite(export.matrix.values).sum()
    )

    stored, removed_ids, _meta, _votes = maps.vote_matrix(conversation)
    direct = analysis.analyze(export.matrix, moderated_out=export.moderated_out)
    again = analysis.analyze(stored, moderated_out=removed_ids)
    assert again.in_conversation.sum() == direct.in_conversation.sum()
    np.testing.assert_allclose(
        np.abs(again.projection.extremity), np.abs(direct.projection.extremity), atol=1e-12
    )

    maps.recompute_map(conversation.pk)
    conversation.refresh_from_db()
    services.export_conversation(conversation, tmp_path / "out")
    round_trip = opendata.read_export(tmp_path / "out")
    np.testing.assert_array_equal(np.isnan(round_trip.matrix.values), np.isnan(stored.values))
    np.testing.assert_array_equal(
        np.nan_to_num(round_trip.matrix.values, nan=9), np.nan_to_num(stored.values, nan=9)
    )
    assert round_trip.polis_groups  # the export carries Agora's groups in group-id
    assert sorted(round_trip.moderated_out) == sorted(removed_ids)


def test_a_malformed_export_imports_nothing(office, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(LONDON, broken)
    lines = (broken / "comments.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",1,", ",7,", 1)
    (broken / "comments.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="comments.csv, line 3: moderated must be"):
        call_command(
            "conversations",
            "import",
            str(broken),
            "--owner",
            "roads_office",
            "--question",
            "Q?",
            stdout=io.StringIO(),
        )
    assert not Conversation.objects.exists()


def test_the_command_imports_and_exports(office, tmp_path):
    out = io.StringIO()
    call_command(
        "conversations",
        "import",
        str(LONDON),
        "--owner",
        "roads_office",
        "--question",
        "Policing?",
        stdout=out,
    )
    conversation = Conversation.objects.get()
    assert f"conversation {conversation.pk}" in out.getvalue()
    call_command("conversations", "export", str(conversation.pk), str(tmp_path), stdout=out)
    for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        assert (tmp_path / name).is_file()


def test_votes_read_in_bulk_give_the_same_rows_and_the_same_messages_as_row_by_row(tmp_path):
    """A plain votes.csv is read in bulk (`_plain_integer_columns`); anything else, and any bad
    value, goes through the careful reader, so a bad row is still named by file and line."""
    from agora.conversations import opendata

    (tmp_path / "comments.csv").write_text("comment-id,moderated\n0,1\n1,1\n")
    (tmp_path / "participants-votes.csv").write_text("participant,group-id\n0,0\n1,1\n")
    votes = "timestamp,datetime,comment-id,voter-id,vote\n1,a,0,0,1\n2,b,1,0,-1\n3,c,0,1,0\n"
    (tmp_path / "votes.csv").write_text(votes)
    plain = opendata._plain_integer_columns(tmp_path / "votes.csv", ["vote", "voter-id"])
    assert plain["vote"].tolist() == [1, -1, 0] and plain["voter-id"].tolist() == [0, 0, 1]
    bulk = opendata.read_export(tmp_path)
    (tmp_path / "votes.csv").write_text(votes.replace("3,c,0,1,0", "3.0,c,0,1,0.0"))
    assert opendata._plain_integer_columns(tmp_path / "votes.csv", ["vote"]) is None
    careful = opendata.read_export(tmp_path)
    assert bulk.votes == careful.votes == [(1, 0, 0, 1), (2, 1, 0, -1), (3, 0, 1, 0)]
    assert np.array_equal(bulk.matrix.values, careful.matrix.values, equal_nan=True)

    (tmp_path / "votes.csv").write_text(votes.replace("2,b,1,0,-1", "2,b,1,0,2"))
    with pytest.raises(opendata.ExportError) as refused:
        opendata.read_export(tmp_path)
    assert refused.value.problems == ["votes.csv, line 3: vote must be -1, 0 or 1, not 2"]


VOTES = "timestamp,datetime,comment-id,voter-id,vote\n1,a,0,0,1\n2,b,1,0,-1\n3,c,0,1,0\n"
GROUPS = "participant,group-id,n-votes,0,1\n0,0,2,1,-1\n1,,1,0,\n2,1,0,,\n"


@pytest.mark.parametrize(
    ("votes", "groups"),
    [
        (VOTES, GROUPS),
        (VOTES.rstrip("\n"), GROUPS.rstrip("\n")),  # no newline at the end
        (VOTES.replace("\n3,", "\n\n3,"), GROUPS),  # a blank line
        (VOTES.replace("3,c,0,1,0", "3,c,0,1"), GROUPS),  # a row too short
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,0,9"), GROUPS),  # a row too long
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,+1"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1, 1"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,-"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,--1"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1,1e0"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "3,c,0,1234567890123456789012,0"), GROUPS),
        (VOTES.replace("3,c,0,1,0", "1700000000000,c,0,1,0"), GROUPS),
        (VOTES.replace("3,c,0,1,0", '3,"c, d",0,1,0'), GROUPS),  # quoted
        (VOTES, GROUPS.replace("\n2,1,", "\n,1,")),  # no participant
        (VOTES, GROUPS.replace("\n2,1,", "\n2,x,")),
        (VOTES, GROUPS.replace("\n2,1,", "\n-2,-1,")),
        (VOTES, "participant,group-id\n"),  # nobody grouped
    ],
)
def test_the_bulk_reader_and_the_careful_one_agree_on_odd_files(
    tmp_path, monkeypatch, votes, groups
):
    """Whatever a file holds, reading it in bulk gives what reading it row by row gives: the
    same votes and groups, or the same problems named by file and line."""
    from agora.conversations import opendata

    (tmp_path / "comments.csv").write_text("comment-id,moderated\n0,1\n1,1\n")
    (tmp_path / "votes.csv").write_text(votes)
    (tmp_path / "participants-votes.csv").write_text(groups)

    def read():
        try:
            export = opendata.read_export(tmp_path)
        except opendata.ExportError as error:
            return error.problems
        return export.votes, export.polis_groups

    bulk = read()
    monkeypatch.setattr(opendata, "_plain_integer_columns", lambda *args, **kwargs: None)
    assert bulk == read()


@pytest.mark.parametrize("votes", [VOTES, VOTES.rstrip("\n"), "timestamp,comment-id\n"])
def test_a_plain_file_is_read_in_bulk(tmp_path, votes):
    """Plain files, with or without a last newline or any row, take the bulk path."""
    from agora.conversations import opendata

    (tmp_path / "votes.csv").write_text(votes)
    plain = opendata._plain_integer_columns(tmp_path / "votes.csv", ["timestamp", "comment-id"])
    rows = [line.split(",") for line in votes.splitlines()[1:]]
    assert plain["timestamp"].tolist() == [int(row[0]) for row in rows]
    assert plain["comment-id"].tolist() == [int(row[2]) for row in rows]
