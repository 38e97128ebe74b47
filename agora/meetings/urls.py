"""Meeting pages and calendars."""

from django.urls import path

from agora.meetings import parts, views

app_name = "meetings"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/discussed/", views.discussed, name="discussed"),
    path("process/<slug:slug>/new/", views.new_for_process, name="new_for_process"),
    path("office/<slug:slug>/new/", views.new_for_office, name="new_for_office"),
    path("map.geojson", parts.map_points, name="map_points"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("process/<slug:slug>.ics", views.process_feed, name="process_feed"),
    path("office/<slug:slug>.ics", views.office_feed, name="office_feed"),
    path("calendar/<str:token>.ics", views.person_feed, name="person_feed"),
]
