"""People's data rights: download my data, delete my account, retention limits. What each
app holds about a person it declares in its `personal_data` module
(`agora.accounts.holdings`); this app collects the declarations and acts on them."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "agora.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    periodic_jobs = ("agora.privacy.tasks.queue_retention",)

    def ready(self) -> None:
        from agora.accounts.pages import add_settings_link, add_signup_note
        from agora.privacy import consent, signals  # noqa: F401

        autodiscover_modules("personal_data")
        add_settings_link("privacy:your_data", _("Your data"))
        add_signup_note("privacy/signup_note.html", consent.document_urls)
