"""Forms for opening a conversation, writing a statement and voting. They check shape; the
service functions check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.conversations.models import STATEMENT_MAX_LENGTH, Moderation, VoteValue
from agora.core.challenge import WithChallenge


class ConversationForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Background (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seeds = forms.CharField(
        label=_("Seed statements, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Statements people can vote on from the start."),
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Moderation.choices,
        initial=Moderation.STRICT,
        widget=forms.RadioSelect,
    )
    allow_anonymous = forms.BooleanField(
        label=_("Let visitors take part without an account"), required=False
    )

    def clean_seeds(self):
        lines = [line.strip() for line in self.cleaned_data["seeds"].splitlines()]
        seeds = [line for line in lines if line]
        if any(len(seed) > STATEMENT_MAX_LENGTH for seed in seeds):
            raise forms.ValidationError(
                _("Each statement has at most %(limit)d characters."),
                params={"limit": STATEMENT_MAX_LENGTH},
            )
        return seeds


class StatementForm(WithChallenge, forms.Form):
    """A statement; from a visitor without an account taking part for the first time, with
    the proof-of-work challenge (the view says when)."""

    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=_("One short thought others can agree or disagree with."),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("remove", _("Remove"))])
    reason = forms.CharField(required=False, max_length=500)


class VoteForm(WithChallenge, forms.Form):
    """A vote; the challenge as for a statement."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(choices=VoteValue.choices, coerce=int)
