"""What administrators set in the admin: the listed words and patterns that hold content for a
moderator, the house rules (a new wording is a new version: the old one stays), and the
processes or offices a moderator is scoped to."""

from django.contrib import admin

from agora.moderation.models import ModeratorScope, Rule, ScreeningPattern


@admin.register(ScreeningPattern)
class ScreeningPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "is_regex", "note", "created_at"]
    search_fields = ["pattern", "note"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["number", "version", "title_en", "in_force_from", "replaced_at"]
    list_filter = ["replaced_at"]
    ordering = ["number", "-version"]


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    list_display = ["person", "scope_type", "scope_id", "created_at"]
    raw_id_fields = ["person"]
