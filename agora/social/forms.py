"""Forms for posts, comments and shares. They check shape; the service functions check the
rules, so the web pages and the API refuse the same things."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.social.models import ReplyPolicy, Visibility
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.models.posts import MAX_IMAGES, POST_MAX_LENGTH

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        required=False,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": POST_MAX_LENGTH}),
        help_text=_(
            "Up to %(limit)d characters. *emphasis*, **strong**, [links](https://…), lists, "
            "`code`, @handle and #tag work."
        )
        % {"limit": POST_MAX_LENGTH},
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    reply_policy = forms.ChoiceField(
        label=_("Who can reply"),
        choices=ReplyPolicy.choices,
        initial=ReplyPolicy.EVERYONE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{number}"] = forms.FileField(
                label=_("Image %(number)d") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("Description of image %(number)d") % {"number": number},
                required=False,
                max_length=1000,
                help_text=_(
                    "Required with the image: what it shows, for people who cannot see it."
                ),
            )

    def images(self) -> list[tuple[object, str]]:
        pairs = []
        for number in range(1, MAX_IMAGES + 1):
            upload = self.cleaned_data.get(f"image_{number}")
            if upload:
                pairs.append((upload, self.cleaned_data.get(f"alt_{number}", "")))
        return pairs

    def image_fields(self):
        return [
            (self[f"image_{number}"], self[f"alt_{number}"]) for number in range(1, MAX_IMAGES + 1)
        ]


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        required=False,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": POST_MAX_LENGTH}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ShareForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment (optional)"),
        required=False,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": POST_MAX_LENGTH}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
