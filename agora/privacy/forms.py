"""The deletion form: the password, the second factor when the person has one, and the
choice for what they wrote in public."""

from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _

KEEP, ERASE = "keep", "erase"


class DeleteAccountForm(forms.Form):
    public_writing = forms.ChoiceField(
        label=_("What you wrote in public"),
        choices=[
            (KEEP, _('Keep it, shown as written by "Former member"')),
            (ERASE, _("Delete it")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Posts, comments, proposals and statements in conversations. Petitions, and "
            "proposals an office has answered, stay either way: they belong to everyone who "
            "signed or supported them, and to the office's record."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.factors = list(
            Authenticator.objects.filter(user=person).exclude(type=Authenticator.Type.WEBAUTHN)
        )
        if self.factors:
            self.fields["code"] = forms.CharField(
                label=_("A code from your authenticator app, or a recovery code"),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not any(factor.wrap().validate_code(code) for factor in self.factors):
            raise forms.ValidationError(_("That code is not right."), code="wrong_code")
        return code

    @property
    def keep_public_writing(self) -> bool:
        return self.cleaned_data["public_writing"] == KEEP
