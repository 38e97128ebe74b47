"""The managers' forms: the budget itself, and a project (title, cost, description, area,
topic, image with its description, and the accepted proposal it comes from). Each keeps what
was typed when anything is wrong; once ballots are cast, the fields a voter chose by are shown
but cannot be changed."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.budgets.models import (
    IMAGE_ALT_MAX_LENGTH,
    PROJECT_TITLE_MAX_LENGTH,
    BallotKind,
    Budget,
    Rule,
)
from agora.budgets.services import BUDGET_FIELDS, BUDGET_OPEN_AFTER_BALLOTS, OPEN_AFTER_BALLOTS
from agora.directory.models import Area, Topic
from agora.directory.models.area import AreaKind


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=PROJECT_TITLE_MAX_LENGTH)
    cost = forms.DecimalField(
        label=_("Cost"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("In the budget's currency, without the currency's sign."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label="—"
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.none(), empty_label="—"
    )
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image. It is re-encoded without its metadata."),
    )
    image_alt = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=IMAGE_ALT_MAX_LENGTH,
        help_text=_("What the image shows, for people who cannot see it. Needed with an image."),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    # A number, checked by the service, so that a refusal says why in words.
    proposal = forms.IntegerField(
        label=_("Made of the accepted proposal"), required=False, widget=forms.Select
    )

    def __init__(self, *args, proposals=(), has_image=False, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Streets are too many for the list; a project keeps the street it (or its proposal)
        # has.
        current = self.initial.get("area")
        kept = Q(pk=getattr(current, "pk", current)) if current else Q(pk__in=[])
        self.fields["area"].queryset = Area.objects.filter(
            ~Q(kind=AreaKind.STREET) | kept
        ).order_by("name_en")
        self.fields["topic"].queryset = Topic.objects.order_by("name_en")
        self.fields["proposal"].widget.choices = [
            ("", _("None: entered by staff")),
            *((proposal.pk, f"{proposal.title} (#{proposal.pk})") for proposal in proposals),
        ]
        if not has_image:
            del self.fields["remove_image"]
        if locked:
            for name, field in self.fields.items():
                if name not in (*OPEN_AFTER_BALLOTS, "remove_image"):
                    field.disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error(
                "image_alt", _("Describe what the image shows, for people who cannot see it.")
            )
        return cleaned

    def service_fields(self) -> dict:
        """What the service takes, without the image and the proposal, which the view reads."""
        data = dict(self.cleaned_data)
        for name in ("image", "remove_image", "proposal"):
            data.pop(name, None)
        return data


class ProposalChoiceForm(forms.Form):
    """Choose an accepted proposal to make a project of: the project form, prefilled, follows."""

    proposal = forms.TypedChoiceField(
        label=_("Accepted proposal"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [
            (proposal.pk, f"{proposal.title} (#{proposal.pk})") for proposal in proposals
        ]


class BudgetForm(forms.ModelForm):
    """A budget of a process: keeps what was typed when anything is wrong; once ballots are
    cast, only its titles may change and the rest is shown but cannot be changed."""

    class Meta:
        model = Budget
        fields = list(BUDGET_FIELDS)
        widgets = {"ballot_kind": forms.RadioSelect, "rule": forms.RadioSelect}
        help_texts = {
            "currency": _("As it should be shown after amounts, such as EUR or €."),
            "minimum_votes": _("0: any project may win."),
            "minimum_share": _("With ballots that must fit the budget; 0: none."),
            "minimum_projects": _("With approval and ranked ballots; 0: no limit."),
            "maximum_projects": _("With approval ballots; with ranked ones, how many to rank."),
        }

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.exclude(kind=AreaKind.STREET).order_by(
            "name_en"
        )
        self.fields["area"].empty_label = "—"
        # Each budget has a ballot and a rule: no empty choice among them.
        self.fields["ballot_kind"].choices = BallotKind.choices
        self.fields["rule"].choices = Rule.choices
        self.fields["amount"].min_value = 0
        if locked:
            for name, field in self.fields.items():
                if name not in BUDGET_OPEN_AFTER_BALLOTS:
                    field.disabled = True
