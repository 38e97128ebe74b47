"""The staff's forms: attendance and minutes."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
