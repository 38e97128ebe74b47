"""The staff's forms: the meeting itself, attendance, minutes, and finding what it discussed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.meetings.models import Meeting, Mode


class MinutesForm(forms.Form):
    minutes_en = forms.CharField(
        label=_("Minutes in English"), widget=forms.Textarea, required=False, max_length=20000
    )
    minutes_es = forms.CharField(
        label=_("Minutes in Spanish"), widget=forms.Textarea, required=False, max_length=20000
    )


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    unnamed = forms.IntegerField(
        label=_("Others who came without registering"), min_value=0, max_value=100000, initial=0
    )

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (registration.pk, registration.person.name) for registration in registrations
        ]
        if not registrations:
            # Nobody registered: only the count of others remains.
            del self.fields["attended"]


MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.ModelForm):
    """Creates or changes a meeting; keeps what was typed when anything is wrong."""

    online_url = forms.URLField(
        label=_("Link to join online"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Shown to registered people only, never in calendars."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "starts_at",
            "ends_at",
            "mode",
            "address",
            "latitude",
            "longitude",
            "online_url",
            "capacity",
            "agenda_en",
            "agenda_es",
            "step_free",
            "sign_language",
            "childcare",
            "accessibility_en",
            "accessibility_es",
        ]
        widgets = {
            "starts_at": MOMENT,
            "ends_at": MOMENT,
            "mode": forms.RadioSelect,
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_es": forms.Textarea(attrs={"rows": 4}),
            "agenda_en": forms.Textarea(attrs={"rows": 4}),
            "agenda_es": forms.Textarea(attrs={"rows": 4}),
            "accessibility_en": forms.Textarea(attrs={"rows": 2}),
            "accessibility_es": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"latitude": _("Latitude"), "longitude": _("Longitude")}
        help_texts = {
            "address": _("Where people come, as they would find it: building, street, room."),
            "latitude": _("Optional: with the longitude, puts the meeting on the map."),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_at", "ends_at"):
            # The form shows minutes: an unchanged time keeps its seconds, so it is unchanged.
            kept, typed = getattr(self.instance, name), cleaned.get(name)
            if kept and typed and kept.replace(second=0, microsecond=0) == typed:
                cleaned[name] = kept
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        mode = cleaned.get("mode")
        if mode in (Mode.IN_PERSON, Mode.HYBRID) and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Say where people should come."))
        if mode in (Mode.ONLINE, Mode.HYBRID) and not cleaned.get("online_url"):
            self.add_error("online_url", _("Give the link people use to join."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.get("latitude"):
            self.add_error("latitude", _("Give both the latitude and the longitude, or neither."))
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("A latitude lies between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("A longitude lies between -180 and 180."))
        return cleaned


class FindForm(forms.Form):
    """Finds proposals and results to link as discussed (the staff's page)."""

    find = forms.CharField(label=_("Find a proposal or result by its title"), max_length=100)
