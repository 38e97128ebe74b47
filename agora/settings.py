"""The one settings module: every value that differs between machines comes from a typed
environment variable, and a bad value stops start-up with a message naming the variable.

`AGORA_ENV` picks the mode: `production` (the default, so a forgotten variable fails safe),
`development` (what `make run` uses) or `test` (what the suite uses).
"""

import ipaddress
import secrets
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agora.core.colours import contrast_shortfalls, is_hex_colour, shown_ratio
from agora.core.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    tiles_origin,
)
from agora.core.storage import storages_for

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AGORA_VAR_DIR", str(BASE_DIR / "var")))

AGORA_ENV = env_str("AGORA_ENV", "production", choices=("production", "development", "test"))
PRODUCTION = AGORA_ENV == "production"
TESTING = AGORA_ENV == "test"

# A command that only reads files or the local database (`agora/cli.py` lists them) needs none
# of production's secrets: it signs, serves and sends nothing, so it gets a throw-away key.
OFFLINE_COMMAND = env_bool("AGORA_OFFLINE_COMMAND", False)

DEVELOPMENT_SECRET_KEY = "agora-development-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str(
    "SECRET_KEY", secrets.token_urlsafe(48) if OFFLINE_COMMAND else DEVELOPMENT_SECRET_KEY
)
DEBUG = env_bool("DEBUG", AGORA_ENV == "development")

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY: production needs its own secret of at least 32 characters "
            "(set SECRET_KEY or SECRET_KEY_FILE)."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG: production refuses to start with DEBUG on.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address people reach the site at, for links in emails, feeds and API answers. Production
# must say it; on a developer's machine it follows the port `agora serve` listens on.
PORT = env_int("PORT", 8000)
SITE_URL = env_str(
    "SITE_URL",
    "" if PRODUCTION and not OFFLINE_COMMAND else f"http://127.0.0.1:{8000 if TESTING else PORT}",
).rstrip("/")
if PRODUCTION and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SITE_URL: production needs the address people reach the site at, such as "
        "https://agora.example.org (set SITE_URL)."
    )
AGORA_SITE_NAME = env_str("AGORA_SITE_NAME", "Agora")

# The site's identity until an administrator sets it in the admin (Site identity): who runs
# the site, its colours and how to reach it (`agora.core.identity`).
AGORA_AUTHORITY_NAME = env_str("AGORA_AUTHORITY_NAME", "")
AGORA_AUTHORITY_NAME_ES = env_str("AGORA_AUTHORITY_NAME_ES", "")
AGORA_MAIN_COLOUR = env_str("AGORA_MAIN_COLOUR", "#0b5394").strip().lower()
AGORA_MAIN_TEXT_COLOUR = env_str("AGORA_MAIN_TEXT_COLOUR", "#ffffff").strip().lower()
for _name, _colour in (
    ("AGORA_MAIN_COLOUR", AGORA_MAIN_COLOUR),
    ("AGORA_MAIN_TEXT_COLOUR", AGORA_MAIN_TEXT_COLOUR),
):
    if not is_hex_colour(_colour):
        raise ImproperlyConfigured(f"{_name}: {_colour!r} is not a colour written as #rrggbb.")
for _name, _against, _ratio in contrast_shortfalls(AGORA_MAIN_COLOUR, AGORA_MAIN_TEXT_COLOUR):
    raise ImproperlyConfigured(
        f"AGORA_{_name.upper()}: a contrast of {shown_ratio(_ratio)} with the "
        f"{'main colour' if _against == 'main_colour' else 'white and pale grey of the pages'}; "
        "text needs at least 4.5:1."
    )
AGORA_CONTACT_EMAIL = env_str("AGORA_CONTACT_EMAIL", "")
AGORA_CONTACT_PHONE = env_str("AGORA_CONTACT_PHONE", "")
AGORA_CONTACT_ADDRESS = env_str("AGORA_CONTACT_ADDRESS", "")
AGORA_OPENING_HOURS = env_str("AGORA_OPENING_HOURS", "")
AGORA_OPENING_HOURS_ES = env_str("AGORA_OPENING_HOURS_ES", "")

