"""Budget pages: the ballot, the result, the administrator's override, the exports, and the
managers' project pages."""

from django.urls import path

from agora.budgets import views

app_name = "budgets"

urlpatterns = [
    path("<int:pk>/", views.ballot, name="ballot"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/edit/", views.edit_budget, name="edit"),
    path("new/<slug:slug>/", views.create_budget, name="create"),
    path("<int:pk>/override/", views.override, name="override"),
    path("<int:pk>/download/<slug:what>/", views.download, name="download"),
    path("<int:pk>/projects/", views.projects, name="projects"),
    path("<int:pk>/projects/new/", views.add_project, name="add_project"),
    path("<int:pk>/projects/from-proposal/", views.from_proposal, name="from_proposal"),
    path("<int:pk>/projects/<int:project>/edit/", views.edit_project, name="edit_project"),
    path("<int:pk>/projects/<int:project>/remove/", views.remove_project, name="remove_project"),
    path("<int:pk>/projects/<int:project>/image/", views.image, name="project_image"),
]
