"""People: sign-up, login, roles, verification, profiles, privacy settings, access tokens."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from agora.accounts import signals  # noqa: F401
