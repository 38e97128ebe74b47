"""The forms of the cases pages: asking or reporting, assisted entry, claiming, and the forms
officials use on a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.cases.models import CaseKind, Channel, State
from agora.cases.models.case import (
    ASSISTED_CHANNELS,
    DESCRIPTION_MAX_LENGTH,
    PHOTO_ALT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    normal_reference,
)
from agora.directory.forms import area_choices, office_by_slug, office_choices
from agora.directory.geo import area_at
from agora.directory.index import get_index
from agora.directory.models import Office, Topic
from agora.directory.models.base import current_language
from agora.social.models.comments import COMMENT_MAX_LENGTH

TEXT_MAX_LENGTH = 4000
AGE_CHOICES = [
    ("", _("Any age")),
    ("2", _("Older than 2 days")),
    ("7", _("Older than a week")),
    ("30", _("Older than 30 days")),
]


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise forms.ValidationError(_("Text cannot contain NUL characters."), code="invalid")
    return text.strip()


def topic_choices(index=None) -> list[tuple[str, str]]:
    """Topics from the cached directory index, by name: no query per request, and sorted once
    per build of the index and language (every form of a case has the list)."""
    index = index or get_index()
    key = ("cases.topic_choices", current_language())
    if key not in index.derived:
        topics = sorted(index.topics.values(), key=lambda topic: topic.name)
        index.derived[key] = [(topic.slug, topic.name) for topic in topics]
    return [("", _("Choose a topic")), *index.derived[key]]


def _topic_by_slug(slug: str) -> Topic | None:
    return next((topic for topic in get_index().topics.values() if topic.slug == slug), None)


def _area_by_slug(slug: str, index=None):
    index = index or get_index()
    return next((area for area in index.areas.values() if area.slug == slug), None)


class CaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=CaseKind.choices,
        initial=CaseKind.REPORT,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where exactly, since when."),
    )
    topic = forms.ChoiceField(label=_("Topic"))
    area = forms.ChoiceField(label=_("Where?"), required=False)
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=200,
        help_text=_("Optional, for example “Calle Mayor 12”."),
    )
    # Set by the place picker's map (directory/picker.js); without JavaScript, the address and
    # the list of places say where.
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF image. Where and when it was taken is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    photo_alt = forms.CharField(
        label=_("What does the photo show?"),
        required=False,
        max_length=PHOTO_ALT_MAX_LENGTH,
        help_text=_("Needed with a photo, for people who cannot see it."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it?"),
        choices=[
            ("public", _("Everyone: others can see and follow it")),
            ("private", _("Only me and the responsible office")),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = get_index()
        self.fields["topic"].choices = topic_choices(index)
        self.fields["area"].choices = area_choices(index)
        # A street or place carried from "Who handles this?" is not in the list of districts:
        # it is offered as it is, so the case routes by the place the answer used.
        carried = _area_by_slug(self.data.get("area") or self.initial.get("area") or "", index)
        choices = list(self.fields["area"].choices)
        if carried is not None and carried.slug not in {value for value, _label in choices}:
            self.fields["area"].choices = [choices[0], (carried.slug, carried.name), *choices[1:]]

    def draft_fields(self) -> dict:
        """What was typed, field by field, to keep while the person signs up (no photo)."""
        return {
            name: self.data[name]
            for name in self.fields
            if name not in ("photo",) and self.data.get(name) not in (None, "")
        }

    @staticmethod
    def initial_from(query) -> dict:
        """What "Who handles this?" carries into the form (`cases.parts.report_from_answer`):
        the kind, the topic and place it routed by, and the words, as the description and a
        first title to edit. Anything unknown is left out, never an error."""
        initial = {}
        if query.get("kind") in CaseKind.values:
            initial["kind"] = query["kind"]
        if _topic_by_slug(query.get("topic", "")) is not None:
            initial["topic"] = query["topic"]
        if query.get("area") and _area_by_slug(query["area"]) is not None:
            initial["area"] = query["area"]
        words = " ".join(query.get("words", "").replace("\x00", "").split())
        if words:
            initial["description"] = words[:DESCRIPTION_MAX_LENGTH]
            title = words if len(words) <= TITLE_MAX_LENGTH else words[: TITLE_MAX_LENGTH - 1]
            initial["title"] = title[:1].upper() + title[1:]
        return initial

    def clean_title(self):
        return _no_nul(self.cleaned_data["title"])

    def clean_description(self):
        return _no_nul(self.cleaned_data["description"])

    def clean_address(self):
        return _no_nul(self.cleaned_data["address"])

    def clean_topic(self):
        topic = _topic_by_slug(self.cleaned_data["topic"])
        if topic is None:
            raise forms.ValidationError(_("Choose a topic from the list."), code="invalid")
        return topic

    def clean_area(self):
        slug = self.cleaned_data.get("area")
        return _area_by_slug(slug) if slug else None

    def clean_photo_alt(self):
        return _no_nul(self.cleaned_data["photo_alt"])

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = None  # half a point is no point
        elif data.get("latitude") is not None and not data.get("area"):
            # The place picked on the map chooses the smallest area that holds it.
            data["area"] = area_at(data["longitude"], data["latitude"])
        if data.get("photo") and not data.get("photo_alt"):
            self.add_error(
                "photo_alt", _("Describe what the photo shows, for people who cannot see it.")
            )
        return data

    def case_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "topic": data["topic"],
            "area": data["area"],
            "address": data["address"],
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "is_public": data["visibility"] == "public",
            "photo": data.get("photo") or None,
            "photo_alt": data.get("photo_alt", ""),
        }


#: Asked on the "check your answers" page, just before sending, rather than on the first page.
SEND_FIELDS = ("photo", "photo_alt", "visibility")


class CaseDetailsForm(CaseForm):
    """The first page of asking or reporting: what it is and where. A photo and who may see
    it come on the page that checks the answers (`SEND_FIELDS`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SEND_FIELDS:
            del self.fields[name]

    def routing(self) -> dict:
        """What `services.where_it_goes` routes by."""
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "area": data["area"],
            "words": f"{data['title']}\n{data['description']}\n{data['address']}",
            "longitude": data.get("longitude"),
            "latitude": data.get("latitude"),
        }

    def summary(self) -> list[tuple[str, str]]:
        """The answers as a person reads them: (question, answer), for the check page."""
        data = self.cleaned_data
        place = ", ".join(
            part for part in (data["area"].name if data["area"] else "", data["address"]) if part
        )
        return [
            (self.fields["kind"].label, dict(CaseKind.choices)[data["kind"]]),
            (self.fields["title"].label, data["title"]),
            (self.fields["description"].label, data["description"]),
            (self.fields["topic"].label, data["topic"].name),
            (_("Place"), place or _("Not given")),
        ]


