"""Pages every site has: the health check, the site identity's colours and crest, and the error
pages (their templates come from the site layer)."""

import sys
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from agora.core import identity, sharing
from agora.core.errors import database_unavailable, is_database_unavailable, shaped_error


@require_GET
@never_cache
def healthz(request):
    """Liveness: 200 while this process answers at all, whatever the database does (a
    supervisor restarts a process that stops answering; restarting it would not bring a
    database back). Readiness is `/readyz`."""
    return JsonResponse({"status": "ok"})


#: Set once this process has seen every migration applied: a running process cannot lose it.
_migrations_applied = False


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True


def _redis_answers() -> bool | None:
    """None when no Redis is configured."""
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    finally:
        client.close()


def _migrations_done() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


@require_GET
@never_cache
def readyz(request):
    """Readiness, for a load balancer: 200 when the database answers and every migration is
    applied; 503 naming what is not, otherwise. Redis (when `REDIS_URL` is set) away makes it
    200 "degraded", not 503: the site goes on without Redis (docs/redis.md), and every node
    shares one Redis, so taking them all out of rotation would turn a slower site into none.
    Read replicas' states are shown (from the last check) but do not make a node unready."""
    checks = {}
    for name, check in (
        ("database", _database_answers),
        ("redis", _redis_answers),
        ("migrations", _migrations_done),
    ):
        try:
            result = check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            result = False
        if result is not None:
            checks[name] = "ok" if result else "error"
        if name == "database" and not result:
            checks["migrations"] = "unknown"
            break
    ready = all(value == "ok" for name, value in checks.items() if name != "redis")
    degraded = ready and checks.get("redis") == "error"
    if settings.AGORA_REPLICA_ALIASES:
        # Informative: without its replicas the site still answers, from the primary.
        from agora.core import replicas

        checks["replicas"] = {alias: state.status for alias, state in replicas.health().items()}
    return JsonResponse(
        {"status": "degraded" if degraded else "ok" if ready else "unavailable", **checks},
        status=200 if ready else 503,
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Django's last resort for an exception no view answered. The database being away is not
    a fault of ours to log: it answers 503 with Retry-After, in the shape of the part of the
    site asked (`core.errors`), without touching the database again."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return shaped_error(request, 500, "server_error", _("Something went wrong on our side."))


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


#: How long a browser keeps what is served under a URL naming its content: a year.
YEAR = 365 * 24 * 3600


@require_safe
def identity_stylesheet(request, version: str):
    """The site's colours as CSS custom properties. The URL names the content: the current
    one is kept for a year; an old one (a page cached before a change) gets today's colours,
    kept briefly."""
    site = identity.current()
    response = HttpResponse(site.stylesheet(), content_type="text/css; charset=utf-8")
    if version == site.stylesheet_version:
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response


@require_safe
def crest(request, name: str):
    """The authority's crest, as re-encoded when it was uploaded. A new upload gets a new
    name, so the current one is kept for a year."""
    site = identity.current()
    if not site.crest_name or PurePosixPath(site.crest_name).name != name:
        raise Http404
    try:
        handle = default_storage.open(site.crest_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@require_POST
def share_on_mastodon(request):
    """Remember the person's Mastodon server in a cookie on this device and give them the link
    to its share page, with this site's address in the text: a link they follow, not a
    redirect (the content security policy keeps forms on this site, and no request made
    elsewhere can send people to a host of its choosing). From then on the Share disclosure
    has a plain link to that server."""
    path = request.POST.get("path", "")
    title = request.POST.get("title", "")[:300]
    typed = request.POST.get("server", "")[:260]
    if not typed.strip():
        # The field left empty: the server this device remembers, if any (pages that are the
        # same for everyone do not carry it; see `core.templatetags.sharing`).
        typed = request.COOKIES.get(sharing.MASTODON_COOKIE, "")[:260]
    if not sharing.is_our_path(path):
        error = _("Only an address on this site can be shared from here.")
    else:
        server = sharing.clean_server(typed)
        if server:
            response = render(
                request,
                "core/share_mastodon.html",
                {
                    "path": path,
                    "title": title,
                    "server": server,
                    "share_address": sharing.mastodon_share_address(server, path, title),
                },
            )
            response.set_cookie(
                sharing.MASTODON_COOKIE,
                server,
                max_age=365 * 24 * 3600,
                secure=request.is_secure(),
                # Read by share.js to fill the form on pages cached for everyone; a server's
                # name is no secret.
                httponly=False,
                samesite="Lax",
            )
            return response
        error = (
            _(
                "“%(typed)s” is not the name of a server. Type its name only, such as "
                "mastodon.social."
            )
            % {"typed": typed}
            if typed.strip()
            else _("Type the name of your Mastodon server, such as mastodon.social.")
        )
    return render(
        request,
        "core/share_mastodon.html",
        {"error": error, "path": path, "title": title, "server": typed},
    )
