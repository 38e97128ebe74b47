"""What moderation adds to other apps' pages: "Report this profile" on a profile
(`accounts.pages.PROFILE`), for anyone but its owner (visitors too: anyone may send a
notice); "Trust and moderation" among the settings pages."""

from django.utils.translation import gettext_lazy as _

from agora.accounts import pages as account_pages
from agora.core.sections import Section


def report_profile(request, owner) -> Section | None:
    viewer = request.user
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return None
    return Section("moderation/_report_profile.html", {"owner": owner})


def connect() -> None:
    account_pages.PROFILE.add(report_profile, order=90)
    account_pages.add_settings_link("moderation:standing", _("Trust and moderation"))