class AssistedCaseForm(CaseForm):
    channel = forms.ChoiceField(
        label=_("How did the resident come to us?"),
        choices=[(channel.value, channel.label) for channel in ASSISTED_CHANNELS],
        initial=Channel.DESK,
        widget=forms.RadioSelect,
    )

    field_order = ["channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].initial = "private"
        # A photo handed over at a desk is scanned into the office's own records instead.
        del self.fields["photo"], self.fields["photo_alt"]
        del self.fields["latitude"], self.fields["longitude"]  # no map at a desk

    def case_fields(self) -> dict:
        fields = super().case_fields()
        del fields["photo"], fields["photo_alt"], fields["latitude"], fields["longitude"]
        return fields


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Claim code"),
        max_length=40,
        help_text=_("The code the office gave you when it recorded your case."),
    )


class ActionForm(forms.Form):
    """The input of one of a case's actions. It is given the case, which some need for their
    choices (assignees of the case's office, offices other than its own)."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


class AnswerForm(ActionForm):
    text = forms.CharField(
        label=_("Official answer"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InformationForm(ActionForm):
    text = forms.CharField(
        label=_("What information do you need?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InformationReplyForm(ActionForm):
    text = forms.CharField(
        label=_("Your answer to the office"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The office sees it on the timeline, and the case goes back to the office."),
    )


class CaseCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        return _no_nul(self.cleaned_data["body"])

    def clean_parent(self) -> int | None:
        """The comment replied to, by id; a wrong one is said beside the text, the one field
        a person sees."""
        value = self.cleaned_data.get("parent") or ""
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            self.add_error("body", _("The comment you reply to is gone."))
            return None
        return int(value)


class NoteForm(ActionForm):
    text = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(ActionForm):
    office = forms.ChoiceField(label=_("Transfer to"))
    text = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The resident sees it on the timeline."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leave_out = self.case.office_id if self.case is not None else None
        self.fields["office"].choices = [("", _("Choose an office"))] + office_choices(
            leave_out=leave_out
        )

    def clean_office(self):
        office = office_by_slug(self.cleaned_data["office"])
        if office is None:  # gone since the page was shown
            raise forms.ValidationError(_("Choose an office from the list."), code="invalid")
        return Office.objects.get(pk=office.pk)


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person) -> str:
        return f"{person.name} (@{person.handle})"


class AssignForm(ActionForm):
    assignee = OfficialChoiceField(
        label=_("Assign to"), queryset=None, empty_label=_("Choose a person")
    )

    def __init__(self, *args, **kwargs):
        from agora.accounts.models import User

        super().__init__(*args, **kwargs)
        office_id = self.case.office_id if self.case is not None else None
        self.fields["assignee"].queryset = User.objects.filter(
            office_memberships__office_id=office_id, is_active=True
        ).order_by("display_name")


class InboxFilterForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=40,
        help_text=_("Such as K7MQ-4XHD."),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state"))] + State.choices
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Newest first")),
            ("due", _("Next deadline first (cases still to acknowledge or answer)")),
        ],
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic"))] + topic_choices()[1:]
        if len(offices) > 1:
            # The inbox's office and its parts, in tree order; the first is "all of them".
            self.fields = {
                "office": forms.ChoiceField(
                    label=_("Office"),
                    required=False,
                    choices=[("", _("This office and its parts"))]
                    + [(each.slug, each.name) for each in offices[1:]],
                ),
                **self.fields,
            }

    def clean_reference(self):
        typed = self.cleaned_data.get("reference", "").strip()
        if not typed:
            return ""
        reference = normal_reference(typed)
        if reference is None:
            raise forms.ValidationError(
                _("A reference has eight letters and digits, such as K7MQ-4XHD."),
                code="invalid_reference",
            )
        return reference

    def clean_topic(self):
        slug = self.cleaned_data.get("topic")
        return _topic_by_slug(slug) if slug else None
