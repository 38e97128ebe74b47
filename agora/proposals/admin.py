"""Administrators set a process's proposal settings (threshold, answer period, limit of
supports per person) here until the process form offers them."""

from django.contrib import admin

from agora.proposals.models import ProposalSettings


@admin.register(ProposalSettings)
class ProposalSettingsAdmin(admin.ModelAdmin):
    list_display = ("process", "support_threshold", "answer_days", "support_limit")
    autocomplete_fields = ()
    raw_id_fields = ("process",)
