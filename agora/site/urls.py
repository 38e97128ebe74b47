from django.urls import path

from agora.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.about_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.about_page, {"page": "privacy"}, name="privacy"),
    path("house-rules/", views.about_page, {"page": "house_rules"}, name="house_rules"),
    path("contact/", views.about_page, {"page": "contact"}, name="contact"),
    # Before the API's own addresses (agora/urls.py includes this module first).
    path("api/v1/docs", views.api_reference, name="api_reference"),
]