INSTALLED_APPS = [
    "agora.core",
    "agora.accounts",
    "agora.directory",
    "agora.social",
    "agora.notifications",
    "agora.moderation",
    "agora.cases",
    "agora.conversations",
    "agora.processes",
    "agora.proposals",
    "agora.petitions",
    "agora.budgets",
    "agora.polls",
    "agora.meetings",
    # After proposals, though below it in the layers: its demo data links the demo's accepted
    # proposal, so it loads after proposals' (`agora seed` follows this order).
    "agora.results",
    "agora.privacy",
    "agora.site",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id (`core.logs`).
    "agora.core.logs.RequestIdMiddleware",
    # So that it times and counts everything (`core.metrics`, read at /metrics).
    "agora.core.metrics.MetricsMiddleware",
    # Second: a visitor's hot copy of a page read by thousands at once is answered here, with
    # the headers the rest of the stack gave it the first time (`core.pagecache`).
    "agora.core.pagecache.HotPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session and messages middleware: it keeps a form's whole answer, their
    # cookies included, to give it again when the same form is sent twice (`core.formonce`).
    "agora.core.formonce.FormOnceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agora.accounts.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agora.accounts.middleware.RequireTwoFactorMiddleware",
    "agora.core.middleware.RejectNulInPathMiddleware",
    # After authentication (a session's account is whose keys they are).
    "agora.core.idempotency.IdempotencyMiddleware",
    "agora.privacy.middleware.ConsentMiddleware",
    # After django-csp: it adds to this response's policy the frames a person asked for.
    "agora.core.middleware.FrameSourcesMiddleware",
]

ROOT_URLCONF = env_str("AGORA_URLCONF", "agora.urls")
WSGI_APPLICATION = "agora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agora.core.context_processors.site",
            ],
            # `{% csrf_token %}` also writes the form's one-time token (`core.formonce`).
            "builtins": ["agora.core.templatetags.form_once"],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'agora.sqlite3'}")}
# A primary that takes the connection and then says nothing (a frozen host, a network gone
# quiet) would hold a request until the operating system gives up, minutes later: give up after
# 5 s, and the request is a 503 (`core.errors`) within the 10 s a client is promised
# (tests/core/test_database_restart.py). `?connect_timeout=N` in DATABASE_URL changes it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Read replicas (`agora.core.replicas`, docs/database-replicas.md) ---------------------
# DATABASE_REPLICA_URLS: PostgreSQL streaming replicas of DATABASE_URL, comma-separated. GET
# requests read from a healthy one; writes, transactions, reads after a write and a person's
# reads for AGORA_READ_YOUR_WRITES_SECONDS after they wrote use the primary. Unset (the
# default): one database, no router, no middleware.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])


def replica_databases(urls: list[str]) -> dict[str, dict]:
    """DATABASES entries `replica1`, `replica2`, ... in the order of the URLs."""
    from agora.core.env import parse_database_url

    replicas = {}
    for number, url in enumerate(urls, start=1):
        scheme = url.split("://", 1)[0] if "://" in url else "a URL without a scheme"
        if scheme not in {"postgres", "postgresql", "pgsql"}:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: replica {number} is {scheme}; a read replica must "
                "be a PostgreSQL streaming replica, postgres://user:password@host:port/name."
            )
        replica = parse_database_url("DATABASE_REPLICA_URLS", url)
        # A replica that does not answer is skipped; do not wait long to find that out: at
        # connecting, and on a connection whose host went silent (unacknowledged data, or no
        # keepalive answered). A long query on a live replica is not cut.
        for option, value in (
            ("connect_timeout", 2),
            ("tcp_user_timeout", 5000),
            ("keepalives_idle", 5),
            ("keepalives_interval", 2),
            ("keepalives_count", 2),
        ):
            replica["OPTIONS"].setdefault(option, value)
        # The suite, when run with replicas set, reads its one test database through them.
        replica["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = replica
    return replicas


DATABASES.update(replica_databases(DATABASE_REPLICA_URLS))
AGORA_REPLICA_ALIASES = [alias for alias in DATABASES if alias.startswith("replica")]


def _env_seconds(name: str, default: float) -> float:
    raw = env_str(name, str(default))
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds == float("inf"):
        raise ImproperlyConfigured(f"{name}: {raw!r} is not a number of seconds above 0.")
    return seconds


# A replica further behind the primary than this is skipped until it catches up.
AGORA_REPLICA_MAX_LAG = _env_seconds("AGORA_REPLICA_MAX_LAG", 3)
# How often each process asks the replicas how far behind they are (no query per request).
AGORA_REPLICA_CHECK_SECONDS = _env_seconds("AGORA_REPLICA_CHECK_SECONDS", 1)
# How long a person reads from the primary after they wrote: at least the lag a replica may
# have, plus the time until a process sees that it has more.
AGORA_READ_YOUR_WRITES_SECONDS = _env_seconds("AGORA_READ_YOUR_WRITES_SECONDS", 5)
if AGORA_REPLICA_ALIASES:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS: replicas need a PostgreSQL primary; DATABASE_URL is not one."
        )
    if AGORA_READ_YOUR_WRITES_SECONDS < AGORA_REPLICA_MAX_LAG + AGORA_REPLICA_CHECK_SECONDS:
        raise ImproperlyConfigured(
            "AGORA_READ_YOUR_WRITES_SECONDS must be at least AGORA_REPLICA_MAX_LAG plus "
            "AGORA_REPLICA_CHECK_SECONDS, or a person may not see what they just wrote."
        )
    DATABASE_ROUTERS = ["agora.core.replicas.ReplicaRouter"]
    # Right after the metrics, before any middleware that reads the database.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("agora.core.metrics.MetricsMiddleware") + 1,
        "agora.core.replicas.ReplicaMiddleware",
    )
