"""The `agora` command for administrators.

agora serve [--host H] [--port N] [--workers N] [--threads N] [--with-worker]
                                         serve the site with gunicorn
agora worker [--batch] [--queue Q] [--interval S]
                                         run background tasks
agora seed [--force]                     load the demo data into a database without accounts
agora conversations analyze DIR [--json] [--meta IDS]
                                         the opinion map of a Pol.is export (no set-up needed)
agora budgets tally FILE.pb --rule RULE [--minimum-votes N] [--json]
                                         count a Pabulib file (no set-up needed)
agora <any Django management command>    migrate, import_directory, load_holidays,
                                         open311_key, send_digests, conversations,
                                         moderation report, petitions export, ...
"""

import os
import sys


def _serve(args: list[str]) -> int:
    import argparse
    import signal
    import subprocess

    parser = argparse.ArgumentParser(prog="agora serve", description="Serve Agora with gunicorn.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    parser.add_argument(
        "--with-worker", action="store_true", help="also run a background worker beside it"
    )
    options = parser.parse_args(args)
    command = _gunicorn_command(options)

    worker = None
    if options.with_worker:
        worker = subprocess.Popen([sys.executable, "-m", "agora.cli", "worker"])  # noqa: S603
    if worker is None:
        # gunicorn takes over this process, so a service manager's signals reach it directly.
        os.execv(sys.executable, command)  # noqa: S606
    # In front of gunicorn and the worker: pass a service manager's or a terminal's signal on
    # to gunicorn (set before it starts, so none is lost), then stop the worker.
    server, pending = None, []

    def forward(signum, _frame):
        if server is None:
            pending.append(signum)
        else:
            server.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    try:
        server = subprocess.Popen(command)  # noqa: S603
        for signum in pending:
            server.send_signal(signum)
        return server.wait()
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=30)


def _fresh_metrics_directory(port: int) -> None:
    """gunicorn's workers count their requests in files of one directory, which /metrics adds
    up (`core.metrics`); a fresh one for each start, so no dead process's counts linger.
    An operator's own PROMETHEUS_MULTIPROC_DIR is used as it is."""
    import shutil
    from pathlib import Path

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    base = Path(os.environ.get("AGORA_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
    directory = base / f"metrics-{port}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def _gunicorn_command(options) -> list[str]:
    """gunicorn's command line for these options. The site's own links follow the port it
    serves on, unless SITE_URL says otherwise: PORT is set here for gunicorn, its workers and
    the background worker beside them."""
    os.environ["PORT"] = str(options.port)
    _fresh_metrics_directory(options.port)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "agora.wsgi:application",
        "--config",
        "python:agora.gunicorn_hooks",
        "--bind",
        f"{options.host}:{options.port}",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--access-logfile",
        "-",
    ]


def _analyze_export(args: list[str]) -> int:
    """`agora conversations analyze DIR [--json] [--meta IDS]`, answered without starting
    Django: it reads three files and prints, and needs no setting, database or app, while
    loading every app costs more than reading a million votes (bench/conversations_files.py).
    The management command of the same name gives the same answer through `manage.py` or
    `call_command`."""
    import argparse
    import json

    from agora.conversations import opendata

    parser = argparse.ArgumentParser(
        prog="agora conversations analyze",
        description="Compute groups, representative statements and consensus from an export.",
    )
    parser.add_argument(
        "directory", help="folder with comments.csv, votes.csv, participants-votes.csv"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--meta", type=opendata.statement_ids, default=[], help=opendata.META_HELP)
    options = parser.parse_args(args)
    try:
        described = opendata.analyze_directory(options.directory, meta=options.meta)
    except opendata.ExportError as error:
        print(f"CommandError: {opendata.REFUSED}\n{error}", file=sys.stderr)
        return 1
    if options.json:
        print(json.dumps(described, ensure_ascii=False))
    else:
        print("\n".join(opendata.describe(described)))
    return 0


def _tally(args: list[str]) -> int:
    """`agora budgets tally FILE.pb --rule RULE [--json]`, answered without starting Django,
    like `_analyze_export`: it reads one file and prints."""
    import argparse
    import json

    from agora.budgets import pabulib, tally

    parser = argparse.ArgumentParser(
        prog="agora budgets tally", description="Count a Pabulib file by one of Agora's rules."
    )
    tally.arguments(parser)
    options = parser.parse_args(args)
    try:
        result = tally.tally_file(options.file, options.rule, minimum_votes=options.minimum_votes)
    except pabulib.PabulibError as error:
        print(f"CommandError: {tally.REFUSED} {error}", file=sys.stderr)
        return 1
    if options.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print("\n".join(tally.describe(result)))
    return 0


# Commands that only read files or the local database: they sign, serve and send nothing, so
# they run where production's secrets are not set (right after `make install`, say).
OFFLINE_COMMANDS = frozenset(
    {
        "check",
        "collectstatic",
        "budgets",
        "compilemessages",
        "conversations",
        "import_directory",
        "load_holidays",
        "makemessages",
        "makemigrations",
        "migrate",
        "showmigrations",
    }
)


def _settings_problem() -> str | None:
    """Load the settings; a configuration problem is a message for the administrator, not a
    traceback."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
    except ImproperlyConfigured as problem:
        return str(problem)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if argv[:2] == ["conversations", "analyze"]:
        return _analyze_export(argv[2:])
    if argv[:2] == ["budgets", "tally"]:
        return _tally(argv[2:])
    if argv[0] in OFFLINE_COMMANDS:
        os.environ.setdefault("AGORA_OFFLINE_COMMAND", "1")
    problem = _settings_problem()
    if problem is not None:
        print(f"agora: the configuration is not usable: {problem}", file=sys.stderr)
        print("See the configuration table in README.md.", file=sys.stderr)
        return 2
    if argv[0] == "serve":
        return _serve(argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agora", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
