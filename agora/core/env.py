"""Typed reading of environment variables for the settings module.

Every reader accepts `NAME_FILE` as well as `NAME`, so secrets can come from files mounted by
the platform. A value that cannot be read raises ImproperlyConfigured naming the variable.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {error}") from error
    return os.environ.get(name)


def env_str(name: str, default: str, *, choices: tuple[str, ...] | None = None) -> str:
    value = _raw(name)
    if value is None:
        value = default
    if choices is not None and value not in choices:
        raise ImproperlyConfigured(f"{name}: {value!r} is not one of {', '.join(choices)}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}: {value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {value!r} is not a whole number.") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(name: str, url: str) -> dict:
    """Turn `postgres://user:password@host:port/name` or `sqlite:///path` into DATABASES."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them.
        rest = unquote(url.split("?", 1)[0][len("sqlite://") :])
        database = rest[1:]
        if not database:
            raise ImproperlyConfigured(
                f"{name}: a SQLite URL needs a path (sqlite:///var/db.sqlite3)."
            )
        if database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": database,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(f"{name}: a PostgreSQL URL needs a database name.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Feeds are short indexed reads; a parallel plan costs more than it saves on
                # them, and so does compiling a query with LLVM when the planner overestimates
                # its cost (both measured in bench/social.py). Override with ?options=... in
                # the URL.
                "options": "-c max_parallel_workers_per_gather=0 -c jit=off",
                **options,
            },
        }
    raise ImproperlyConfigured(
        f"{name}: {parts.scheme or url!r} is not supported; use postgres:// or sqlite:///."
    )


def env_redis_url(name: str) -> str:
    """A Redis URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS, or
    `unix:///path/to/socket`), or "" when unset. The message never repeats the URL: it may hold
    a password."""
    url = (env_str(name, "") or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    problem = None
    try:
        port = parts.port
    except ValueError:
        port, problem = None, "its port is not a number"
    if problem is None and parts.scheme in {"redis", "rediss"}:
        database = parts.path.strip("/")
        if not parts.hostname:
            problem = "it names no host"
        elif database and not database.isdigit():
            problem = "the database after the host must be a number (redis://host:6379/0)"
        elif port == 0:
            problem = "its port is 0"
    elif problem is None and parts.scheme == "unix":
        if not parts.path:
            problem = "it names no socket"
    elif problem is None:
        problem = "it must start with redis://, rediss:// or unix://"
    if problem:
        raise ImproperlyConfigured(
            f"{name}: not a usable Redis URL: {problem}. Use redis://host:6379/0."
        )
    return url


def env_database(name: str, default: str) -> dict:
    return parse_database_url(name, env_str(name, default))


def tiles_origin(url: str) -> str:
    """The origin (scheme, host and port) of a map tile server's URL template such as
    https://tiles.example.org/{z}/{x}/{y}.png, for the content security policy; "" for none.
    Refuses anything but an https (or, for a tile server on this machine, http) URL with
    {z}, {x} and {y}, so a typo cannot open the policy to another host or to every one."""
    if not url:
        return ""
    parts = urlsplit(url)
    local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if (
        parts.scheme not in ({"https", "http"} if local else {"https"})
        or not parts.hostname
        or "*" in parts.netloc
        or "{" in parts.netloc
        or parts.username
        or any(part not in url for part in ("{z}", "{x}", "{y}"))
    ):
        raise ImproperlyConfigured(
            "AGORA_MAP_TILES_URL must be an https URL with {z}, {x} and {y}, such as "
            "https://tiles.example.org/{z}/{x}/{y}.png"
        )
    return f"{parts.scheme}://{parts.netloc}"
