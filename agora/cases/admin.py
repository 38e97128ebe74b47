"""Administrators set offices' service levels and authorities' public holidays, and see or
revoke Open311 keys in the admin. Cases themselves change only through the services (the
pages and the API)."""

from django.contrib import admin

from agora.cases.models import Case, Open311ApiKey, PublicHoliday, ServiceLevel


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["office", "acknowledge_days", "answer_days"]
    search_fields = ["office__name_en", "office__name_es"]
    autocomplete_fields = ["office"]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """Days that are not working days for the authority's offices. A holiday counts for clocks
    that start after it is added; due dates already promised stay. Many at once:
    `agora load_holidays AUTHORITY FILE`."""

    list_display = ["date", "name_en", "name_es", "authority"]
    list_filter = ["authority"]
    list_select_related = ["authority"]
    search_fields = ["name_en", "name_es"]
    date_hierarchy = "date"
    autocomplete_fields = ["authority"]


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with `agora open311_key NAME`; here they can only be turned off."""

    list_display = ["name", "is_active", "created_at", "created_by"]
    fields = ["name", "is_active", "created_at", "created_by"]
    readonly_fields = ["name", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read only: a case changes through the services, which keep its timeline and audit log."""

    list_display = ["pk", "title", "state", "office", "channel", "is_public", "created_at"]
    list_filter = ["state", "channel", "is_public", "kind"]
    list_select_related = ["office"]
    search_fields = ["title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
