"""Routing quality: how often "Who handles this?" names the right office, measured on the
labelled requests in tests/directory/data/routing_cases.csv against the demo directory.

    .venv/bin/python bench/routing.py            # prints the figures, rewrites docs/performance.md
    .venv/bin/python bench/routing.py --no-write # prints only

It builds a throw-away SQLite database, loads agora/directory/fixtures/demo_directory.jsonl
with the import command, routes every request as the page does (the area the person chose,
if any, else the place named in the text) and reports top-1 and top-3 accuracy for the office
and the topic, by split and by language, and how long routing takes once the index is warm.

The requests were written as residents would write them before the router was tuned. The
misses of half of them ("tuning") guided changes to the router and the demo vocabulary; the
other half ("held-out") was not tuned on, so its figure is the honest one. `--misses` lists
the tuning half's misses only; `--all-misses` lists both.
"""

import argparse
import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASES = ROOT / "tests" / "directory" / "data" / "routing_cases.csv"
DIRECTORY = ROOT / "agora" / "directory" / "fixtures" / "demo_directory.jsonl"
SECTION = "routing"


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate(cases: list[dict]) -> dict:
    """Route every case; return the hits per group and the misses. Needs Django set up and
    the demo directory in the database."""
    from agora.directory.index import get_index
    from agora.directory.routing import route

    index = get_index()
    areas = {area.slug: area for area in index.areas.values()}
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    timings = []
    for case in cases:
        started = time.perf_counter()
        result = route(
            case["request"], areas.get(case["area"]) if case["area"] else None, case["language"]
        )
        timings.append(time.perf_counter() - started)
        offices = [candidate.office.slug for candidate in result.candidates]
        topics = [candidate.topic.slug for candidate in result.candidates]
        outcome = {
            "office_top1": offices[:1] == [case["office"]],
            "office_top3": case["office"] in offices[:3],
            "topic_top1": topics[:1] == [case["topic"]],
            "topic_top3": case["topic"] in topics[:3],
        }
        for group in ("all", case["split"], case["language"]):
            groups[group]["count"] += 1
            groups[group]["uncertain"] += int(result.uncertain)
            for name, hit in outcome.items():
                groups[group][name] += int(hit)
        if not outcome["office_top1"]:
            misses.append((case, offices, topics))
    return {"groups": groups, "misses": misses, "timings": timings}


def accuracy(group: dict, name: str) -> float:
    return group[name] / group["count"] if group["count"] else 0.0


def report(results: dict) -> str:
    groups = results["groups"]
    timings = sorted(results["timings"])
    lines = [
        "## Routing: who handles this?",
        "",
        f"Written by `bench/routing.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        "rerun it rather than editing this section.",
        "",
        f"{groups['all']['count']} labelled requests (`tests/directory/data/routing_cases.csv`, "
        "English and Spanish, with typos, some with a place chosen or named) routed against "
        "the demo directory (`agora/directory/fixtures/demo_directory.jsonl`). Top-1: the "
        "first answer is the expected office (or topic); top-3: it is among the first three. "
        "Only the tuning half's misses guided changes to the router and the vocabulary; "
        "the held-out half was not tuned on.",
        "",
        "| requests | count | office top-1 | office top-3 | topic top-1 | topic top-3 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in [
        ("all", "all"),
        ("tuning", "tuning half"),
        ("held-out", "held-out half"),
        ("en", "English"),
        ("es", "Spanish"),
    ]:
        group = groups[name]
        lines.append(
            f"| {label} | {group['count']} | {accuracy(group, 'office_top1'):.1%} "
            f"| {accuracy(group, 'office_top3'):.1%} | {accuracy(group, 'topic_top1'):.1%} "
            f"| {accuracy(group, 'topic_top3'):.1%} |"
        )
    lines += [
        "",
        f"The page showed alternatives (an uncertain answer) for "
        f"{accuracy(groups['all'], 'uncertain'):.0%} of the requests.",
    ]
    p50 = statistics.median(timings) * 1000
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000
    lines += [
        "",
        f"Routing time with a warm index, per request: median {p50:.2f} ms, p99 {p99:.2f} ms "
        "(no database query; building the index takes four queries once per change).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--misses", action="store_true", help="list tuning requests routed wrong")
    parser.add_argument("--all-misses", action="store_true", help="and the held-out ones too")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory:
        os.environ["AGORA_ENV"] = "test"
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/routing.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("import_directory", str(DIRECTORY), verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        results = evaluate(load_cases())
        evaluate(load_cases())  # once more, to time a warm index
        results["timings"] = evaluate(load_cases())["timings"]

    text = report(results)
    print(text)
    if options.misses or options.all_misses:
        print("\nMisses:")
        for case, offices, topics in results["misses"]:
            if case["split"] != "tuning" and not options.all_misses:
                continue
            got = list(zip(topics, offices, strict=True))
            print(
                f"  [{case['split']}] {case['request']!r} ({case['area'] or '-'}): "
                f"want {case['topic']}/{case['office']}, got {got}"
            )
    if not options.no_write:
        from bench import tools

        document = options.output.read_text(encoding="utf-8") if options.output.exists() else ""
        options.output.write_text(tools.replace_section(document, SECTION, text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
