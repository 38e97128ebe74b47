"""The Spanish catalogue is complete: every string in the source is in it, every entry is
translated and checked (nothing fuzzy), the committed .mo says what the .po says, and the
pages people see first read in Spanish."""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import agora
from tests.factories import UserFactory

SOURCE = Path(agora.__file__).parent
CATALOGUE = SOURCE / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")
# "%%" first, so that a literal per cent followed by a word ("%% del") is not read as "% d".
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[sdif]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def read_catalogue(path: Path) -> list[dict]:
    """The entries of a .po file, each with its msgctxt, msgid, msgid_plural, msgstrs (a
    list: one per plural form) and flags. Obsolete (#~) entries are kept apart as such."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def finish():
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, None

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        if not line.strip():
            finish()
            continue
        if "msgid" in entry and (line.startswith("#") or line.startswith(("msgctxt", "msgid "))):
            finish()  # a new entry that was not preceded by a blank line
        if obsolete:
            entry["obsolete"] = True
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(
                flag.strip() for flag in line[2:].split(",") if flag.strip()
            )
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"') and field is not None:
            name, index = field
            if index is None:
                entry[name] += ast.literal_eval(line)
            else:
                entry[name][index] += ast.literal_eval(line)
            continue
        match = KEYWORD.match(line)
        if not match:
            raise AssertionError(f"{path.name}:{number}: cannot read {line!r}")
        keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
        if keyword.startswith("msgstr"):
            entry.setdefault("msgstr", [])
            position = int(index or 0)
            entry["msgstr"].extend([""] * (position + 1 - len(entry["msgstr"])))
            entry["msgstr"][position] = text
            field = ("msgstr", position)
        else:
            entry[keyword] = text
            field = (keyword, None)
    finish()
    for entry in entries:
        entry.setdefault("flags", set())
        entry.setdefault("msgctxt", None)
        entry.setdefault("msgid_plural", None)
        entry.setdefault("msgstr", [])
    return entries


def header(entries: list[dict]) -> dict[str, str]:
    first = entries[0]
    assert first["msgid"] == "" and first["msgctxt"] is None, "the catalogue has no header"
    lines = first["msgstr"][0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def messages(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


def key(entry: dict) -> tuple:
    return entry["msgctxt"], entry["msgid"], entry["msgid_plural"]


def describe(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return context + repr(entry["msgid"])


@pytest.fixture(scope="module")
def catalogue():
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing: run `make messages`"
    return read_catalogue(CATALOGUE)


def test_the_catalogue_is_spanish_utf8_with_two_plural_forms(catalogue):
    fields = header(catalogue)
    assert fields["Language"] == "es"
    assert "charset=UTF-8" in fields["Content-Type"]
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in catalogue[0]["flags"]


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue):
    entries = messages(catalogue)
    assert len(entries) > 100
    empty = [
        describe(e)
        for e in entries
        if not e["msgstr"]
        or not all(e["msgstr"])
        or len(e["msgstr"]) != (2 if e["msgid_plural"] else 1)
    ]
    fuzzy = [describe(e) for e in entries if "fuzzy" in e["flags"]]
    obsolete = [e["msgid"] for e in catalogue if e.get("obsolete")]
    assert not empty, f"untranslated in {CATALOGUE.name}: {empty}"
    assert not fuzzy, f"fuzzy (check, then remove the flag) in {CATALOGUE.name}: {fuzzy}"
    assert not obsolete, f"obsolete entries, run `make messages`: {obsolete}"


def test_every_translation_keeps_the_placeholders_and_html_of_its_source(catalogue):
    wrong = []
    for entry in messages(catalogue):
        sources = [entry["msgid"], entry["msgid_plural"] or entry["msgid"]]
        for index, translation in enumerate(entry["msgstr"]):
            source = sources[min(index, 1)]
            # A singular may spell out its number ("one character"); the plural may not.
            check_placeholders = "python-format" in entry["flags"] and not (
                index == 0 and entry["msgid_plural"]
            )
            if check_placeholders and sorted(PLACEHOLDER.findall(translation)) != sorted(
                PLACEHOLDER.findall(source)
            ):
                wrong.append((describe(entry), translation))
            if sorted(TAG.findall(translation)) != sorted(TAG.findall(source)):
                wrong.append((describe(entry), translation))
    assert not wrong, f"placeholders or HTML differ from the source: {wrong}"


def test_the_committed_mo_file_says_what_the_po_file_says(catalogue):
    assert COMPILED.exists(), f"{COMPILED} is missing: run `make messages`"
    with COMPILED.open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    stale = []
    for entry in messages(catalogue):
        if entry["msgid_plural"]:
            found = [
                compiled.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"], n)
                if entry["msgctxt"]
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                for n in (1, 2)
            ]
        else:
            found = [
                compiled.pgettext(entry["msgctxt"], entry["msgid"])
                if entry["msgctxt"]
                else compiled.gettext(entry["msgid"])
            ]
        if found != entry["msgstr"]:
            stale.append(describe(entry))
    assert not stale, f"django.mo is older than django.po, run `make messages`: {stale}"


def test_the_catalogue_has_exactly_the_strings_marked_in_the_source(
    catalogue, tmp_path, monkeypatch
):
    """makemessages runs on a copy of the source, so the committed catalogue is left alone."""
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.fail(
            f"GNU gettext is needed to check the catalogue against the source, but "
            f"{', '.join(missing_tools)} is not installed (Debian: apt-get install gettext)."
        )
    copy = tmp_path / "agora"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages", locale=["es"], no_obsolete=True, add_location="file", verbosity=0
        )
    extracted = {key(e) for e in messages(read_catalogue(copy / CATALOGUE.relative_to(SOURCE)))}
    committed = {key(e) for e in messages(catalogue)}
    missing = sorted(msgid for _, msgid, _ in extracted - committed)
    gone = sorted(msgid for _, msgid, _ in committed - extracted)
    assert not missing, f"strings not in the Spanish catalogue, run `make messages`: {missing}"
    assert not gone, f"strings no longer in the source, run `make messages`: {gone}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "spanish", "english"),
    [
        (
            "/",
            ["Te damos la bienvenida a", "Crear una cuenta", "Iniciar sesión", "Registrarse"],
            ["Welcome to", "Create an account", "Log in", "Sign up", "Skip to main content"],
        ),
        (
            "/accounts/login/",
            ["Iniciar sesión", "Correo electrónico", "Contraseña", "¿Primera vez aquí?"],
            ["Log in", "Email", "Password", "Forgot your password?", "New here?"],
        ),
        (
            "/accounts/signup/",
            ["Crea tu cuenta", "Nombre de usuario", "Tu nombre público después de la @"],
            ["Create your account", "Handle", "Your public name", "Already have an account?"],
        ),
    ],
)
def test_a_visitor_who_asks_for_spanish_reads_spanish(client, url, spanish, english):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    for text in spanish:
        assert text in html, f"{url} lacks {text!r}"
    for text in english:
        assert text not in html, f"{url} still says {text!r}"


@pytest.mark.django_db
def test_a_person_who_asks_for_spanish_edits_their_profile_in_spanish(client):
    client.force_login(UserFactory())
    response = client.get("/settings/profile/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Editar tu perfil",
        "Guardar perfil",
        "Configuración",
        "Cerrar sesión",
        "Nombre visible",
        "Zona de residencia",
        "Quién puede ver mi perfil",
        "Todo el mundo",
        "Imagen de perfil",
        "El idioma de mi navegador",
    ]:
        assert text in html, f"the profile settings lack {text!r}"
    for text in [
        "Edit your profile",
        "Save profile",
        "Settings",
        "Log out",
        "Display name",
        "Home area",
        "Who can see my profile",
        "Everyone",
        "Avatar",
        "The language of my browser",
    ]:
        assert text not in html, f"the profile settings still say {text!r}"
