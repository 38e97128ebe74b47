"""People: sign-up, login, roles, verification, profiles, privacy settings, access tokens."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # What the site layer assembles (see agora.site.registry).
    api_router = "agora.accounts.api.router"
    demo_data = ("agora.accounts.demo.load_demo_people",)

    def ready(self) -> None:
        from agora.accounts import pagemeta, signals  # noqa: F401

        pagemeta.connect()
