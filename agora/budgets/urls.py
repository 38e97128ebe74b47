"""Budget pages: the result of a counted budget."""

from django.urls import path

from agora.budgets import views

app_name = "budgets"

urlpatterns = [
    path("<int:pk>/result/", views.result, name="result"),
]
