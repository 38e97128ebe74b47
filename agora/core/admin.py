from django.contrib import admin
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agora.core import identity
from agora.core.identity_forms import SiteIdentityForm
from agora.core.models import AuditEntry, SiteIdentity


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One row: the list leads straight to it (or to adding it, filled with the defaults from
    settings), and it cannot be deleted."""

    form = SiteIdentityForm
    readonly_fields = ["current_crest", "updated_at"]
    fieldsets = [
        (_("Name"), {"fields": ["authority_name_en", "authority_name_es"]}),
        (_("Crest"), {"fields": ["current_crest", "crest_upload", "remove_crest"]}),
        (_("Colours"), {"fields": ["main_colour", "main_text_colour"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "email",
                    "phone",
                    "postal_address",
                    "opening_hours_en",
                    "opening_hours_es",
                ]
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("current crest"))
    def current_crest(self, row):
        if not row.crest:
            return _("None")
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}"> {}',
            identity.current().crest_url,
            row.crest_width,
            row.crest_height,
            row.crest.name,
        )

    def changelist_view(self, request, extra_context=None):
        if SiteIdentity.objects.filter(pk=SiteIdentity.SINGLETON_ID).exists():
            return redirect("admin:core_siteidentity_change", SiteIdentity.SINGLETON_ID)
        return redirect("admin:core_siteidentity_add")

    def get_changeform_initial_data(self, request):
        row = identity.identity_row()
        return {name: getattr(row, name) for name in SiteIdentityForm.Meta.fields}

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("remove_crest"):
            obj.crest = ""
        identity.save_site_identity(obj, by=request.user, crest=form.cleaned_data["crest_upload"])
