"""What docs/deploy.md tells an administrator to run holds: its production settings pass
`agora check --deploy` without a warning, and its backup restores into a scratch database and
checks out (deploy/restore-check.sh), on a real PostgreSQL."""

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from agora.social import services as social
from tests.core.test_settings import load_settings
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
AGORA = ROOT / ".venv" / "bin" / "agora"

# What each secret file named in the documented settings holds, for the check to read.
FILE_VALUES = {
    "SECRET_KEY_FILE": secrets.token_urlsafe(50),
    "DATABASE_URL_FILE": "postgres://agora:secret@10.0.0.5:6432/agora",
    "DATABASE_REPLICA_URLS_FILE": "postgres://agora:secret@10.0.0.6:5432/agora",
    "REDIS_URL_FILE": "redis://10.0.0.7:6379/0",
}


def documented(name: str, tmp_path: Path) -> dict[str, str]:
    """The variables of deploy/NAME, with each `_FILE` pointing at a file made here."""
    variables = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, value = line.split("=", 1)
        if key.endswith("_FILE"):
            path = tmp_path / key.lower()
            path.write_text(FILE_VALUES.get(key, f"value-of-{key.lower()}") + "\n")
            value = str(path)
        variables[key] = value
    return variables


def clean_environment(**variables) -> dict[str, str]:
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("AGORA", "DEBUG", "SECRET_KEY", "DATABASE_", "SITE_URL", "PORT", "REDIS", "AWS_")
        )
    }
    return kept | variables


@pytest.mark.parametrize("name", ["agora.env", "agora-cluster.env"])
def test_the_documented_production_settings_pass_the_deploy_checks(name, tmp_path):
    variables = documented(name, tmp_path)
    assert variables["AGORA_ENV"] == "production"
    # As the service starts it: every production rule applies, none relaxed for a command.
    variables |= {"AGORA_OFFLINE_COMMAND": "0", "AGORA_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [str(AGORA), "check", "--deploy", "--fail-level", "WARNING"],
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_preload_promise_is_the_administrators_to_make():
    off = load_settings(show="s.SECURE_HSTS_PRELOAD", **production_minimum())
    on = load_settings(
        show="s.SECURE_HSTS_PRELOAD", SECURE_HSTS_PRELOAD="1", **production_minimum()
    )
    assert (off.stdout.strip(), on.stdout.strip()) == ("False", "True"), off.stderr + on.stderr


def production_minimum() -> dict[str, str]:
    return {
        "AGORA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://agora.example.org",
    }


def test_the_units_start_what_the_documented_settings_configure():
    web = (DEPLOY / "agora.service").read_text()
    worker = (DEPLOY / "agora-worker@.service").read_text()
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/agora/agora.env" in unit
        assert "User=agora" in unit and "ReadWritePaths=/var/lib/agora" in unit
    assert "ExecStart=/srv/agora/.venv/bin/agora serve --host 127.0.0.1" in web
    assert "ExecStart=/srv/agora/.venv/bin/agora worker" in worker
    nginx = (DEPLOY / "nginx-agora.conf").read_text()
    assert "include /etc/nginx/agora_proxy_params;" in nginx
    nginx += (DEPLOY / "nginx-agora_proxy_params").read_text()
    # The headers Agora reads behind its one proxy (AGORA_NUM_PROXIES=1), and no route that
    # would hand out uploads without Agora's access checks.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "proxy_set_header Host $host;" in nginx
    assert "/media" not in nginx and "exports" not in nginx


def test_systemd_reads_the_units_without_a_complaint(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    units = []
    for name in ("agora.service", "agora-worker@.service", "agora-backup.service"):
        unit = tmp_path / name
        # Installed at /srv/agora; here the checkout stands in, so the commands exist.
        unit.write_text((DEPLOY / name).read_text().replace("/srv/agora", str(ROOT)))
        units.append(str(unit))
    timer = tmp_path / "agora-backup.timer"
    timer.write_text((DEPLOY / "agora-backup.timer").read_text())
    result = subprocess.run(
        ["systemd-analyze", "verify", *units, str(timer)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def database_url(name: str) -> str:
    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{name}"
    )


def scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'agora_restore_check_%%'"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.slow  # pg_dump, pg_restore and a Django start: about 6 s on a busy 2-core machine
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_scratch_database_and_checks_out(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("the backup is PostgreSQL's pg_dump")
    ada = UserFactory(handle="ada_backup")
    social.create_post(by=ada, body="Written before the backup")
    source = database_url(settings.DATABASES["default"]["NAME"])
    dump = tmp_path / "agora.dump"
    environment = clean_environment(
        AGORA_ENV="test", DATABASE_URL=source, AGORA_BACKUP_DIR=str(tmp_path / "backups")
    )
    backup = subprocess.run(
        [str(DEPLOY / "backup.sh")], env=environment, capture_output=True, text=True, timeout=60
    )
    assert backup.returncode == 0, backup.stderr
    (made,) = (tmp_path / "backups").glob("agora-*.dump")
    made.rename(dump)

    checked = subprocess.run(
        [str(DEPLOY / "restore-check.sh"), str(dump), source],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "row counts equal the source's in every table" in checked.stdout
    assert checked.stdout.rstrip().endswith("restore-check: OK")
    assert scratch_databases() == []

    # A backup cut short fails the check, and the scratch database goes all the same.
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    broken = subprocess.run(
        [str(DEPLOY / "restore-check.sh"), str(dump), source],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode != 0
    assert "restore-check: OK" not in broken.stdout
    assert scratch_databases() == []


# Starts server or worker processes of its own: run once, on PostgreSQL, as the browser tests are.
pytestmark = pytest.mark.servers
