"""The form that creates or changes a process, and its phases as a formset of rows: both keep
what was typed when anything is wrong, and work without JavaScript (blank rows for new
phases; saving offers more)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Area, Topic
from agora.directory.models.area import AreaKind
from agora.processes.models import Participation, PhaseKind, Process
from agora.processes.models.phase import PHASE_TITLE_MAX_LENGTH
from agora.processes.services import PhaseInput, check_phases

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProcessForm(forms.ModelForm):
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image. It is re-encoded without its metadata."),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    class Meta:
        model = Process
        fields = [
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "image",
            "image_alt_en",
            "image_alt_es",
            "office",
            "areas",
            "topics",
            "participation",
            "minimum_age",
            "is_published",
        ]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "description_es": forms.Textarea(attrs={"rows": 6}),
            "participation": forms.RadioSelect,
            "areas": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "description_en": _("Paragraphs, emphasis, links and lists, as in posts."),
            "image_alt_en": _("What the image shows, for people who cannot see it."),
            "areas": _("With “residents of the process’s areas”, who may take part."),
        }

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = self.fields["office"].queryset.filter(
            pk__in=[office.pk for office in offices]
        )
        self.fields["office"].empty_label = None
        # Streets are too many and too small for a process; the city, districts and
        # neighbourhoods.
        self.fields["areas"].queryset = Area.objects.exclude(kind=AreaKind.STREET).order_by(
            "name_en"
        )
        self.fields["topics"].queryset = Topic.objects.order_by("name_en")
        self.fields["participation"].choices = Participation.choices
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt_en") or "").strip():
            self.add_error(
                "image_alt_en", _("Describe what the image shows, for people who cannot see it.")
            )
        if cleaned.get("participation") == Participation.AREAS and not cleaned.get("areas"):
            self.add_error("areas", _("Choose the areas whose residents may take part."))
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("image", "areas", "topics", "remove_image"):
            data.pop(name, None)
        return data


class PhaseForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *PhaseKind.choices], required=False
    )
    title_en = forms.CharField(
        label=_("Title in English (optional)"), max_length=PHASE_TITLE_MAX_LENGTH, required=False
    )
    title_es = forms.CharField(
        label=_("Title in Spanish (optional)"), max_length=PHASE_TITLE_MAX_LENGTH, required=False
    )
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=MOMENT)
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=MOMENT,
        help_text=_("Leave empty only for the last phase."),
    )
    delete = forms.BooleanField(label=_("Remove this phase"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not data.get("starts_at") and not data.get("ends_at")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delete"):
            return cleaned
        if cleaned.get("kind") or cleaned.get("starts_at") or cleaned.get("ends_at"):
            if not cleaned.get("kind"):
                self.add_error("kind", _("Choose the kind of phase."))
            if not cleaned.get("starts_at") and "starts_at" not in self.errors:
                self.add_error("starts_at", _("Say when the phase starts."))
        return cleaned

    def as_input(self) -> PhaseInput:
        data = self.cleaned_data
        return PhaseInput(
            id=data.get("id"),
            kind=data["kind"],
            title_en=data.get("title_en", ""),
            title_es=data.get("title_es", ""),
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
        )


class BasePhaseFormSet(forms.BaseFormSet):
    def __init__(self, *args, published: bool = False, **kwargs):
        self.published = published
        super().__init__(*args, **kwargs)

    def phases(self) -> list[PhaseInput]:
        return [
            form.as_input()
            for form in self.forms
            if form.is_valid() and not form.cleaned_data.get("delete") and not form.is_blank()
        ]

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        try:
            check_phases(self.phases(), published=self.published)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


PhaseFormSet = forms.formset_factory(PhaseForm, formset=BasePhaseFormSet, extra=0, max_num=20)


def phase_initial(process: Process | None, blank_rows: int) -> list[dict]:
    rows = []
    if process is not None:
        rows = [
            {
                "id": phase.pk,
                "kind": phase.kind,
                "title_en": phase.title_en,
                "title_es": phase.title_es,
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
            }
            for phase in process.phases.all()
        ]
    return rows + [{} for _ in range(blank_rows)]


class NewsForm(forms.Form):
    body = forms.CharField(
        label=_("News about this process"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Posted as an announcement of the responsible office; followers see it."),
    )
