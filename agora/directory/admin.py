"""Administrators maintain the directory here, or by importing a file (`agora import_directory`,
see docs/directory-import.md)."""

from django.contrib import admin
from django.db import models

from agora.directory.models import (
    Area,
    Authority,
    Office,
    OfficeMembership,
    Responsibility,
    Topic,
)

# Web addresses typed without a scheme are taken as https, as Django 6 will.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    formfield_overrides = URL_FIELDS


class MembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "kind", "parent", "authority", "email", "phone"]
    list_filter = ["kind", "authority"]
    list_select_related = ["parent", "authority"]
    search_fields = ["name_en", "name_es", "slug", "email"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    formfield_overrides = URL_FIELDS
    inlines = [MembershipInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "kind", "parent", "slug"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name_en", "name_es", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_es", "keywords_en", "keywords_es", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["topic", "area", "office", "updated_at"]
    list_select_related = ["topic", "area", "office"]
    list_filter = [("office", admin.RelatedOnlyFieldListFilter), "area__kind"]
    search_fields = [
        "topic__name_en",
        "topic__name_es",
        "area__name_en",
        "office__name_en",
        "office__name_es",
        "handles_en",
        "handles_es",
    ]
    autocomplete_fields = ["topic", "area", "office"]


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role", "title", "created_at"]
    list_filter = ["role", ("office", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "office"]
    search_fields = ["user__handle", "user__display_name", "office__name_en", "title"]
    autocomplete_fields = ["user", "office"]
