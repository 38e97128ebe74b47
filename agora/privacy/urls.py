from django.urls import path

from agora.privacy import views

app_name = "privacy"

urlpatterns = [
    path("settings/data/", views.your_data, name="your_data"),
    path("settings/data/export", views.request_export, name="request_export"),
    path("settings/data/exports/<str:token>/", views.download, name="download"),
    path("settings/data/delete", views.delete_account, name="delete_account"),
    path("settings/consent/", views.consent_page, name="consent"),
    path("transparency/data-requests/", views.transparency, name="transparency"),
]
