from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from recordkeepers.forms import BusinessProfileForm
from recordkeepers.models import Invitation, Membership, Organisation, User
from recordkeepers.rules import is_cbp_admin


class CBPAdminOnly:
    """The Django admin is the CBP administrators' tool: they may do everything in it, nobody else."""

    def _allowed(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or is_cbp_admin(request.user))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args, **kwargs):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(User)
class UserAdmin(CBPAdminOnly, DjangoUserAdmin):
    """CBP staff accounts are created here, and only here: give them a role by adding a group."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        (
            "Access",
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups"],
                "description": (
                    "Reviewer, supervisor and administrator are groups. Administrators also need "
                    "'staff status' to open this site. Every CBP account must enrol an "
                    "authenticator app at its first sign-in."
                ),
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]


class MembershipInline(CBPAdminOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(CBPAdminOnly, admin.ModelAdmin):
    # The importer's own form, so an administrator's correction is checked and normalised exactly
    # as the importer's entry is (lists one per line, importer numbers in CBP's format).
    form = BusinessProfileForm
    list_display = ["legal_name", "dba_name", "importer_type", "state", "created_at"]
    list_filter = ["importer_type", "state"]
    search_fields = ["legal_name", "dba_name"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["legal_name", "dba_name", "importer_type"]}),
        (
            "Address",
            {"fields": ["address_line1", "address_line2", "city", "state", "postal_code"]},
        ),
        ("Customs", {"fields": ["importer_numbers", "ports", "customs_brokers"]}),
        (
            "Size and nature of the business",
            {
                "fields": ["entries_per_year", "import_value", "duties_paid", "risk_flags"],
                "description": (
                    "Applications keep a snapshot of the profile as submitted; changes here do "
                    "not alter applications already submitted."
                ),
            },
        ),
        (
            "Compliance history",
            {
                "fields": [
                    "has_prior_penalties",
                    "prior_penalties",
                    "has_open_cases",
                    "open_cases",
                ]
            },
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(CBPAdminOnly, admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["accepted_at", "revoked_at"]
    search_fields = ["email", "organisation__legal_name"]
    readonly_fields = ["token_hash", "accepted_by", "accepted_at", "invited_by", "created_at"]
