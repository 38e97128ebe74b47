"""Participation processes: the list, a process, creating and changing one."""

from django.urls import path

from agora.processes import views

app_name = "processes"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("new/", views.create_process, name="create"),
    path("<slug:slug>/", views.process_detail, name="detail"),
    path("<slug:slug>/edit/", views.edit_process, name="edit"),
    path("<slug:slug>/image/", views.image, name="image"),
    path("<slug:slug>/news/", views.post_news, name="news"),
]
