"""The "Who handles this?" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.directory.index import get_index
from agora.directory.models import AreaKind
from agora.directory.models.base import current_language

MAX_REQUEST_LENGTH = 500
# Streets are many and recognised in the text; the list offers the larger places.
LISTED_KINDS = {AreaKind.CITY, AreaKind.DISTRICT, AreaKind.NEIGHBOURHOOD}


def area_choices(index=None) -> list[tuple[str, str]]:
    """Places in the order of the hierarchy, each under the one it lies in, from the cached
    index: no query per request, and ordered once per build of the index and language."""
    index = index or get_index()
    key = ("directory.area_choices", current_language())
    if key not in index.derived:
        index.derived[key] = _listed_areas(index)
    return [("", _("Anywhere / I don't know")), *index.derived[key]]


def _listed_areas(index) -> list[tuple[str, str]]:
    children: dict = {}
    for area in index.areas.values():
        children.setdefault(area.parent_id, []).append(area)
    choices = []

    def add(parent_id, depth):
        for area in sorted(children.get(parent_id, []), key=lambda area: area.name):
            if area.kind in LISTED_KINDS:
                choices.append((area.slug, "\u2003" * depth + area.name))
                add(area.pk, depth + 1)

    add(None, 0)
    return choices


def office_choices(*, leave_out=None) -> list:
    """Every office, grouped under the top office it is part of (one group per top office, in
    the order of their names in the reader's language), each part under the one above it, from
    the cached index: no query per request. `leave_out` (an office id) is not offered."""
    offices = get_index().offices.values()
    parts: dict = {}
    for office in offices:
        parts.setdefault(office.parent_id, []).append(office)

    def by_name(office):
        return office.name.casefold()

    def tree(office, depth, into):
        if office.pk != leave_out:
            into.append((office.slug, "\u2003" * depth + office.name))
        for part in sorted(parts.get(office.pk, []), key=by_name):
            tree(part, depth + 1, into)
        return into

    groups = []
    for top in sorted(parts.get(None, []), key=by_name):
        options = tree(top, 0, [])
        if options:
            groups.append((top.name, options))
    return groups


def office_by_slug(slug: str):
    """An office from the cached index by its slug, or None."""
    return next((each for each in get_index().offices.values() if each.slug == slug), None)


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
