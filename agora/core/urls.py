from django.urls import path

from agora.core import metrics, views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path(
        "identity/colours-<slug:version>.css",
        views.identity_stylesheet,
        name="identity_stylesheet",
    ),
    path("identity/crest/<str:name>", views.crest, name="crest"),
    path("share/mastodon", views.share_on_mastodon, name="share_mastodon"),
]
