"""The "Who handles this?" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.directory.index import get_index
from agora.directory.models import AreaKind

MAX_REQUEST_LENGTH = 500
# Streets are many and recognised in the text; the list offers the larger places.
LISTED_KINDS = {AreaKind.CITY, AreaKind.DISTRICT, AreaKind.NEIGHBOURHOOD}


def area_choices() -> list[tuple[str, str]]:
    """Places in the order of the hierarchy, each under the one it lies in, from the cached
    index: no query per request."""
    index = get_index()
    children: dict = {}
    for area in index.areas.values():
        children.setdefault(area.parent_id, []).append(area)
    choices = [("", _("Anywhere / I don't know"))]

    def add(parent_id, depth):
        for area in sorted(children.get(parent_id, []), key=lambda area: area.name):
            if area.kind in LISTED_KINDS:
                choices.append((area.slug, "\u2003" * depth + area.name))
                add(area.pk, depth + 1)

    add(None, 0)
    return choices


class AskForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need?"),
        max_length=MAX_REQUEST_LENGTH,
        help_text=_("In your own words, for example “broken streetlight on Calle Mayor”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    area = forms.ChoiceField(
        label=_("Where?"),
        required=False,
        help_text=_("Optional. You can also name the street or neighbourhood above."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        if "\x00" in text:
            raise forms.ValidationError(_("Text cannot contain NUL characters."), code="invalid")
        return text

    def chosen_area(self):
        slug = self.cleaned_data.get("area")
        if not slug:
            return None
        index = get_index()
        return next((area for area in index.areas.values() if area.slug == slug), None)
