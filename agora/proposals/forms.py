"""The forms of the proposal pages: propose or edit, answer, comment. Each keeps what was
typed when the service refuses it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.proposals.models import AnswerKind
from agora.proposals.models.proposal import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    IMAGE_ALT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from agora.social.models.comments import COMMENT_MAX_LENGTH, Alignment


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, required=False)
    area = forms.ModelChoiceField(label=_("Area or place"), queryset=None, required=False)

    def __init__(self, *args, process, with_image=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = process.topics.all()
        self.fields["area"].queryset = process.areas.all()
        if with_image:
            self.fields["image"] = forms.ImageField(label=_("Image"), required=False)
            self.fields["image_alt"] = forms.CharField(
                label=_("Image description"),
                max_length=IMAGE_ALT_MAX_LENGTH,
                required=False,
                help_text=_("What the image shows, for people who cannot see it."),
            )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=AnswerKind.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required for a rejection."),
    )


class CommentForm(forms.Form):
    alignment = forms.ChoiceField(
        label=_("Your position on this proposal"),
        choices=Alignment.choices,
        initial=Alignment.NEUTRAL,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Merge into proposal number"),
        min_value=1,
        help_text=_("The number at the end of the other proposal's address."),
    )
