"""Site-wide pages: home, health check, language switch, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agora.accounts import services as account_services
from agora.cases.models import Case
from agora.conversations.models import Conversation
from agora.core.navigation import next_url

#: How many recent public cases and open conversations the home page lists.
HOME_CASES = 5
HOME_CONVERSATIONS = 3


def home(request):
    """The front door: ask who handles something, report, take part, and see what is
    happening (the newest public cases and open conversations), in a fixed number of queries."""
    # Both models are ordered newest first.
    recent_cases = Case.objects.filter(is_public=True).select_related("office")[:HOME_CASES]
    conversations = Conversation.objects.filter(is_open=True)[:HOME_CONVERSATIONS]
    return render(
        request,
        "core/home.html",
        {"recent_cases": recent_cases, "conversations": conversations},
    )


@require_GET
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 otherwise. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse(
            {"status": "unavailable", "database": "error", "detail": type(error).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in person keeps the choice on the account."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(next_url(request, "/"))
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated:
            account_services.set_language(request.user, language)
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
