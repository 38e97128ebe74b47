"""What administrators set in the admin: the listed words and patterns that hold content for a
moderator, and the house rules (a new wording is a new version: the old one stays)."""

from django.contrib import admin

from agora.moderation.models import Rule, ScreeningPattern


@admin.register(ScreeningPattern)
class ScreeningPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "is_regex", "note", "created_at"]
    search_fields = ["pattern", "note"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["number", "version", "title_en", "in_force_from", "replaced_at"]
    list_filter = ["replaced_at"]
    ordering = ["number", "-version"]
