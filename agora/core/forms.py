"""How every form renders: labels without Django's trailing colon (screen readers read it out),
help text and errors tied to their field; and how a service's refusal reaches a form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.renderers import DjangoTemplates
from django.shortcuts import redirect
from django.utils.translation import gettext as _


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
