"""How every form renders: labels without Django's trailing colon (screen readers read it out),
help text and errors tied to their field, select lists written out in Python; and how a
service's refusal reaches a form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.renderers import DjangoTemplates
from django.shortcuts import redirect
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    """Django's templates, but for select lists: Django renders each option through two
    templates, and a list of topics or offices cost an inbox half its rendering time. Those
    are written out here exactly as Django's templates write them (`tests/core/
    test_select_rendering.py` compares the two)."""

    field_template_name = "core/forms/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return mark_safe(select_html(context["widget"]))  # noqa: S308 (escaped below)
        return super().render(template_name, context, request)


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: the text of the value, escaped unless marked safe."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _shown(value) -> str:
    """`{{ value }}`: localised, escaped unless marked safe."""
    return conditional_escape(localize(template_localtime(value)))


def _attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{_text(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html and select_option.html, character for character."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            label = _shown(option["label"])
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attributes(option["attrs"])}>'
                f"{label}</option>\n"  # the option's template ends with a line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def add_errors(form, error: ValidationError) -> None:
    """A service's `ValidationError` on the form: each field's messages beside that field (a
    field the form does not have: at the top), a message for no field at the top."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def act_and_return(request, verb, thing, *, done: str, back: str, **arguments):
    """Run a button's verb (`verb(thing, by=request.user, **arguments)`) and go back to `back`
    with what happened as a message: `done`, or the refusal's reason (a permission or a rule
    of the thing's state)."""
    try:
        verb(thing, by=request.user, **arguments)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this now."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(back)
