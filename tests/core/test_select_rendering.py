"""Select lists are written out in Python (`core.forms.FormRenderer`) rather than through
Django's templates, one per option: the two must give the same characters for every kind of
select Django has, or a form would change under its readers."""

from datetime import date

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from agora.core.forms import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "Alpha & Omega"), ("b", '"Beta"')])
    grouped = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("Roads <and> paths", [("r1", "Potholes"), ("r2", "Signs")]),
            ("Parks", [("p1", "Benches")]),
            ("x", "Loose"),
        ]
    )
    numbers = forms.TypedChoiceField(choices=[(1, 1), (2, 2.5), (3, date(2026, 12, 5))], coerce=int)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    lazy = forms.ChoiceField(choices=[("y", gettext_lazy("Yes")), ("n", gettext_lazy("No"))])
    safe = forms.ChoiceField(choices=[(mark_safe("<v>"), mark_safe("<b>bold</b>")), ("<w>", "<i>")])
    attributes = forms.ChoiceField(
        choices=[("a", "A")],
        required=False,
        widget=forms.Select(
            attrs={"class": "wide", "data-x": '<"q">', "disabled": True, "hidden": False, "n": 3}
        ),
    )
    nullable = forms.NullBooleanField()


def rendered(renderer, data=None) -> dict[str, str]:
    form = Everything(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_every_kind_of_select_is_written_as_djangos_templates_write_it():
    data = {"plain": "a", "grouped": "r2", "numbers": "2", "many": ["a", "c"], "lazy": "n"}
    for language in ("en", "es"):
        with override(language):
            for bound in (None, data):
                ours, djangos = rendered(FormRenderer(), bound), rendered(DjangoTemplates(), bound)
                assert ours == djangos
    assert "selected>Signs</option>" in ours["grouped"]
    assert '<optgroup label="Roads &lt;and&gt; paths">' in ours["grouped"]
    assert ' data-x="&lt;&quot;q&quot;&gt;" disabled n="3"' in ours["attributes"]
    assert "hidden" not in ours["attributes"]


def test_a_form_of_the_site_renders_its_selects_in_python(monkeypatch):
    """The shortcut is taken: no select template is read for a form of the site."""
    asked = []
    original = DjangoTemplates.get_template

    def get_template(self, name):
        asked.append(name)
        return original(self, name)

    monkeypatch.setattr(DjangoTemplates, "get_template", get_template)
    html = str(Everything(renderer=FormRenderer())["grouped"])
    assert html.startswith('<select name="grouped"')
    assert not [name for name in asked if "select" in name]
