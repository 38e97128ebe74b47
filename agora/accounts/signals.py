"""Reactions to allauth's events."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.dispatch import receiver
from django.utils import translation

from agora.accounts import services


@receiver(email_confirmed)
def lift_verification_on_email_confirmed(sender, request, email_address, **kwargs):
    services.mark_email_confirmed(email_address.user)


@receiver(user_logged_in)
def use_account_language_after_login(sender, request, user, **kwargs):
    if user.preferred_language:
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language