# ---- End of read replicas ------------------------------------------------------------------
# PostgreSQL prepares the few statements every signed-in request runs (`core.prepared`); turn
# off behind a pooler in transaction mode that cannot keep prepared statements.
AGORA_PREPARED_STATEMENTS = env_bool("AGORA_PREPARED_STATEMENTS", True)

# ---- Redis: cache, rate counters, task queue (issue 18; docs/redis.md) -------------------
# With REDIS_URL the cache, the rate counters and the task queue (RQ) live in Redis; while
# Redis does not answer the site goes on without it (`core.cache`, `core.taskqueue`). Tests
# keep a per-process cache and the database queue even where REDIS_URL is set (CI sets it);
# the tests of Redis start their own.
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "agora.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast while Redis is away: a request waits at most this for it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
elif TESTING:
    # Tests always use a per-process cache, so the caches of parallel runs and of different
    # test modules never meet in a shared Redis or folder.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Without Redis the cache is files on this machine, shared by every process of the site:
    # allauth's limits on sign-up and login hold across gunicorn's workers, which a
    # per-process cache would multiply by their number.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# Where `core.ratelimit` counts (API budget, posts and comments per account): Redis when there
# is one (the database while it does not answer), else the database, whose counters every
# process shares and raises atomically.
AGORA_RATE_COUNTERS = env_str(
    "AGORA_RATE_COUNTERS",
    "cache" if REDIS_URL and not TESTING else "database",
    choices=("cache", "database"),
)
# The task queue: the database (`agora worker` claims rows), or Redis through RQ
# (`django_tasks_rq`), whose tasks wait in the database queue while Redis does not answer.
AGORA_TASK_QUEUE = env_str(
    "AGORA_TASK_QUEUE",
    "redis" if REDIS_URL and not TESTING else "database",
    choices=("database", "redis"),
)
if AGORA_TASK_QUEUE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("AGORA_TASK_QUEUE: redis needs REDIS_URL.")
TASK_QUEUES = ["default", "email"]
TASKS = {
    "default": {
        "BACKEND": (
            "agora.core.taskqueue.RedisBackend"
            if AGORA_TASK_QUEUE == "redis"
            else env_str("AGORA_TASKS_BACKEND", "agora.core.taskqueue.DatabaseBackend")
        ),
        "QUEUES": TASK_QUEUES,
    },
    # What Redis cannot take waits here; `agora worker` serves it beside RQ.
    "database": {"BACKEND": "agora.core.taskqueue.DatabaseBackend", "QUEUES": TASK_QUEUES},
}
if AGORA_TASK_QUEUE == "redis":
    INSTALLED_APPS.append("django_rq")
# django-rq's queues, one per task queue, on REDIS_URL (a connection is tried for at most a
# second while Redis is away).
RQ_QUEUES = {
    name: {
        "URL": REDIS_URL + ("&" if "?" in REDIS_URL else "?") + "socket_connect_timeout=1",
        "DEFAULT_TIMEOUT": 3600,
    }
    for name in TASK_QUEUES
    if REDIS_URL
}
# ---- end of Redis ----------------------------------------------------------------------

