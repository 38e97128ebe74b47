from django.urls import path

from agora.accounts import views

app_name = "accounts"

urlpatterns = [
    path("@<str:handle>/", views.profile, name="profile"),
    path("@<str:handle>/avatar", views.avatar, name="avatar"),
    path("settings/profile/", views.edit_profile, name="edit_profile"),
    path("settings/tokens/", views.access_tokens, name="access_tokens"),
    path("settings/tokens/<int:token_id>/revoke", views.revoke_access_token, name="revoke_token"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("settings/verification/", views.verification, name="verification"),
]
