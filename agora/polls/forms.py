"""The staff's forms: a poll's settings, a section, and a question of any kind with its options
one a line. Each keeps what was typed when something is wrong, and says what."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.polls.models import CHOICE_KINDS, Option, Poll, Question, QuestionKind, ResultsShown
from agora.polls.services import (
    FIELDS_AFTER_ANSWERS,
    POLL_FIELDS,
    QUESTION_FIELDS,
    QuestionInput,
    check_question,
)

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
OPTION_MAX_LENGTH = Option._meta.get_field("label_en").max_length


class PollForm(forms.ModelForm):
    class Meta:
        model = Poll
        fields = list(POLL_FIELDS)
        widgets = {
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "intro_es": forms.Textarea(attrs={"rows": 4}),
            "results_shown": forms.RadioSelect,
            "closes_at": MOMENT,
        }
        help_texts = {
            "is_anonymous": _("The staff see the answers but never who gave them."),
            "allows_visitors": _(
                "People who are not signed in may answer too: once per browser, and only so "
                "many an hour from one network."
            ),
            "closes_at": _("Leave empty to keep it open while the process's phases allow."),
        }

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results_shown"].choices = ResultsShown.choices
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if answered:
            # What respondents were told when they answered stays as it was.
            for name, field in self.fields.items():
                if name not in FIELDS_AFTER_ANSWERS:
                    field.disabled = True
                    field.help_text = _("People have answered: this stays as they were told.")


class SectionForm(forms.Form):
    title_en = forms.CharField(label=_("Section title in English"), max_length=160)
    title_es = forms.CharField(label=_("Section title in Spanish"), max_length=160, required=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """One form for every kind; it shows only the fields its kind uses."""

    section = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False)
    text_en = forms.CharField(label=_("Question in English"), max_length=300)
    text_es = forms.CharField(label=_("Question in Spanish"), max_length=300, required=False)
    is_required = forms.BooleanField(label=_("People must answer it"), required=False)
    options_en = forms.CharField(
        label=_("Options in English, one a line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    options_es = forms.CharField(
        label=_("Options in Spanish, one a line, in the same order"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Leave empty to show the English options in Spanish too."),
    )
    min_choices = forms.IntegerField(
        label=_("At least"), min_value=0, max_value=50, initial=0, required=False
    )
    max_choices = forms.IntegerField(
        label=_("At most"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), min_value=-10, max_value=100, initial=1)
    scale_max = forms.IntegerField(label=_("Scale to"), min_value=-10, max_value=100, initial=5)
    low_label_en = forms.CharField(
        label=_("What the lowest value means, in English"), max_length=60, required=False
    )
    low_label_es = forms.CharField(
        label=_("What the lowest value means, in Spanish"), max_length=60, required=False
    )
    high_label_en = forms.CharField(
        label=_("What the highest value means, in English"), max_length=60, required=False
    )
    high_label_es = forms.CharField(
        label=_("What the highest value means, in Spanish"), max_length=60, required=False
    )

    def __init__(self, *args, kind: str, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["section"].choices = [("", _("No section"))] + [
            (section.pk, section.title_en) for section in sections
        ]
        if not sections:
            del self.fields["section"]
        uses_options = kind in CHOICE_KINDS or kind == QuestionKind.MATRIX
        if not uses_options:
            del self.fields["options_en"], self.fields["options_es"]
        elif kind == QuestionKind.MATRIX:
            self.fields["options_en"].label = _("Rows in English, one a line")
            self.fields["options_es"].label = _("Rows in Spanish, one a line, in the same order")
        if kind != QuestionKind.MULTIPLE:
            del self.fields["min_choices"]
        if kind == QuestionKind.MULTIPLE:
            self.fields["min_choices"].help_text = _("How many people must tick, at least.")
        elif kind == QuestionKind.RANKING:
            self.fields["max_choices"].label = _("Rank at most")
            self.fields["max_choices"].help_text = _("Leave empty to let people rank them all.")
        else:
            del self.fields["max_choices"]
        if kind not in (QuestionKind.SCALE, QuestionKind.MATRIX):
            for name in ("scale_min", "scale_max", "low_label_en", "low_label_es"):
                del self.fields[name]
            del self.fields["high_label_en"], self.fields["high_label_es"]

    @staticmethod
    def initial_for(question: Question) -> dict:
        options = list(question.options.all())
        initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
        initial["section"] = question.section_id or ""
        initial["options_en"] = "\n".join(option.label_en for option in options)
        spanish = [option.label_es for option in options]
        initial["options_es"] = "\n".join(spanish) if any(spanish) else ""
        return initial

    def _options(self) -> list[tuple[str, str]]:
        english = _lines(self.cleaned_data.get("options_en", ""))
        spanish = _lines(self.cleaned_data.get("options_es", ""))
        if spanish and len(spanish) != len(english):
            self.add_error(
                "options_es",
                _("Give one Spanish line for each English line (%(count)d), or none.")
                % {"count": len(english)},
            )
        if any(len(label) > OPTION_MAX_LENGTH for label in english + spanish):
            self.add_error(
                "options_en",
                _("Each option may be at most %(count)d characters.")
                % {"count": OPTION_MAX_LENGTH},
            )
        return [
            (label, spanish[index] if index < len(spanish) else "")
            for index, label in enumerate(english)
        ]

    def clean(self):
        cleaned = super().clean()
        options = self._options() if "options_en" in self.fields else []
        self.question = QuestionInput(
            kind=self.kind,
            section=None,
            fields={name: value for name, value in cleaned.items() if name != "section"},
            options=options,
        )
        try:
            check_question(self.question)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, problems)
        return cleaned
