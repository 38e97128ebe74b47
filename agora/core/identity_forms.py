"""The form an administrator edits the site's identity with: colours refused, with their
ratio, when text on them or beside them would be hard to read; a crest re-encoded before it is
stored."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core import colours
from agora.core.identity import CREST_MAX_BYTES, CREST_MAX_SIDE
from agora.core.images import reencode_image
from agora.core.models import SiteIdentity


class SiteIdentityForm(forms.ModelForm):
    crest_upload = forms.FileField(
        label=gettext_lazy("New crest"),
        required=False,
        help_text=gettext_lazy(
            "A JPEG, PNG, WebP or GIF image under 2 MB. It is re-encoded, so only its pixels "
            "are kept (no camera, place or other metadata), at most 192 pixels on a side."
        ),
    )
    remove_crest = forms.BooleanField(label=gettext_lazy("Remove the crest"), required=False)

    class Meta:
        model = SiteIdentity
        fields = [
            "authority_name_en",
            "authority_name_es",
            "main_colour",
            "main_text_colour",
            "email",
            "phone",
            "postal_address",
            "opening_hours_en",
            "opening_hours_es",
        ]

    def _clean_colour(self, name: str) -> str:
        value = colours.normalised(self.cleaned_data.get(name) or "")
        if not colours.is_hex_colour(value):
            raise forms.ValidationError(
                _("Write the colour as # and six hexadecimal digits, such as #0b5394."),
                code="not_a_colour",
            )
        return value

    def clean_main_colour(self) -> str:
        return self._clean_colour("main_colour")

    def clean_main_text_colour(self) -> str:
        return self._clean_colour("main_text_colour")

    def clean_crest_upload(self):
        upload = self.cleaned_data.get("crest_upload")
        if not upload:
            return None
        return reencode_image(upload, max_bytes=CREST_MAX_BYTES, max_side=CREST_MAX_SIDE)

    def clean(self):
        cleaned = super().clean()
        main, text = cleaned.get("main_colour"), cleaned.get("main_text_colour")
        if not (main and text):
            return cleaned
        for field, against, ratio in colours.contrast_shortfalls(main, text):
            values = {"ratio": colours.shown_ratio(ratio), "needed": "4.5:1"}
            if against == "main_colour":
                message = _(
                    "Text in %(text)s on the main colour %(main)s has a contrast of only "
                    "%(ratio)s; text needs at least %(needed)s. Choose a colour further from "
                    "the main colour."
                ) % {"text": text, "main": main, **values}
            else:
                message = _(
                    "Links and buttons in %(main)s on the white and pale grey of the pages "
                    "have a contrast of only %(ratio)s; text needs at least %(needed)s. "
                    "Choose a darker colour."
                ) % {"main": main, **values}
            self.add_error(field, forms.ValidationError(message, code="low_contrast"))
        return cleaned
