"""Administrators publish a new version of the house rules or the privacy notice here, and
record the requests for people's data that authorities make (`services.record_data_request`)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agora.privacy import services
from agora.privacy.models import DataRequest, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("document", "version", "published_at", "material")
    list_filter = ("document", "material")


class DataRequestForm(forms.ModelForm):
    handles = forms.CharField(
        label=_("accounts concerned"),
        help_text=_("Their handles, separated by spaces or commas."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = DataRequest
        fields = [
            "received_on",
            "requester",
            "requesting_body",
            "legal_basis",
            "outcome",
            "disclosed",
            "gagged_until",
        ]

    def clean_handles(self):
        handles = {
            handle.lstrip("@").lower()
            for handle in self.cleaned_data["handles"].replace(",", " ").split()
        }
        people = list(
            get_user_model().objects.annotate(lowered=Lower("handle")).filter(lowered__in=handles)
        )
        missing = handles - {person.handle.lower() for person in people}
        if missing:
            raise forms.ValidationError(
                _("No account has these handles: %(handles)s"),
                params={"handles": ", ".join(sorted(missing))},
            )
        return people


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Recorded once, never edited: the public figures were counted when it was recorded."""

    form = DataRequestForm
    list_display = ("received_on", "requester", "requesting_body", "outcome", "gagged_until")
    list_filter = ("requester", "outcome")

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved = services.record_data_request(
            by=request.user,
            accounts=data["handles"],
            **{name: data[name] for name in DataRequestForm.Meta.fields},
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The accounts were saved by the service."""
