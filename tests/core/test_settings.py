"""The settings module: typed variables, loud failures, a production mode that refuses to run
unsafely."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from agora.core.env import env_bool, env_int, env_list, env_str, parse_database_url


def load_settings(**environment):
    """Import the settings in a fresh interpreter with only the given variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AGORA", "DEBUG", "SECRET_KEY", "DATABASE_URL"))
    }
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import agora.settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
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
    result = load_settings(AGORA_ENV="production", SECRET_KEY="s" * 50, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts():
    result = load_settings(AGORA_ENV="production", SECRET_KEY="s" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000"]


def test_the_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("f" * 50 + "\n")
    result = load_settings(AGORA_ENV="production", SECRET_KEY_FILE=str(secret_file))
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
