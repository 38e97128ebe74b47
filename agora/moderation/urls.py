"""Moderation's pages: the house rules at /rules/, everything else under /moderation/."""

from django.urls import path

from agora.moderation import views

app_name = "moderation"

urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("settings/standing/", views.standing, name="standing"),
    path("moderation/report/<slug:kind_name>/<int:object_id>/", views.report, name="report"),
    path("moderation/queue/", views.queue, name="queue"),
    path("moderation/queue/decide", views.decide_many, name="decide_many"),
    path("moderation/items/<int:item_id>/", views.item, name="item"),
    path("moderation/decisions/<int:decision_id>/", views.decision, name="decision"),
    path("moderation/log/", views.log, name="log"),
]
