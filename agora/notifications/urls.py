"""Notifications: the list, marking read, preferences."""

from django.urls import path

from agora.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read", views.mark_all_read, name="mark_all_read"),
    path("<int:notification_id>/read", views.mark_one_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/calm/", views.calm, name="calm"),
    path("summary/stop/<str:token>/", views.summary_stop, name="summary_stop"),
]
