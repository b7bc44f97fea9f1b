"""Applications as CBP admins read them, and CBP's workload settings."""

from django.contrib import admin

from certification.admin.base import ReadOnlyInline, ViewOnly
from certification.models import (
    Application,
    Attestation,
    DemonstrationResponse,
    Event,
    WorkloadSettings,
)
from common.admin import SingletonAdmin
from recordkeepers.admin import CBPAdminOnly


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["created_at", "actor", "verb", "from_status", "to_status", "data"]


class ResponseInline(ReadOnlyInline):
    model = DemonstrationResponse
    fields = ["demonstration", "answers", "narrative", "updated_by", "updated_at"]


class AttestationInline(ReadOnlyInline):
    model = Attestation
    fields = [
        "signer_name",
        "signer_title",
        "signed_by",
        "signed_at",
        "application_version",
        "text",
    ]


@admin.register(Application)
class ApplicationAdmin(ViewOnly, CBPAdminOnly, admin.ModelAdmin):
    """Applications change only through the workflow; here they are read."""

    list_display = [
        "__str__",
        "organisation",
        "status",
        "route",
        "handbook_edition",
        "submitted_at",
    ]
    list_filter = ["status", "route", "handbook_edition"]
    search_fields = ["reference", "organisation__legal_name"]
    readonly_fields = [f.name for f in Application._meta.concrete_fields]
    inlines = [ResponseInline, AttestationInline, EventInline]


@admin.register(WorkloadSettings)
class WorkloadSettingsAdmin(SingletonAdmin, CBPAdminOnly, admin.ModelAdmin):
    fieldsets = [
        ("Reviewers", {"fields": ["reviewer_capacity"]}),
        (
            "Target review time by size class",
            {
                "fields": [
                    "target_days_micro",
                    "target_days_small",
                    "target_days_medium",
                    "target_days_large",
                ]
            },
        ),
        ("Deadlines", {"fields": ["information_request_days", "appeal_days"]}),
    ]
