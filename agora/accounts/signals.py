"""Reactions to allauth's events."""

from allauth.account.signals import (
    email_confirmed,
    password_changed,
    password_reset,
    user_logged_in,
)
from django.contrib import messages
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import ngettext

from agora.accounts import services


@receiver(email_confirmed)
def lift_verification_on_email_confirmed(sender, request, email_address, **kwargs):
    services.mark_email_confirmed(email_address.user)


@receiver(user_logged_in)
def use_account_language_after_login(sender, request, user, **kwargs):
    if user.preferred_language:
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language


@receiver(password_changed)
@receiver(password_reset)
def say_how_many_tokens_went(sender, request, user, **kwargs):
    revoked = getattr(user, "revoked_tokens", None)
    if revoked:
        messages.success(
            request,
            ngettext(
                "Your API token was revoked.",
                "Your %(count)d API tokens were revoked.",
                revoked,
            )
            % {"count": revoked},
        )
