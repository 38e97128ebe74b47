"""The forms of the petition pages. Each keeps what was typed when the service refuses it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Office
from agora.petitions.models import DebateDecision
from agora.petitions.models.petition import (
    ASKS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    WHY_MAX_LENGTH,
)
from agora.processes.models import Process

AUTHORITY = "authority"


class DateInput(forms.DateInput):
    input_type = "date"


class PetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    asks = forms.CharField(
        label=_("What the petition asks"),
        max_length=ASKS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One clear request, such as “Plant trees along the river walk”."),
    )
    why = forms.CharField(
        label=_("Why"),
        max_length=WHY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    addressee = forms.ChoiceField(label=_("Addressed to"))
    process = forms.ModelChoiceField(
        label=_("Part of a process"),
        queryset=Process.objects.none(),
        required=False,
        empty_label=_("No process"),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput,
        help_text=_("At most a year from today. Written as YYYY-MM-DD."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offices = list(Office.objects.select_related("authority").order_by("name_en"))
        choices = [("", _("Choose…"))]
        authorities = {office.authority for office in offices}
        choices += [
            (f"{AUTHORITY}:{authority.pk}", _("%(name)s as a whole") % {"name": authority.name})
            for authority in sorted(authorities, key=lambda found: found.name_en)
        ]
        choices += [(str(office.pk), office.name) for office in offices]
        self.fields["addressee"].choices = choices
        self._offices = {str(office.pk): office for office in offices}
        self._authorities = {str(authority.pk): authority for authority in authorities}
        self.fields["process"].queryset = Process.objects.filter(is_published=True).order_by("-pk")

    def clean_addressee(self):
        value = self.cleaned_data["addressee"]
        if value.startswith(f"{AUTHORITY}:"):
            return ("authority", self._authorities[value.partition(":")[2]])
        return ("office", self._offices[value])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind, addressee = data["addressee"]
        return {
            "title": data["title"],
            "asks": data["asks"],
            "why": data["why"],
            "closes_on": data["closes_on"],
            "process": data["process"],
            "office": addressee if kind == "office" else None,
            "authority": addressee if kind == "authority" else addressee.authority,
        }


class SignForm(forms.Form):
    show_name = forms.BooleanField(
        label=_("Show my name on the petition"),
        required=False,
        help_text=_("Without it, your signature is counted but your name is not shown."),
    )


class PublishForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office that answers"), queryset=Office.objects.none(), required=False
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(
            authority_id=petition.authority_id
        ).order_by("name_en")
        self.fields["office"].initial = petition.office_id


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting it"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("The office's response"),
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class DebateForm(forms.Form):
    debated_on = forms.DateField(label=_("Day of the debate"), widget=DateInput)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=DebateDecision.choices, widget=forms.RadioSelect
    )
    minutes_url = forms.URLField(
        label=_("Link to the minutes"), required=False, assume_scheme="https"
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=RESPONSE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InvalidateForm(forms.Form):
    chosen = forms.ChoiceField(label=_("Signatures from"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the invalidation in the audit log."),
    )

    def __init__(self, *args, domains, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = (
            [("", _("Choose…"))]
            + [(f"domain:{row['value']}", _("the email domain %(value)s") % row) for row in domains]
            + [(f"network:{row['value']}", _("the network %(value)s") % row) for row in networks]
        )

    def service_arguments(self) -> dict:
        kind, _sep, value = self.cleaned_data["chosen"].partition(":")
        return {"email_domain" if kind == "domain" else "network": value}
