"""The Leaflet that Agora serves is the one pinned in vendor/leaflet, served from Agora's own
static files with its licence: never from another origin."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "agora/directory/static/directory/vendor/leaflet"


def test_the_vendored_copy_is_the_pinned_version_with_its_licence():
    pinned = json.loads((ROOT / "vendor/leaflet/package.json").read_text())["dependencies"]
    locked = json.loads((ROOT / "vendor/leaflet/package-lock.json").read_text())
    version = locked["packages"]["node_modules/leaflet"]["version"]
    assert pinned["leaflet"] == version
    assert (VENDORED / "VERSION").read_text().strip() == version
    assert f"Leaflet {version}" in (VENDORED / "leaflet.js").read_text()[:200]
    assert "BSD 2-Clause License" in (VENDORED / "LICENSE").read_text()
    for name in ("leaflet.css", "images/marker-icon.png", "images/marker-shadow.png"):
        assert (VENDORED / name).is_file(), name


def test_no_template_loads_leaflet_from_another_origin():
    for template in (ROOT / "agora").rglob("*.html"):
        text = template.read_text()
        assert "unpkg.com" not in text and "cdn" not in text.casefold(), template
