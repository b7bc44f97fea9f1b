from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from certification.models import (
    Application,
    Attestation,
    Criterion,
    DemonstrationResponse,
    Event,
    HandbookEdition,
    WorkloadSettings,
)
from certification.services import handbook_edition_create_draft, handbook_edition_publish
from recordkeepers.admin import CBPAdminOnly


class CriterionInline(CBPAdminOnly, admin.StackedInline):
    model = Criterion
    extra = 0
    fields = [
        ("demonstration", "code", "position"),
        "title",
        ("weight", "must_pass"),
        "applies_to_flags",
        "guidance",
        "expected_evidence",
        ("expectation_micro", "expectation_small"),
        ("expectation_medium", "expectation_large"),
    ]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_editable)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(HandbookEdition)
class HandbookEditionAdmin(CBPAdminOnly, admin.ModelAdmin):
    """Editions are created as copies and put in force by the publish action; status is read-only."""

    list_display = [
        "title",
        "status",
        "published_at",
        "retired_at",
        "criterion_count",
        "pinned_applications",
    ]
    list_filter = ["status"]
    readonly_fields = ["status", "based_on", "created_at", "published_at", "retired_at"]
    inlines = [CriterionInline]
    actions = ["copy_to_draft", "publish"]

    @admin.display(description="criteria")
    def criterion_count(self, edition):
        return edition.criteria.count()

    @admin.display(description="applications pinned to it")
    def pinned_applications(self, edition):
        count = edition.applications.count()
        if not count:
            return "0"
        url = reverse("admin:certification_application_changelist")
        return format_html(
            '<a href="{}?handbook_edition__id__exact={}">{}</a>', url, edition.pk, count
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    @admin.action(description="Copy to a new draft edition")
    def copy_to_draft(self, request, queryset):
        for edition in queryset:
            draft = handbook_edition_create_draft(
                based_on=edition, title=f"{edition.title} (draft copy)"
            )
            self.message_user(request, f"Created the draft “{draft.title}”.", messages.SUCCESS)

    @admin.action(description="Publish (put in force, retiring the current edition)")
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Publish one edition at a time.", messages.ERROR)
            return
        try:
            edition = handbook_edition_publish(edition=queryset.get())
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, f"“{edition.title}” is now in force.", messages.SUCCESS)


class ReadOnlyInline(CBPAdminOnly, admin.TabularInline):
    """What an applicant or reviewer wrote, shown in the admin but changed only through the service."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
class ApplicationAdmin(CBPAdminOnly, admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkloadSettings)
class WorkloadSettingsAdmin(CBPAdminOnly, admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not WorkloadSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
