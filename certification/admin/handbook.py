"""Handbook editions and their criteria, kept by CBP admins."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from certification.admin.base import PreviewViewMixin
from certification.models import (
    Criterion,
    Demonstration,
    HandbookEdition,
)
from certification.services.handbook import handbook_edition_create_draft, handbook_edition_publish
from recordkeepers.admin import CBPAdminOnly
from recordkeepers.models import RiskFlag, SizeClass


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


@dataclass(frozen=True)
class CriterionPreview:
    criterion: Criterion
    flag_labels: list[str]  # empty: the criterion applies to every applicant
    expectations: list[tuple[str, str]]  # (size class label, what is expected of it)


@dataclass(frozen=True)
class DemonstrationPreview:
    demonstration: Demonstration
    criteria: list[CriterionPreview]

    @property
    def total_weight(self) -> int:
        return sum(c.criterion.weight for c in self.criteria)

    @property
    def must_pass_count(self) -> int:
        return sum(c.criterion.must_pass for c in self.criteria)


def _flag_label(value: str) -> str:
    # An unknown flag is refused by Criterion.clean, but show one saved before that check existed
    # rather than fail the whole page.
    return RiskFlag(value).label if value in RiskFlag.values else value


def handbook_edition_preview(edition: HandbookEdition) -> list[DemonstrationPreview]:
    """The edition's criteria as reviewers meet them: by demonstration, in the Handbook's order.

    Every demonstration is listed, with or without criteria, so that a gap shows where it is.
    """
    by_demonstration: dict[str, list[CriterionPreview]] = {d.value: [] for d in Demonstration}
    for criterion in edition.criteria.order_by("demonstration", "position", "code"):
        by_demonstration.setdefault(criterion.demonstration, []).append(
            CriterionPreview(
                criterion=criterion,
                flag_labels=[_flag_label(flag) for flag in criterion.applies_to_flags or []],
                expectations=[(size.label, criterion.expectation_for(size)) for size in SizeClass],
            )
        )
    return [
        DemonstrationPreview(demonstration=d, criteria=by_demonstration[d.value])
        for d in Demonstration
    ]


@admin.register(HandbookEdition)
class HandbookEditionAdmin(PreviewViewMixin, CBPAdminOnly, admin.ModelAdmin):
    """Editions are created as copies and put in force by the publish action; status is read-only."""

    list_display = [
        "title",
        "status",
        "published_at",
        "retired_at",
        "criterion_count",
        "pinned_applications",
        "preview_link",
    ]
    list_filter = ["status"]
    readonly_fields = ["status", "based_on", "created_at", "published_at", "retired_at"]
    inlines = [CriterionInline]
    actions = ["copy_to_draft", "publish"]
    change_form_template = "admin/certification/handbookedition/change_form.html"
    preview_template = "admin/certification/handbookedition/preview.html"

    def preview_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        """The edition as reviewers will use it. Read-only: it shows, and changes nothing."""
        edition = self.get_object(request, str(pk))
        if edition is None:
            raise Http404("No such Handbook edition")
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        demonstrations = handbook_edition_preview(edition)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Preview of {edition.title}",
            "subtitle": None,
            "edition": edition,
            "original": edition,
            "demonstrations": demonstrations,
            "criterion_count": sum(len(d.criteria) for d in demonstrations),
            "total_weight": sum(d.total_weight for d in demonstrations),
            "missing": [d.demonstration for d in demonstrations if not d.criteria],
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.preview_template, context)

    @admin.display(description="preview")
    def preview_link(self, edition):
        return format_html(
            '<a href="{}">Preview<span class="visually-hidden"> {}</span></a>',
            self.preview_url(edition),
            edition.title,
        )

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
