"""Fails when a lower layer of Agora depends on a higher one, in Python or in a template.

The layers, lowest first (apps on one line stand side by side and may not depend on each
other): core; accounts; directory; notifications; moderation; social; cases, conversations
and processes; results; proposals, petitions and polls; budgets and meetings (a project may
come from a proposal, a meeting discusses proposals and polls); privacy; the site layer
(`agora.site` and the project's own modules: urls, wsgi, the command line). A module may
import, and a template may load, include, extend or link to, only its own app and the layers
below it. `agora/settings.py` may read only core. Migrations are left out: a migration names
the models it depends on by app label, whatever their layer.

Run by `make lint`; `tests/core/test_layers.py` runs it too.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "agora"

LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("accounts",),
    ("directory",),
    ("notifications",),
    ("moderation",),
    ("social",),
    ("cases", "conversations", "processes"),
    ("results",),
    ("proposals", "petitions", "polls"),
    ("budgets", "meetings"),
    ("privacy",),
    ("site",),
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# The project's own modules beside the apps belong to the site layer; settings to core.
PROJECT_MODULES = {"urls": "site", "wsgi": "site", "cli": "site", "gunicorn_hooks": "site"}
PROJECT_MODULES["settings"] = "core"

TEMPLATE_NAME = re.compile(r"""{%\s*(?:include|extends)\s+["']([a-z_]+)/""")
URL_NAME = re.compile(r"""{%\s*url\s+["']([a-z_]+):""")
LOAD = re.compile(r"""{%\s*load\s+([^%]+)%}""")


def owner_of(path: Path) -> str | None:
    relative = path.relative_to(ROOT)
    first = relative.parts[0]
    if len(relative.parts) == 1:
        return PROJECT_MODULES.get(relative.stem)
    return first if first in RANK else None


def may_use(user: str, used: str) -> bool:
    return used == user or RANK[used] < RANK[user]


def python_uses(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "agora" and len(parts) > 1:
                used = parts[1] if parts[1] in RANK else PROJECT_MODULES.get(parts[1])
                if used:
                    yield node.lineno, name, used


def template_libraries() -> dict[str, str]:
    """Template tag library name -> the app that offers it."""
    return {
        library.stem: app_dir.name
        for app_dir in ROOT.iterdir()
        if app_dir.name in RANK
        for library in (app_dir / "templatetags").glob("*.py")
        if library.stem != "__init__"
    }


def template_uses(path: Path, libraries: dict[str, str]):
    template_dirs = {p.name for p in ROOT.iterdir() if p.name in RANK}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        for match in TEMPLATE_NAME.finditer(line):
            if match.group(1) in template_dirs:
                yield number, f"template {match.group(1)}/…", match.group(1)
        for match in URL_NAME.finditer(line):
            if match.group(1) in RANK:
                yield number, f"url {match.group(1)}:…", match.group(1)
        for match in LOAD.finditer(line):
            for library in match.group(1).split():
                if library in libraries:
                    yield number, f"tag library {library}", libraries[library]


def violations() -> list[str]:
    found = []
    libraries = template_libraries()
    for path in sorted(ROOT.rglob("*")):
        if "migrations" in path.parts or not path.is_file():
            continue
        user = owner_of(path)
        if user is None:
            continue
        if path.suffix == ".py":
            uses = python_uses(path)
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            uses = template_uses(path, libraries)
        else:
            continue
        for line, what, used in uses:
            if not may_use(user, used):
                found.append(
                    f"{path.relative_to(ROOT.parent)}:{line}: {user} uses {what} ({used}), "
                    "a layer it may not depend on"
                )
    return found


def main() -> int:
    found = violations()
    for violation in found:
        print(violation)
    if found:
        print(f"{len(found)} dependencies point up or sideways; see docs/architecture.md.")
        return 1
    print("Layers: every dependency points down.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
