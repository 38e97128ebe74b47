"""Forms for the profile and settings pages."""

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.accounts import services
from agora.accounts.avatars import reencode_avatar
from agora.accounts.models import PersonalAccessToken, User
from agora.core.challenge import WithChallenge


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = User
        fields = [
            "display_name",
            "bio",
            "home_area",
            "preferred_language",
            "profile_visibility",
            "connections_visibility",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
            "profile_visibility": forms.RadioSelect,
            "connections_visibility": forms.RadioSelect,
        }
        help_texts = {
            "bio": _("Up to 500 characters."),
            "preferred_language": _("The language this site speaks to you in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("The language of my browser")),
            *self.fields["preferred_language"].choices[1:],
        ]
        self.fields["avatar"].widget = forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        )
        self.fields["avatar"].help_text = _(
            "A JPEG, PNG, WebP or GIF image up to %(megabytes)d MB. We remove its metadata."
        ) % {"megabytes": settings.AGORA_AVATAR_MAX_BYTES // (1024 * 1024)}
        if not self.instance.avatar:
            del self.fields["remove_avatar"]
        # Optional in the form, so a form that predates the setting keeps the saved value.
        self.fields["connections_visibility"].required = False

    def clean_connections_visibility(self):
        return self.cleaned_data.get("connections_visibility") or (
            self.instance.connections_visibility
        )

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload:
            # Decode now so a bad file is reported next to the field; the service re-encodes
            # the same upload when it saves.
            reencode_avatar(upload)
            upload.seek(0)
        return upload


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("A name to recognise it by later, such as the program that uses it."),
    )


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The code on the letter or slip you received, like ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if len(code.replace("-", "").replace(" ", "")) != 12:
            raise ValidationError(_("A code has 12 letters and digits."), code="invalid_code")
        return code


class SignupForm(WithChallenge, AllauthSignupForm):
    """Allauth's sign-up form, with the username called what it is here: a public handle, and
    the proof-of-work challenge (`core.challenge`) while `AGORA_CHALLENGE` is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handle = self.fields["username"]
        handle.label = _("Handle")
        handle.help_text = _(
            "Your public name after @: 3 to 30 letters a to z, digits or underscores. "
            "You can use a pseudonym."
        )
        handle.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["email"].help_text = _("We send a confirmation link here. Never shown.")
        self.fields["email"].widget.attrs["placeholder"] = ""
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = ""


class RevokesTokens:
    """A new password also offers to revoke the account's API tokens, ticked: a password changed
    because it leaked should not leave a token made with it working. The count revoked is left
    on the account for the message after the change (`signals.say_how_many_tokens_went`).
    Mixed into allauth's forms that set a new password for `self.user`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count = PersonalAccessToken.objects.filter(user=self.user, revoked_at__isnull=True).count()
        if count:
            self.fields["revoke_tokens"] = forms.BooleanField(
                label=ngettext(
                    "Also revoke my API token",
                    "Also revoke my %(count)d API tokens",
                    count,
                )
                % {"count": count},
                help_text=_("Programs using them stop working until you give them a new token."),
                required=False,
                initial=True,
            )

    def save(self) -> None:
        super().save()
        if self.cleaned_data.get("revoke_tokens"):
            self.user.revoked_tokens = services.revoke_all_access_tokens(by=self.user)


class ChangePasswordForm(RevokesTokens, AllauthChangePasswordForm):
    pass


class ResetPasswordKeyForm(RevokesTokens, AllauthResetPasswordKeyForm):
    pass
