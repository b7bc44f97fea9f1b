from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst

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

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The audit trail is never changed (on PostgreSQL a trigger refuses it), so a person it
        # names as an actor is kept: deactivate the account instead.
        for user in objs:
            entries = LogEntry.objects.filter(actor=user).count()
            if entries:
                protected.append(f"{user}: named as the actor of {entries} audit trail entries")
        return deleted, counts, perms_needed, protected


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


class AuditedModelFilter(admin.SimpleListFilter):
    """The kinds of record the trail covers, from auditlog's registry (not a scan of the log)."""

    title = "resource type"
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*auditlog.get_models())
        return sorted(
            ((str(types[model].pk), capfirst(model._meta.verbose_name)) for model in types),
            key=lambda choice: choice[1],
        )

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


# auditlog's own admin page, replaced by ours: CBP admins only, and nothing can be changed.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(CBPAdminOnly, LogEntryAdmin):
    """The audit trail: who changed the program's configuration and people's roles, who removed
    evidence, who signed in from a new device. Read-only, for CBP admins; entries are written
    only by the code that records them."""

    list_display = ["created", "resource_url", "action", "summary", "user_url", "remote_addr"]
    list_filter = [
        "action",
        AuditedModelFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        "timestamp",
    ]
    # auditlog's own list names first_name and last_name, which our User does not have.
    search_fields = ["object_repr", "actor__email", "actor__full_name", "actor_email"]
    readonly_fields = [
        "created",
        "resource_url",
        "action",
        "user_url",
        "msg",
        "remote_addr",
        "additional_data",
    ]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "remote_addr", "resource_url"]}),
        ("Changes", {"fields": ["action", "msg", "additional_data"]}),
    ]

    @admin.display(description="what")
    def summary(self, entry):
        if entry.action == LogEntry.Action.ACCESS:
            return (entry.additional_data or {}).get("event", "")
        return self.msg_short(entry)

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
