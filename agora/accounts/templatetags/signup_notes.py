"""The notes other apps add under the sign-up form (`accounts.pages.SIGNUP_NOTES`)."""

from django import template

from agora.accounts.pages import SIGNUP_NOTES

register = template.Library()


@register.inclusion_tag("accounts/signup_notes.html")
def signup_notes() -> dict:
    return {"notes": [(name, context()) for name, context in SIGNUP_NOTES]}
