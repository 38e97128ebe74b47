"""How every form renders: labels without Django's trailing colon (screen readers read it out),
help text and errors tied to their field; and how a service's refusal reaches a form."""

from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"


def add_errors(form, error: ValidationError) -> None:
    """A service's `ValidationError` on the form: each field's messages beside that field (a
    field the form does not have: at the top), a message for no field at the top."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
