from django.urls import path
from django.views.generic import RedirectView

from agora.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.about_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.about_page, {"page": "privacy"}, name="privacy"),
    # The house rules moved to moderation's /rules/, where decisions point.
    path("house-rules/", RedirectView.as_view(url="/rules/", permanent=True)),
    path("contact/", views.about_page, {"page": "contact"}, name="contact"),
    # Before the API's own addresses (agora/urls.py includes this module first).
    path("api/v1/docs", views.api_reference, name="api_reference"),
]
