"""The forms of the result pages: making a result, and an update. Each keeps what was typed
when the service refuses it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.results.models import ResultStatus
from agora.results.models.result import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
)

PROGRESS_HELP = _("A whole number from 0 to 100. A result that is done is at 100.")
REASON_HELP = _("Required when the result is dropped; shown to everyone.")


class ResultForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("What will be delivered"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    office = forms.ModelChoiceField(label=_("Responsible office"), queryset=None)
    status = forms.ChoiceField(label=_("Status"), choices=ResultStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), initial=0, help_text=PROGRESS_HELP)
    reason = forms.CharField(
        label=_("Why it is dropped"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
    cases = forms.CharField(
        label=_("Linked cases"),
        required=False,
        max_length=600,
        help_text=_("The references of the cases this result answers, separated by commas."),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class UpdateForm(forms.Form):
    body = forms.CharField(
        label=_("What happened"),
        max_length=UPDATE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", _("Unchanged"))] + list(ResultStatus.choices),
        required=False,
    )
    progress = forms.IntegerField(
        label=_("New progress (%)"),
        required=False,
        help_text=_("Leave empty to keep it. A whole number from 0 to 100."),
    )
    reason = forms.CharField(
        label=_("Why it is dropped"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
