"""Administrators publish a new version of the house rules or the privacy notice here."""

from django.contrib import admin

from agora.privacy.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("document", "version", "published_at", "material")
    list_filter = ("document", "material")
