"""Administrators manage accounts here. Role and verification changes go through the service
functions so they land in the audit log like any other change."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.accounts import services
from agora.accounts.models import (
    BlockedEmailDomain,
    ElectionPeriod,
    PersonalAccessToken,
    User,
    VerificationCode,
)


class AccountCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "handle")


class AccountChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    ordering = ["-date_joined"]
    list_display = [
        "handle",
        "display_name",
        "kind",
        "role",
        "verification",
        "is_active",
        "date_joined",
    ]
    list_filter = ["kind", "role", "verification", "is_active", "profile_visibility"]
    search_fields = ["handle", "display_name", "email"]
    readonly_fields = [
        "role",
        "verification",
        "verified_at",
        "verified_by",
        "verification_method",
        "kind",
        "kind_set_at",
        "kind_set_by",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["email", "handle", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "bio",
                    "avatar",
                    "home_area",
                    "preferred_language",
                    "profile_visibility",
                ]
            },
        ),
        (
            _("Role and verification"),
            {
                "fields": [
                    "role",
                    "is_staff",
                    "is_superuser",
                    "verification",
                    "verified_at",
                    "verified_by",
                    "verification_method",
                ],
                "description": _("Change these with the actions on the account list."),
            },
        ),
        (
            _("Kind of account"),
            {
                "fields": ["kind", "kind_detail", "kind_set_at", "kind_set_by"],
                "description": _(
                    "Change the kind with the actions on the account list: an institutional "
                    "account must first be an official of an office."
                ),
            },
        ),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "handle", "password1", "password2"]}),
    ]
    actions = [
        "make_resident",
        "make_official",
        "make_moderator",
        "make_administrator",
        "verify_as_resident",
        "make_kind_resident",
        "make_kind_institutional",
        "make_kind_political",
    ]

    def _set_kind(self, request, queryset, kind):
        changed = 0
        for user in queryset:
            try:
                services.set_kind(user, kind=kind, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"@{user.handle}: {error.messages[0]}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, _("Kinds of account changed."), messages.SUCCESS)

    @admin.action(description=_("Make a resident account"))
    def make_kind_resident(self, request, queryset):
        self._set_kind(request, queryset, "resident")

    @admin.action(description=_("Make an institutional account (an official of an office)"))
    def make_kind_institutional(self, request, queryset):
        self._set_kind(request, queryset, "institutional")

    @admin.action(description=_("Make a political account"))
    def make_kind_political(self, request, queryset):
        self._set_kind(request, queryset, "political")

    def _change_role(self, request, queryset, role):
        for user in queryset:
            services.change_role(user, role=role, by=request.user)
        self.message_user(request, _("Roles changed."), messages.SUCCESS)

    @admin.action(description=_("Change role to resident"))
    def make_resident(self, request, queryset):
        self._change_role(request, queryset, "resident")

    @admin.action(description=_("Change role to official"))
    def make_official(self, request, queryset):
        self._change_role(request, queryset, "official")

    @admin.action(description=_("Change role to moderator"))
    def make_moderator(self, request, queryset):
        self._change_role(request, queryset, "moderator")

    @admin.action(description=_("Change role to administrator"))
    def make_administrator(self, request, queryset):
        self._change_role(request, queryset, "administrator")

    @admin.action(description=_("Mark as verified resident (checked by me)"))
    def verify_as_resident(self, request, queryset):
        for user in queryset:
            services.verify_resident(user, by=request.user)
        self.message_user(request, _("Accounts verified."), messages.SUCCESS)


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin):
    list_display = ["note", "created_by", "created_at", "expires_at", "used_by", "used_at"]
    readonly_fields = ["code_hash", "created_by", "created_at", "used_at", "used_by"]
    fields = ["note", "expires_at", *readonly_fields]

    def has_add_permission(self, request):
        # Codes are issued with `agora issue-verification-code`, which shows the code once.
        return False


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "token_hash"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False


@admin.register(BlockedEmailDomain)
class BlockedEmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "note", "created_at"]
    search_fields = ["domain", "note"]


@admin.register(ElectionPeriod)
class ElectionPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "starts_on", "ends_on"]
    fields = ["label", "starts_on", "ends_on"]
