"""The preferences form (one choice of delivery per registered kind of notification) and the
calm settings' form."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import CountsShown
from agora.notifications import registry
from agora.notifications.models import Delivery, DigestOnly


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.kinds():
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.name, Delivery.IN_APP),
                widget=forms.RadioSelect,
            )


PAUSE_CHOICES = [
    ("", _("Do not pause")),
    ("1", _("For 1 day")),
    ("3", _("For 3 days")),
    ("7", _("For a week")),
    ("14", _("For two weeks")),
    ("30", _("For 30 days")),
]


def _zone_choices() -> list[tuple[str, str]]:
    return [("", _("The site's time zone"))] + [
        (name, name) for name in sorted(zoneinfo.available_timezones())
    ]


class CalmForm(forms.Form):
    """The calm settings: counts, one summary instead of single emails, quiet hours, a pause."""

    hide_counts = forms.ChoiceField(
        label=_("Counts of likes, shares, supports and followers"),
        choices=CountsShown.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    digest_only = forms.ChoiceField(
        label=_("Gather all my notification emails into one summary"),
        choices=DigestOnly.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Urgent public announcements still reach you at once."),
    )
    weekly_summary = forms.BooleanField(
        label=_("Send me a weekly summary of what happened in what I follow"),
        required=False,
        help_text=_(
            "On Monday morning in your time zone (after your quiet hours, never while you "
            "pause): how many new posts and announcements, the newest few, answers to your "
            "cases and proposals, and updated results, with links. Each one has a link to stop it."
        ),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours start at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("A time such as 22:00. Leave both empty for no quiet hours."),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours end at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("A time such as 07:00. Emails due in between wait until then."),
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), required=False, choices=())
    pause = forms.ChoiceField(
        label=_("Pause all notification emails"),
        choices=PAUSE_CHOICES,
        required=False,
        help_text=_("Notifications still wait for you here; no email is sent about them."),
    )

    def __init__(self, *args, paused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        if paused:
            self.fields["resume"] = forms.BooleanField(label=_("End the pause now"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None):
            missing = "quiet_until" if end is None else "quiet_from"
            if missing not in self.errors:
                self.add_error(missing, _("Give both the start and the end of your quiet hours."))
        elif start is not None and start == end:
            self.add_error("quiet_until", _("The quiet hours must end at another time."))
        return data
