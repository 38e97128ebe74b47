"""The settings module: typed variables, loud failures, a production mode that refuses to run
unsafely."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from agora.core.env import env_bool, env_int, env_list, env_str, parse_database_url
from tests.shared_data import SHARED_DATA


def load_settings(
    show="s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SITE_URL", **environment
):
    """Import the settings in a fresh interpreter with only the given variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA", "DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL", "PORT"))
    }
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import agora.settings as s; print({show})",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_its_own_secret_key():
    result = load_settings(AGORA_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = load_settings(
        AGORA_ENV="production", SECRET_KEY="s" * 50, SITE_URL="https://agora.example.org", DEBUG="1"
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts():
    result = load_settings(
        AGORA_ENV="production", SECRET_KEY="s" * 50, SITE_URL="https://agora.example.org/"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000", "https://agora.example.org"]


def test_production_refuses_to_start_without_the_sites_address():
    result = load_settings(AGORA_ENV="production", SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "SITE_URL: production needs the address people reach the site at" in result.stderr
    result = load_settings(AGORA_ENV="production", SECRET_KEY="s" * 50, SITE_URL="agora.example")
    assert result.returncode != 0 and "SITE_URL" in result.stderr


def test_on_a_developers_machine_links_follow_the_port_served():
    result = load_settings(show="s.SITE_URL", AGORA_ENV="development", PORT="8821")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8821"]
    result = load_settings(
        show="s.SITE_URL", AGORA_ENV="development", PORT="8821", SITE_URL="http://agora.test"
    )
    assert result.stdout.split() == ["http://agora.test"]


def test_the_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("f" * 50 + "\n")
    result = load_settings(
        AGORA_ENV="production", SECRET_KEY_FILE=str(secret_file), SITE_URL="https://a.example"
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("AGORA_SOMETHING", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="AGORA_SOMETHING"):
        env_bool("AGORA_SOMETHING", False)


def test_typed_readers(monkeypatch):
    monkeypatch.setenv("AGORA_FLAG", "yes")
    monkeypatch.setenv("AGORA_NUMBER", "42")
    monkeypatch.setenv("AGORA_HOSTS", "a.example, b.example,")
    assert env_bool("AGORA_FLAG", False) is True
    assert env_int("AGORA_NUMBER", 1) == 42
    assert env_list("AGORA_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("AGORA_NUMBER", "forty-two")
    with pytest.raises(ImproperlyConfigured, match="AGORA_NUMBER"):
        env_int("AGORA_NUMBER", 1)
    with pytest.raises(ImproperlyConfigured, match="AGORA_MODE"):
        env_str("AGORA_MODE", "fast", choices=("slow",))


def test_database_urls_for_postgresql_and_sqlite(tmp_path):
    postgres = parse_database_url("DATABASE_URL", "postgres://agora:p%40ss@db.internal:6432/city")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["NAME"], postgres["USER"], postgres["PASSWORD"]) == ("city", "agora", "p@ss")
    assert (postgres["HOST"], postgres["PORT"]) == ("db.internal", "6432")

    sqlite = parse_database_url("DATABASE_URL", f"sqlite:///{tmp_path}/agora.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == f"{tmp_path}/agora.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]

    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url("DATABASE_URL", "mysql://localhost/agora")


@pytest.mark.django_db
def test_postgresql_connections_turn_off_parallel_plans_and_jit():
    """Feed queries are short indexed reads: parallel workers and LLVM compilation each cost
    more than the query (bench/social.py). Every PostgreSQL connection turns both off."""
    options = parse_database_url("DATABASE_URL", "postgres://localhost/city")["OPTIONS"]
    assert options["options"] == "-c max_parallel_workers_per_gather=0 -c jit=off"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone() == ("0",)


def run_agora(*arguments, **environment):
    """The `agora` command in a fresh process, as an administrator runs it right after `make
    install`: no AGORA_ENV (so production), no secret, no database variable."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL"))
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "agora.cli", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_command_that_only_reads_files_runs_without_productions_secrets():
    export = SHARED_DATA / "polis" / "opendata" / "brexit-consensus"
    result = run_agora("conversations", "analyze", str(export), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["participants"] == 204
    assert "Traceback" not in result.stderr


def test_a_configuration_problem_is_a_message_not_a_traceback(tmp_path):
    result = run_agora("send_digests")
    assert result.returncode == 2
    assert result.stderr.startswith("agora: the configuration is not usable: SECRET_KEY:")
    assert "Traceback" not in result.stderr
    result = run_agora("check", AGORA_ENV="staging")
    assert result.returncode == 2 and "AGORA_ENV: 'staging' is not one of" in result.stderr
    assert "Traceback" not in result.stderr
