from django.urls import path

from agora.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    # Before the API's own addresses (agora/urls.py includes this module first).
    path("api/v1/docs", views.api_reference, name="api_reference"),
]
