"""The forms of moderation: a report, a decision with its statement of reasons, an appeal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.challenge import WithChallenge
from agora.moderation.models import Action, Reason, Rule

DECISION_ACTIONS = [
    Action.DISMISS,
    Action.HIDE,
    Action.REMOVE,
    Action.WARN,
    Action.LIMIT,
    Action.SUSPEND,
]
APPEAL_ACTIONS = [Action.UPHOLD, Action.RESTORE, Action.HIDE, Action.REMOVE]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    law = forms.CharField(
        label=_("Which law does it break?"),
        required=False,
        max_length=300,
        help_text=_("Only for illegal content: the law or rule, as far as you know it."),
    )
    explanation = forms.CharField(
        label=_("Explain"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What a moderator needs to know to judge it: where, who, why."),
    )
    unnamed = forms.BooleanField(
        label=_("Leave my name and email out of this notice"),
        required=False,
        help_text=_(
            "Only for the sexual abuse or exploitation of a child. Moderators will not see who "
            "you are; you still hear the outcome."
        ),
    )
    good_faith = forms.BooleanField(
        label=_("I report this in good faith and what I say is accurate and complete."),
    )


class VisitorReportForm(WithChallenge, ReportForm):
    """A notice from a visitor without an account: their name and email come with it (left out
    of a notice about child abuse if they choose), and they show they are a person while
    `AGORA_CHALLENGE` is on (`core.challenge`)."""

    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("The moderators confirm your notice and tell you the outcome at this address."),
    )

    field_order = ["reason", "law", "explanation", "name", "email", "unnamed", "good_faith"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("unnamed"):
            for field in ("name", "email"):
                if field in cleaned and not cleaned[field]:
                    self.add_error(
                        field,
                        _("Needed, unless the notice is about the abuse of a child and unnamed."),
                    )
        return cleaned


def current_rules():
    return Rule.objects.filter(replaced_at__isnull=True).order_by("number")


class RuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, rule) -> str:
        return f"{rule.number}. {rule.title}"


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    rule = RuleChoice(
        label=_("House rule it breaks"),
        queryset=Rule.objects.none(),
        required=False,
        empty_label=_("None (a law instead, or no restriction)"),
    )
    law = forms.CharField(label=_("Law it breaks"), required=False, max_length=300)
    facts = forms.CharField(
        label=_("Facts and reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent to the author and the reporters, and shown where it was: what it says or "
            "does that breaks the rule."
        ),
    )

    days = forms.IntegerField(
        label=_("Suspend or limit for how many days?"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Only for a suspension or a limit. Leave it empty for good."),
    )

    def __init__(self, *args, appeal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if appeal:
            del self.fields["days"]
        actions = APPEAL_ACTIONS if appeal else DECISION_ACTIONS
        self.fields["action"].choices = [(action.value, action.label) for action in actions]
        self.fields["rule"].queryset = current_rules()


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why should it be decided again?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any reason")), *Reason.choices]
    )
    appealed = forms.BooleanField(label=_("Only appeals"), required=False)
    min_score = forms.FloatField(label=_("Score at least"), required=False, min_value=0)
    waited = forms.IntegerField(
        label=_("Waiting at least (days)"), required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind"))] + [
            (kind.name, str(kind.label).capitalize()) for kind in kinds
        ]


class BulkDecisionForm(DecisionForm):
    """One decision, with one statement of reasons, on many items of a wave: dismiss, hide or
    remove (suspensions are decided one account at a time)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["days"]
        self.fields["action"].choices = [
            (action.value, action.label) for action in (Action.DISMISS, Action.HIDE, Action.REMOVE)
        ]