# People and passwords.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "agora.accounts.backends.ModelBackend",
    "agora.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "agora.accounts.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "site:home"

ACCOUNT_ADAPTER = "agora.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "handle"
ACCOUNT_FORMS = {
    "signup": "agora.accounts.forms.SignupForm",
    "change_password": "agora.accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "agora.accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Handles nobody may take: they would pass for the site, its staff or its addresses. Sign-up
# refuses them in the same words as a taken one (see agora/accounts/adapter.py).
ACCOUNT_USERNAME_BLACKLIST = [
    "admin",
    "administrator",
    "agora",
    "api",
    "moderator",
    "official",
    "root",
    "security",
    "staff",
    "support",
    "system",
]
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the email in the browser that signed up signs the person in, so they go on where
# they left off (a question or report they started waits for them).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{AGORA_SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Sign-ups from one address range (an IPv4 /24, an IPv6 /48) per period, counted by Agora
# beside allauth's per-address limit: a spam wave rotates addresses within a range.
AGORA_SIGNUP_RANGE_RATE = env_str("AGORA_SIGNUP_RANGE_RATE", "30/h")
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": env_str("AGORA_SIGNUP_RATE", "10/h") + "/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    # Agora's own: attempts at a resident verification code.
    "redeem_verification_code": "10/h/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = AGORA_SITE_NAME
# Roles that must turn on two-factor login before they can do anything else.
AGORA_MFA_REQUIRED_ROLES = env_list("AGORA_MFA_REQUIRED_ROLES", ["moderator", "administrator"])

# Email. Development and tests write messages to files under var/; production uses SMTP
# when EMAIL_HOST is set, the file backend otherwise.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "agora.core.mail.FileEmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Agora <noreply@agora.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: TASKS is set beside Redis above (the database queue, or RQ).

# The hour (0 to 23, in TIME_ZONE) at which the worker sends the daily notification digests;
# -1 leaves them to `agora send_digests` run from cron.
AGORA_ACCOUNTABILITY_MIN_CASES = env_int("AGORA_ACCOUNTABILITY_MIN_CASES", 5)
# How many followers the worker tells about an urgent announcement per batch (one transaction
# and a constant number of queries each).
AGORA_URGENT_BATCH = env_int("AGORA_URGENT_BATCH", 500)
if AGORA_URGENT_BATCH < 1:
    raise ImproperlyConfigured("AGORA_URGENT_BATCH must be at least 1.")
# Petitions: co-sponsors a petition needs before moderators see it, and who may sign one that
# is not in a process (a process's petitions follow the process's rule).
AGORA_PETITION_COSPONSORS = env_int("AGORA_PETITION_COSPONSORS", 5)
AGORA_PETITION_SIGNERS = env_str(
    "AGORA_PETITION_SIGNERS", "verified_residents", choices=("verified_residents", "signed_in")
)
AGORA_DIGEST_HOUR = env_int("AGORA_DIGEST_HOUR", 7)
if AGORA_DIGEST_HOUR > 23:
    raise ImproperlyConfigured("AGORA_DIGEST_HOUR must be an hour from 0 to 23, or -1.")
# The hour (0 to 23, in each person's own time zone) from which the worker sends the weekly
# summary emails on Mondays; -1 stops the worker sending them.
AGORA_SUMMARY_HOUR = env_int("AGORA_SUMMARY_HOUR", 8)
if AGORA_SUMMARY_HOUR > 23:
    raise ImproperlyConfigured("AGORA_SUMMARY_HOUR must be an hour from 0 to 23, or -1.")

# People's data rights (agora.privacy): how long things about a person are kept. A period of
# zero (or less) would erase at once what the site needs a moment later, so start-up stops.
AGORA_EXPORT_KEEP_DAYS = env_int("AGORA_EXPORT_KEEP_DAYS", 7)
AGORA_IP_RETENTION_DAYS = env_int("AGORA_IP_RETENTION_DAYS", 30)
AGORA_UNCONFIRMED_ACCOUNT_DAYS = env_int("AGORA_UNCONFIRMED_ACCOUNT_DAYS", 30)
AGORA_UNCONFIRMED_WARNING_DAYS = env_int("AGORA_UNCONFIRMED_WARNING_DAYS", 7)
AGORA_TASK_RESULT_DAYS = env_int("AGORA_TASK_RESULT_DAYS", 7)
for _name in (
    "AGORA_EXPORT_KEEP_DAYS",
    "AGORA_IP_RETENTION_DAYS",
    "AGORA_UNCONFIRMED_ACCOUNT_DAYS",
    "AGORA_UNCONFIRMED_WARNING_DAYS",
    "AGORA_TASK_RESULT_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(
            f"{_name} must be a number of days of at least 1; {globals()[_name]} would erase "
            "at once what the site still needs."
        )
if AGORA_UNCONFIRMED_WARNING_DAYS >= AGORA_UNCONFIRMED_ACCOUNT_DAYS:
    raise ImproperlyConfigured(
        "AGORA_UNCONFIRMED_WARNING_DAYS must be fewer than AGORA_UNCONFIRMED_ACCOUNT_DAYS: the "
        "warning comes that many days before an unconfirmed account is removed."
    )
# Days between a request to delete an account and its deletion; signing in again in between
# cancels it. 0: deleted at once.
AGORA_DELETION_GRACE_DAYS = env_int("AGORA_DELETION_GRACE_DAYS", 0)
if AGORA_DELETION_GRACE_DAYS < 0:
    raise ImproperlyConfigured("AGORA_DELETION_GRACE_DAYS must be 0 (none) or more days.")
AGORA_EXPORT_DIR = VAR_DIR / "exports"

# Moderation (docs/moderation.md). A reported item is hidden while it is reviewed once the
# weights of its reporters add up to AGORA_MODERATION_HIDE_SCORE; each reporter weighs by their
# trust level (0 to 4), so that many new accounts cannot hide what one trusted member can.
AGORA_MODERATION_HIDE_SCORE = env_int("AGORA_MODERATION_HIDE_SCORE", 5)
try:
    AGORA_MODERATION_WEIGHTS = [
        float(weight)
        for weight in env_list("AGORA_MODERATION_WEIGHTS", ["0.1", "0.5", "1", "2", "3"])
    ]
except ValueError:
    AGORA_MODERATION_WEIGHTS = []
if len(AGORA_MODERATION_WEIGHTS) != 5 or min(AGORA_MODERATION_WEIGHTS) < 0:
    raise ImproperlyConfigured(
        "AGORA_MODERATION_WEIGHTS needs five numbers of at least 0, for trust levels 0 to 4."
    )
# All reports from new accounts (trust level 0) on one item count for at most this much.
AGORA_MODERATION_NEW_ACCOUNTS_CAP = env_int("AGORA_MODERATION_NEW_ACCOUNTS_CAP", 1)
# So many reports on one item from accounts younger than a week, within a day, mark it as a
# possible coordinated wave in the queue.
AGORA_MODERATION_WAVE_SIZE = env_int("AGORA_MODERATION_WAVE_SIZE", 10)
# Notices from visitors without an account, per address range (IPv4 /24, IPv6 /48).
AGORA_VISITOR_REPORT_RATE = env_str("AGORA_VISITOR_REPORT_RATE", "10/h")
# Article 23 (docs/moderation.md): after a warning, a person whose content is restricted as
# illegal so many times within 180 days is suspended for AGORA_MODERATION_MISUSE_DAYS; one whose
# reports are dismissed so many times in 90 days, with none upheld, is warned at half the count
# and then may not report for as long.
AGORA_MODERATION_ILLEGAL_COUNT = env_int("AGORA_MODERATION_ILLEGAL_COUNT", 3)
AGORA_MODERATION_UNFOUNDED_COUNT = env_int("AGORA_MODERATION_UNFOUNDED_COUNT", 10)
AGORA_MODERATION_MISUSE_DAYS = env_int("AGORA_MODERATION_MISUSE_DAYS", 30)
# The same text (of at least AGORA_MODERATION_REPEAT_MIN_LENGTH characters) written so many
# times within a day, by one account or many, is held for a moderator ("0" turns it off, as
# the suite does: its fixtures write the same text many times; the tests of it turn it on).
AGORA_MODERATION_REPEAT_COUNT = env_int("AGORA_MODERATION_REPEAT_COUNT", 0 if TESTING else 3)
AGORA_MODERATION_REPEAT_MIN_LENGTH = env_int("AGORA_MODERATION_REPEAT_MIN_LENGTH", 20)
# How long after a decision the author (or a dismissed reporter) may appeal, in days.
AGORA_MODERATION_APPEAL_DAYS = env_int("AGORA_MODERATION_APPEAL_DAYS", 183)

# Languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# One way to write dates per language (agora/core/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["agora.core.formats"]
# The overrides come first, so they win: Agora's tú-form Spanish for strings that come from
# Django and django-allauth (only their msgids; Agora's own strings live in agora/locale).
LOCALE_PATHS = [BASE_DIR / "agora" / "locale_overrides", BASE_DIR / "agora" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# Static files and uploads.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# --- Object storage for uploads (docs/deploy.md, `core.storage`) ---
# Unset: uploads under MEDIA_ROOT and data exports under AGORA_EXPORT_DIR on this machine.
# s3://bucket[/prefix]?endpoint=...&region=...: both in one private bucket (exports under
# exports/), credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or boto3's own chain.
# Files are never public: the views that check access stream them from either.
AGORA_STORAGE_URL = env_str("AGORA_STORAGE_URL", "").strip()
STORAGES = {
    **storages_for(
        AGORA_STORAGE_URL,
        access_key=env_str("AWS_ACCESS_KEY_ID", ""),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY", ""),
    ),
    # --- end of object storage ---
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AGORA_AVATAR_MAX_BYTES = env_int("AGORA_AVATAR_MAX_BYTES", 5 * 1024 * 1024)

# Maps. Base tiles come only from a tile server the administrator names, such as
# https://tiles.example.org/{z}/{x}/{y}.png; the content security policy then admits that one
# host for images and no other. Unset, the map draws only Agora's own areas (docs/maps.md).
AGORA_MAP_TILES_URL = env_str("AGORA_MAP_TILES_URL", "")
AGORA_MAP_TILES_ATTRIBUTION = env_str("AGORA_MAP_TILES_ATTRIBUTION", "")
AGORA_MAP_TILES_ORIGIN = tiles_origin(AGORA_MAP_TILES_URL)

# Security. The content security policy applies in every mode, so an inline script or style
# shows up in development and in the browser tests, not first in production.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([AGORA_MAP_TILES_ORIGIN] if AGORA_MAP_TILES_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Sessions are read from the cache (Redis, or files shared by the processes of one machine)
# and written through to the database: a signed-in request reads no session row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- HSTS preload (docs/deploy.md) ---
# Asking browsers to ship the site in their HTTPS-only list is a promise for every subdomain
# that is slow to take back, so the administrator makes it; the documented production settings
# (deploy/agora.env) do, and `agora check --deploy` then passes without a warning.
if not DEBUG and not TESTING:
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# --- end of HSTS preload ---

# The JSON API.
NINJA_PAGINATION_PER_PAGE = 50
AGORA_API_RATE = env_str("AGORA_API_RATE", "120/m")
# Who may read /metrics (`core.metrics`): a bearer token, and/or addresses or networks. With
# neither, /metrics answers 404 to everyone.
AGORA_METRICS_TOKEN = env_str("AGORA_METRICS_TOKEN", "")
try:
    AGORA_METRICS_ALLOW = [
        ipaddress.ip_network(network.strip(), strict=False)
        for network in env_list("AGORA_METRICS_ALLOW", [])
        if network.strip()
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"AGORA_METRICS_ALLOW: {error}; give addresses or networks, like 10.0.0.0/8,127.0.0.1."
    ) from error
# How often `agora worker` says it is alive (`core.WorkerHeartbeat`), in seconds.
AGORA_WORKER_HEARTBEAT_SECONDS = env_int("AGORA_WORKER_HEARTBEAT_SECONDS", 15)
# How long an API write's Idempotency-Key and its answer are kept (`core.idempotency`).
AGORA_IDEMPOTENCY_HOURS = env_int("AGORA_IDEMPOTENCY_HOURS", 24)
if AGORA_IDEMPOTENCY_HOURS < 1:
    raise ImproperlyConfigured(
        "AGORA_IDEMPOTENCY_HOURS: keep an Idempotency-Key at least 1 hour (24 is usual)."
    )
# The paths whose POSTs honour an Idempotency-Key.
AGORA_IDEMPOTENT_PATHS = ("/api/",)

# Writing, per account, by page and API alike (`core.ratelimit`; "0" turns one off). Until
# trust levels come, a plain ceiling that no resident writing by hand reaches. The suite turns
# them off (its fixtures write hundreds of posts as one person); the tests of the limits set them.
AGORA_POST_RATE = env_str("AGORA_POST_RATE", "0" if TESTING else "30/h")
AGORA_COMMENT_RATE = env_str("AGORA_COMMENT_RATE", "0" if TESTING else "60/h")
# Responses to a poll open to visitors, per address range (IPv4 /24, IPv6 /48).
AGORA_POLL_VISITOR_RATE = env_str("AGORA_POLL_VISITOR_RATE", "0" if TESTING else "20/h")
# Trust levels loosen what an account may write (`moderation.limits`, docs/moderation.md): a new
# account (level 0: less than a day old or unconfirmed) and a basic one (level 1: confirmed,
# less than 30 days) write under these limits; from level 2 only the ceilings above apply. The
# suite turns them off, as the ceilings; the tests of the limits turn them on.
AGORA_TRUST_LIMITS = env_bool("AGORA_TRUST_LIMITS", not TESTING)
AGORA_NEW_POST_RATE = env_str("AGORA_NEW_POST_RATE", "3/h")
AGORA_NEW_COMMENT_RATE = env_str("AGORA_NEW_COMMENT_RATE", "10/h")
AGORA_NEW_LINKS = env_int("AGORA_NEW_LINKS", 1)
AGORA_NEW_MENTIONS = env_int("AGORA_NEW_MENTIONS", 2)
AGORA_BASIC_POST_RATE = env_str("AGORA_BASIC_POST_RATE", "10/h")
AGORA_BASIC_COMMENT_RATE = env_str("AGORA_BASIC_COMMENT_RATE", "30/h")
AGORA_BASIC_LINKS = env_int("AGORA_BASIC_LINKS", 5)
AGORA_BASIC_MENTIONS = env_int("AGORA_BASIC_MENTIONS", 10)
# The proof-of-work challenge (ALTCHA, `core.challenge`, docs/moderation.md) on sign-up and on
# what visitors without an account send. The suite turns it off; the tests of it turn it on.
AGORA_CHALLENGE = env_bool("AGORA_CHALLENGE", not TESTING)
# PBKDF2 rounds per try: a browser makes about 256 tries, near a second at the default.
AGORA_CHALLENGE_COST = env_int("AGORA_CHALLENGE_COST", 5000)
# Without JavaScript, a form is accepted this many seconds after it was shown.
AGORA_CHALLENGE_WAIT_SECONDS = env_int("AGORA_CHALLENGE_WAIT_SECONDS", 30)
# How long one challenge may be answered, in minutes.
AGORA_CHALLENGE_MINUTES = env_int("AGORA_CHALLENGE_MINUTES", 60)
for _name in ("AGORA_CHALLENGE_COST", "AGORA_CHALLENGE_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}: at least 1.")
if AGORA_CHALLENGE_WAIT_SECONDS < 0:
    raise ImproperlyConfigured("AGORA_CHALLENGE_WAIT_SECONDS: 0 or more.")
# How many reverse proxies in front of Agora append to X-Forwarded-For; 0 trusts none of it.
NINJA_NUM_PROXIES = env_int("AGORA_NUM_PROXIES", 0) or None

# ---- Logs (issue 18; docs/monitoring.md) ------------------------------------------------
# `json`: one JSON object a line, for a log shipper; `text`: the message alone. Either way each
# line knows its request's id (`core.logs`), the worker's lines too for the tasks a request
# enqueued. AGORA_TRUST_REQUEST_ID: take the id from the X-Request-ID a proxy in front sets.
AGORA_LOG_FORMAT = env_str("AGORA_LOG_FORMAT", "text", choices=("text", "json"))
AGORA_TRUST_REQUEST_ID = env_bool("AGORA_TRUST_REQUEST_ID", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "agora.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "agora.core.logs.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": AGORA_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# ---- end of logs -----------------------------------------------------------------------

if TESTING:
    PASSWORD_HASHERS = [
        "agora.accounts.hashers.FastArgon2PasswordHasher",
        *PASSWORD_HASHERS,
    ]
CSRF_FAILURE_VIEW = "agora.core.views.csrf_failure"
FORM_RENDERER = "agora.core.forms.FormRenderer"
