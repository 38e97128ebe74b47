"""Administrators manage accounts here. Role and verification changes go through the service
functions so they land in the audit log like any other change."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from agora.accounts import services
from agora.accounts.models import BlockedEmailDomain, PersonalAccessToken, User, VerificationCode


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
    list_display = ["handle", "display_name", "role", "verification", "is_active", "date_joined"]
    list_filter = ["role", "verification", "is_active", "profile_visibility"]
    search_fields = ["handle", "display_name", "email"]
    readonly_fields = [
        "role",
        "verification",
        "verified_at",
        "verified_by",
        "verification_method",
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
    ]

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
