"""The preferences form: one choice of delivery per registered kind of notification."""

from django import forms

from agora.notifications import registry
from agora.notifications.models import Delivery


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
