"""The directory: authorities, offices, areas, topics, responsibilities, officials."""

from django.urls import path

from agora.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("offices/<slug:slug>/", views.office, name="office"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("areas/<slug:slug>/", views.area, name="area"),
    path("map/", views.area_map_page, name="map"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
]
