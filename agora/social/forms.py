"""Forms for posts, comments and shares. They check shape; the service functions check the
rules, so the web pages and the API refuse the same things."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from agora.accounts.kinds import AccountKind
from agora.accounts.models import Role
from agora.social.models import ReplyPolicy, Visibility
from agora.social.models.announcements import CORRECTION_NOTE_MAX_LENGTH, MAX_ATTACHMENTS
from agora.social.models.comments import COMMENT_MAX_LENGTH
from agora.social.models.posts import MAX_IMAGES, POST_MAX_LENGTH
from agora.social.permissions import offices_to_post_as

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


def _post_help() -> str:
    """Put together when shown, in the reader's language (not once, at import)."""
    return _(
        "Up to %(limit)d characters. *emphasis*, **strong**, [links](https://…), lists, "
        "`code`, @handle and #tag work."
    ) % {"limit": POST_MAX_LENGTH}


def service_information_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Service information"),
        required=False,
        help_text=_(
            "Practical information about a public service (opening hours, works, "
            "outages). During a pre-election period an institutional account or an "
            "office’s announcement may publish only this."
        ),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        required=False,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": POST_MAX_LENGTH}),
        help_text=lazy(_post_help, str)(),
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and user.role == Role.OFFICIAL:
            # Only accounts with the official role are offered the choice, so nobody else's
            # page pays a query for it; the service checks membership whatever is sent.
            self.fields["post_as"] = forms.ModelChoiceField(
                label=_("Post as"),
                queryset=offices_to_post_as(user),
                required=False,
                blank=True,
                empty_label=_("Myself"),
                widget=forms.RadioSelect,
                help_text=_(
                    "An office’s announcement is shown as the office speaking, marked as "
                    "institutional, with your name as the official who posted it. It can be "
                    "for everyone or for the office’s followers."
                ),
            )
            self.order_fields(["body", "post_as"])
        if (
            user is not None
            and user.is_authenticated
            and (user.role == Role.OFFICIAL or user.kind == AccountKind.INSTITUTIONAL)
        ):
            self.fields["service_information"] = service_information_field()
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

    def office(self):
        return self.cleaned_data.get("post_as")

    def marked_service_information(self) -> bool:
        return bool(self.cleaned_data.get("service_information"))

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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and user.kind == AccountKind.INSTITUTIONAL:
            # An edit during a pre-election period is held to the rule of a new post.
            self.fields["service_information"] = service_information_field()


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


class MutedWordForm(forms.Form):
    phrase = forms.CharField(
        label=_("Word or phrase to hide"),
        max_length=100,
        help_text=_(
            "Posts and comments holding it fold away for you, behind a line you can open. "
            "Nobody else is told."
        ),
    )


MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ATTACHMENT_ACCEPT = "application/pdf,.pdf,image/jpeg,image/png,image/webp,image/gif"


class AnnouncementForm(forms.Form):
    """An office's announcement with what makes it official information. The service checks
    who may speak for the office and who may send an urgent one."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    body = forms.CharField(
        label=_("Announcement"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": POST_MAX_LENGTH}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=[
            (Visibility.PUBLIC, _("Everyone")),
            (Visibility.FOLLOWERS, _("The office’s followers")),
        ],
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    service_information = forms.BooleanField(
        label=_("Service information"),
        required=False,
        help_text=_(
            "Practical information about a public service (opening hours, works, "
            "outages). During a pre-election period an institutional account or an "
            "office’s announcement may publish only this."
        ),
    )
    valid_from = forms.DateTimeField(
        label=_("Valid from (optional)"), required=False, widget=MOMENT
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until (optional; required when urgent)"),
        required=False,
        widget=MOMENT,
        help_text=_("After this it leaves the feeds; its page stays, marked as expired."),
    )
    urgent = forms.BooleanField(
        label=_("Urgent: tell everyone who follows the area and the topic at once"),
        required=False,
        help_text=_(
            "For a water outage, a road closure and the like. Followers get it by email now "
            "whatever their digest setting, and it is pinned on the area’s page until it "
            "expires. Only the office responsible for the topic in the area can send it."
        ),
    )
    urgent_area = forms.ModelChoiceField(
        label=_("Area concerned"), queryset=None, required=False, empty_label=_("Choose an area")
    )
    urgent_topic = forms.ModelChoiceField(
        label=_("Topic concerned"), queryset=None, required=False, empty_label=_("Choose a topic")
    )

    def __init__(self, *args, user=None, **kwargs):
        from agora.directory.models import Area, Topic

        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_to_post_as(user)
        self.fields["urgent_area"].queryset = Area.objects.order_by("name_en")
        self.fields["urgent_topic"].queryset = Topic.objects.order_by("name_en")
        for number in range(1, MAX_ATTACHMENTS + 1):
            self.fields[f"attachment_{number}"] = forms.FileField(
                label=_("Attachment %(number)d (PDF or image)") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
            )
            self.fields[f"attachment_alt_{number}"] = forms.CharField(
                label=_("Text alternative of attachment %(number)d") % {"number": number},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required with the file: what it says or shows, in words."),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("urgent"):
            for field, message in (
                ("urgent_area", _("Choose the area an urgent announcement concerns.")),
                ("urgent_topic", _("Choose the topic an urgent announcement concerns.")),
            ):
                if not cleaned.get(field):
                    self.add_error(field, message)
        else:
            cleaned["urgent_area"] = cleaned["urgent_topic"] = None
        return cleaned

    def attachments(self) -> list[tuple[object, str]]:
        pairs = []
        for number in range(1, MAX_ATTACHMENTS + 1):
            upload = self.cleaned_data.get(f"attachment_{number}")
            if upload:
                pairs.append((upload, self.cleaned_data.get(f"attachment_alt_{number}", "")))
        return pairs

    def attachment_fields(self):
        return [
            (self[f"attachment_{number}"], self[f"attachment_alt_{number}"])
            for number in range(1, MAX_ATTACHMENTS + 1)
        ]


class CorrectionForm(forms.Form):
    body = forms.CharField(
        label=_("Corrected announcement"),
        required=False,
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": POST_MAX_LENGTH}),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=CORRECTION_NOTE_MAX_LENGTH,
        help_text=_("Shown with the correction, e.g. “The outage ends at 18:00, not 16:00.”"),
    )
    service_information = service_information_field()
