"""`agora import_directory FILE`: checked line by line, all of it or nothing, and the same file
twice changes nothing the second time."""

import json

import pytest
from django.core.management import CommandError, call_command

from agora.core.models import AuditEntry
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Area, Authority, Office, Responsibility, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "type,slug,parent,authority,kind,name_en,name_es,email,keywords_en,topic,area,office\n"
GOOD_CSV = HEADER + (
    "authority,townsville,,,city,Townsville Council,Ayuntamiento,,,,,\n"
    "area,townsville,,,city,Townsville,,,,,,\n"
    "area,district-4,townsville,,district,District 4,Distrito 4,,,,,\n"
    "office,roads,,townsville,department,Roads,Vías,roads@example.org,,,,\n"
    "office,road-crew-4,roads,townsville,unit,Road crew 4,,,,,,\n"
    "topic,potholes,,,,Potholes,Baches,,pothole; hole in the road,,,\n"
    "responsibility,,,,,,,,,potholes,townsville,roads\n"
    "responsibility,,,,,,,,,potholes,district-4,road-crew-4\n"
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(path, **options):
    call_command("import_directory", str(path), verbosity=0, **options)


def counts():
    return [model.objects.count() for model in (Authority, Area, Office, Topic, Responsibility)]


def test_a_csv_file_creates_the_directory_with_its_hierarchy(tmp_path):
    import_file(write(tmp_path, "directory.csv", GOOD_CSV))

    crew = Office.objects.select_related("parent", "authority").get(slug="road-crew-4")
    assert crew.parent.slug == "roads"
    assert crew.authority.name_en == "Townsville Council"
    assert Area.objects.get(slug="district-4").parent.slug == "townsville"
    assert Topic.objects.get(slug="potholes").keyword_list("en") == ["pothole", "hole in the road"]
    responsibility = Responsibility.objects.get(topic__slug="potholes", area__slug="district-4")
    assert responsibility.office == crew


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    path = write(tmp_path, "directory.csv", GOOD_CSV)
    import_file(path)
    entries = AuditEntry.objects.count()
    before = counts()

    import_file(path)

    assert counts() == before
    assert AuditEntry.objects.count() == entries


def test_a_changed_row_updates_the_entry_by_its_slug_and_is_audited(tmp_path):
    admin = UserFactory(role="administrator")
    import_file(write(tmp_path, "directory.csv", GOOD_CSV))
    changed = GOOD_CSV.replace(
        "Roads,Vías,roads@example.org", "Roads and Mobility,Vías,new@example.org"
    )

    import_file(write(tmp_path, "changed.csv", changed), by=admin.handle)

    office = Office.objects.get(slug="roads")
    assert (office.name_en, office.email) == ("Roads and Mobility", "new@example.org")
    entry = AuditEntry.objects.filter(action="directory.office_updated").get()
    assert entry.actor == admin
    assert entry.data == {"source": "changed.csv", "fields": ["email", "name_en"]}
    assert Office.objects.count() == 2


def test_the_demo_directory_imports_in_json_lines():
    import_file(DEMO_DIRECTORY)
    assert Office.objects.count() >= 10
    assert Topic.objects.count() >= 40
    assert Area.objects.filter(kind="neighbourhood").count() >= 8
    assert Office.objects.filter(parent__parent__isnull=False).exists()  # three levels


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("shop,x,,,,X,,,,,,", "type must be one of"),
        ("office,no-name,,townsville,department,,,,,,,", "name_en is required"),
        ("office,Bad Slug,,townsville,department,X,,,,,,", "slug"),
        ("office,lost,,nowhere,department,X,,,,,,", "there is no authority “nowhere”"),
        ("office,mailer,,townsville,department,X,,not-an-address,,,,", "email"),
        ("area,moon,,,planet,Moon,,,,,,", "kind"),
        ("office,roads,,townsville,department,Again,,,,,,", "already on line 5"),
        ("responsibility,,,,,,,,,ghost,townsville,roads", "there is no topic “ghost”"),
        ("topic,loop-a,loop-b,,,A,,,,,,\ntopic,loop-b,loop-a,,,B,,,,,,", "inside itself"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(tmp_path, row, problem):
    path = write(tmp_path, "bad.csv", GOOD_CSV + row + "\n")
    with pytest.raises(CommandError) as raised:
        import_file(path)
    message = str(raised.value)
    assert "nothing imported" in message
    assert "line 10:" in message
    assert problem in message
    assert counts() == [0, 0, 0, 0, 0]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    rows = "office,a,,nowhere,department,A,,,,,,\ntopic,,,,,,,,,,,\n"
    with pytest.raises(CommandError) as raised:
        import_file(write(tmp_path, "bad.csv", HEADER + rows))
    message = str(raised.value)
    assert "line 2: authority: there is no authority" in message
    assert "line 3: slug is required" in message
    assert "line 3: name_en is required" in message


def test_json_lines_report_broken_lines_and_bad_values_by_line(tmp_path):
    lines = [
        json.dumps({"type": "authority", "slug": "t", "name_en": "T"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"type": "topic", "slug": "t", "name_en": "T", "keywords_en": [1, 2]}),
        json.dumps(
            {"type": "area", "slug": "a", "name_en": "A", "kind": "city", "boundary": "square"}
        ),
        json.dumps({"type": "authority", "slug": "u", "name_en": "U", "colour": "red"}),
    ]
    with pytest.raises(CommandError) as raised:
        import_file(write(tmp_path, "bad.jsonl", "\n".join(lines)))
    message = str(raised.value)
    assert "line 2: This line is not valid JSON." in message
    assert "line 3: Each line must be a JSON object." in message
    assert "line 4: keywords_en: a list of texts is expected." in message
    assert "line 5: boundary: a GeoJSON Polygon or MultiPolygon" in message
    assert "line 6: fields that a authority does not have: colour." in message
    assert Authority.objects.count() == 0


def test_a_boundary_polygon_is_kept(tmp_path):
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    line = {"type": "area", "slug": "a", "name_en": "A", "kind": "city", "boundary": polygon}
    import_file(write(tmp_path, "area.jsonl", json.dumps(line)))
    assert Area.objects.get(slug="a").boundary == polygon


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("directory.xml", "<x/>", "Use a .csv or .jsonl file"),
        ("directory.csv", "slug,name_en\nx,X\n", "The first line must name the columns"),
        ("directory.csv", "type,slug,colour\noffice,x,red\n", "Unknown columns: colour"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(tmp_path, name, content, problem):
    with pytest.raises(CommandError, match=problem):
        import_file(write(tmp_path, name, content))
    assert counts() == [0, 0, 0, 0, 0]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + "topic,t,,,,Caf\xe9,,,,,,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 2: The file is not UTF-8 text."):
        import_file(path)


def test_a_missing_file_or_unknown_importer_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_file(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="there is no account @ghost"):
        import_file(write(tmp_path, "directory.csv", GOOD_CSV), by="ghost")
