"""Questions and problem reports: routing, timeline, transfers, answers, Open311."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "agora.cases"
    label = "cases"
    verbose_name = _("Cases")
