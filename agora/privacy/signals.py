"""Signing in again within the grace period cancels a requested deletion; signing up
accepts the current house rules and privacy notice; signing in finds out whether a new
version must be accepted."""

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from agora.privacy import consent
from agora.privacy.middleware import SESSION_KEY
from agora.privacy.services import cancel_deletion


@receiver(user_logged_in, dispatch_uid="privacy.ask_on_sign_in")
def ask_on_sign_in(sender, request, user, **kwargs):
    """Whether the person must accept a new version before going on: decided here, once."""
    if request is not None and hasattr(request, "session") and consent.to_accept(user):
        request.session[SESSION_KEY] = True


@receiver(user_logged_in, dispatch_uid="privacy.cancel_deletion")
def cancel_deletion_on_sign_in(sender, request, user, **kwargs):
    if cancel_deletion(user) and request is not None:
        messages.success(
            request, _("Welcome back: your account will not be deleted."), fail_silently=True
        )


@receiver(user_signed_up, dispatch_uid="privacy.accept_on_sign_up")
def accept_on_sign_up(sender, request, user, **kwargs):
    consent.accept_current(user)
