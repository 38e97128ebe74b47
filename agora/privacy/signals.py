"""Signing in again within the grace period cancels a requested deletion; signing up
accepts the current house rules and privacy notice; a new version is seen at once."""

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from agora.privacy import consent
from agora.privacy.models import PolicyVersion
from agora.privacy.services import cancel_deletion


@receiver(user_logged_in, dispatch_uid="privacy.cancel_deletion")
def cancel_deletion_on_sign_in(sender, request, user, **kwargs):
    if cancel_deletion(user) and request is not None:
        messages.success(
            request, _("Welcome back: your account will not be deleted."), fail_silently=True
        )


@receiver(user_signed_up, dispatch_uid="privacy.accept_on_sign_up")
def accept_on_sign_up(sender, request, user, **kwargs):
    consent.accept_current(user)


post_save.connect(consent.forget_versions, sender=PolicyVersion, dispatch_uid="privacy.v_saved")
post_delete.connect(consent.forget_versions, sender=PolicyVersion, dispatch_uid="privacy.v_gone")
