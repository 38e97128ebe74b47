"""How every form renders: labels without Django's trailing colon (screen readers read it out),
help text and errors tied to their field."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"
