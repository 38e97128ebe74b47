"""Budget pages: the ballot, the result, the administrator's override and the exports."""

from django.urls import path

from agora.budgets import views

app_name = "budgets"

urlpatterns = [
    path("<int:pk>/", views.ballot, name="ballot"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/override/", views.override, name="override"),
    path("<int:pk>/download/<slug:what>/", views.download, name="download"),
]
