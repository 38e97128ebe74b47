"""The URL map (site layer): each app brings its own urls module; the API and admin sit under
prefixes."""

from django.contrib import admin
from django.urls import include, path

from agora.site.api import api

admin.site.site_header = "Agora"
admin.site.site_title = "Agora"

urlpatterns = [
    path("", include("agora.site.urls")),
    path("", include("agora.core.urls")),
    path("", include("agora.accounts.urls")),
    path("", include("agora.social.urls")),
    path("notifications/", include("agora.notifications.urls")),
    path("directory/", include("agora.directory.urls")),
    path("cases/", include("agora.cases.urls")),
    path("open311/", include("agora.cases.open311_urls")),
    path("conversations/", include("agora.conversations.urls")),
    path("processes/", include("agora.processes.urls")),
    path("proposals/", include("agora.proposals.urls")),
    path("results/", include("agora.results.urls")),
    path("petitions/", include("agora.petitions.urls")),
    path("budgets/", include("agora.budgets.urls")),
    path("polls/", include("agora.polls.urls")),
    path("meetings/", include("agora.meetings.urls")),
    path("", include("agora.moderation.urls")),
    path("", include("agora.privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "agora.core.views.bad_request"
handler403 = "agora.core.views.permission_denied"
handler404 = "agora.core.views.page_not_found"
handler500 = "agora.core.views.server_error"
