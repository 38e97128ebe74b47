"""Signing in again within the grace period cancels a requested deletion."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from agora.privacy.services import cancel_deletion


@receiver(user_logged_in, dispatch_uid="privacy.cancel_deletion")
def cancel_deletion_on_sign_in(sender, request, user, **kwargs):
    if cancel_deletion(user) and request is not None:
        messages.success(
            request, _("Welcome back: your account will not be deleted."), fail_silently=True
        )
