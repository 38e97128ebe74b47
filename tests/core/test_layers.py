"""The layers point down: `tools/check_layers.py` finds nothing in Agora, and finds what it
is there to find."""

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_layers.py"
spec = importlib.util.spec_from_file_location("check_layers", TOOL)
check_layers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_layers)


def test_no_dependency_in_agora_points_up_or_sideways():
    assert check_layers.violations() == []


def test_an_import_of_a_higher_app_is_found_even_inside_a_function(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from agora.core import text\n\ndef page():\n    from agora.social.feeds import home\n"
    )
    uses = list(check_layers.python_uses(module))
    assert uses == [(1, "agora.core", "core"), (4, "agora.social.feeds", "social")]
    assert check_layers.may_use("directory", "core")
    assert not check_layers.may_use("directory", "social")
    # Side by side is not below.
    assert not check_layers.may_use("cases", "conversations")


def test_a_template_that_includes_links_to_or_loads_a_higher_app_is_found(tmp_path):
    template = tmp_path / "office.html"
    template.write_text(
        '{% load i18n post_cards %}\n{% include "cases/_state.html" %}\n'
        "<a href=\"{% url 'social:home' %}\">x</a>\n"
    )
    uses = list(check_layers.template_uses(template, check_layers.template_libraries()))
    assert [(line, used) for line, _what, used in uses] == [
        (1, "social"),
        (2, "cases"),
        (3, "social"),
    ]


def test_the_project_modules_and_apps_have_their_layer():
    root = check_layers.ROOT
    assert check_layers.owner_of(root / "urls.py") == "site"
    assert check_layers.owner_of(root / "settings.py") == "core"
    assert check_layers.owner_of(root / "cases" / "services" / "intake.py") == "cases"
    assert set(check_layers.RANK) >= {
        path.name for path in root.iterdir() if (path / "apps.py").exists()
    }
