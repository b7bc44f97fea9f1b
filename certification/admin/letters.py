"""Letter templates (versions admins write) and letters (which staff retry and reissue)."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from certification.admin.base import PreviewViewMixin, ViewOnly
from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters.previews import pdf_inline_response
from certification.letters.versions import letter_template_save_new_version
from certification.models import (
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
)
from recordkeepers.admin import CBPAdminOnly


class LetterTemplateForm(forms.ModelForm):
    """A new version's text, refused if it uses a placeholder its kind does not have."""

    class Meta:
        model = LetterTemplate
        fields = ["kind", "subject", "body"]
        widgets = {
            "subject": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"}),
        }

    def clean(self):
        cleaned = super().clean()
        if kind := cleaned.get("kind"):
            try:
                letters.check_template(
                    kind=kind, subject=cleaned.get("subject", ""), body=cleaned.get("body", "")
                )
            except ValidationError as error:
                self.add_error(None, error)  # keyed by field: each message beside its field
        return cleaned


def pdf_preview_response(*, kind: str, subject: str, body: str, filename: str) -> HttpResponse:
    """A template's text as a letter filled with sample values, shown in the browser and kept
    nowhere (`certification/letters/previews.py`)."""
    from certification.letters import (
        pdf as letter_pdf,  # WeasyPrint: loaded when an admin previews, not at start
    )

    pdf, _sha256 = letter_pdf.render(
        subject=subject, body=body, context=letters.sample_context(kind)
    )
    return pdf_inline_response(pdf, filename=filename)


@dataclass(frozen=True)
class PlaceholderGroup:
    kind: LetterKind
    placeholders: list[letters.Placeholder]
    open: bool  # the kind being edited: its list is shown unfolded


@admin.register(LetterTemplate)
class LetterTemplateAdmin(PreviewViewMixin, CBPAdminOnly, admin.ModelAdmin):
    """Every saved version is kept: a version's page is read-only, and "Edit as a new version" opens
    the add form filled with its text. The highest version of a kind is the one letters use."""

    form = LetterTemplateForm
    list_display = ["kind", "version", "in_use", "created_by", "created_at", "preview_link"]
    list_filter = ["kind"]
    change_form_template = "admin/certification/lettertemplate/change_form.html"
    # The add form's "copy_of" parameter: the version an admin is editing as a new version.
    copy_of_parameter = "copy_of"

    def get_queryset(self, request):
        in_use = (
            LetterTemplate.objects.filter(kind=OuterRef("kind"))
            .order_by("-version")
            .values("version")[:1]
        )
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(version_in_use=Subquery(in_use))
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "subject", "body"]
        return ["kind", "version", "in_use", "created_by", "created_at", "subject", "body"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # A saved version is never changed (the model refuses too). Without an object this is "may
        # edit letter templates", which adding a version and previewing one need.
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request, obj=None):
        return False  # letters name the version they were rendered from

    def _copied_from(self, request) -> LetterTemplate | None:
        pk = request.GET.get(self.copy_of_parameter, "")
        if not pk.isdigit():
            return None
        return LetterTemplate.objects.filter(pk=pk).first()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if source := self._copied_from(request):
            initial |= {"kind": source.kind, "subject": source.subject, "body": source.body}
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        source = self._copied_from(request) if obj is None else None
        if source is None:
            return form

        class NewVersionForm(form):
            """A new version of the copied one's kind: the kind is shown but not changed."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # A disabled field takes its initial value, on the POST as well.
                self.fields["kind"].disabled = True
                self.fields["kind"].initial = source.kind
                self.fields["kind"].help_text = "A new version keeps the kind of the one copied."

        return NewVersionForm

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            if not self.has_add_permission(request):
                raise PermissionDenied
            form = self.get_form(request)(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                return pdf_preview_response(
                    kind=data["kind"],
                    subject=data["subject"],
                    body=data["body"],
                    filename=f"preview-{data['kind']}-unsaved.pdf",
                )
            # Not valid: the add view shows the form again with its errors, and saves nothing.
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Only the add form saves (a version's page is read-only): always a new row.
        letter_template_save_new_version(template=obj, actor=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        source = self._copied_from(request) if obj is None else None
        if obj is not None:
            kind, fixed = obj.kind, True
        else:
            kind, fixed = context["adminform"].form["kind"].value(), source is not None
        if source is not None:
            context["title"] = f"New version of the {source.get_kind_display()} letter"
            context["subtitle"] = f"Copied from version {source.version}"
        context["placeholder_groups"] = [
            PlaceholderGroup(kind=k, placeholders=letters.PLACEHOLDERS[k], open=k == kind)
            for k in LetterKind
            if not fixed or k == kind
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A saved version as a letter with sample values, in the browser."""
        template = self.get_object(request, str(pk))
        if template is None:
            raise Http404("No such letter template")
        if not self.has_change_permission(request):
            raise PermissionDenied
        return pdf_preview_response(
            kind=template.kind,
            subject=template.subject,
            body=template.body,
            filename=f"preview-{template.kind}-v{template.version}.pdf",
        )

    @admin.display(description="in use", boolean=True)
    def in_use(self, template):
        return template.version == template.version_in_use

    @admin.display(description="preview")
    def preview_link(self, template):
        return format_html(
            '<a href="{}">Preview as PDF<span class="visually-hidden"> of {}</span></a>',
            self.preview_url(template),
            template,
        )


# Staff's names for a letter's status. The model's labels are the applicant's, in which pending and
# rendering are both "Being prepared"; staff chasing a stuck letter need to tell them apart.
LETTER_STATES = {
    LetterStatus.PENDING: "Pending (waiting for a worker)",
    LetterStatus.RENDERING: "Rendering",
    LetterStatus.READY: "Ready",
    LetterStatus.FAILED: "Failed",
}


class LetterStateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(LETTER_STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Letter)
class LetterAdmin(ViewOnly, CBPAdminOnly, admin.ModelAdmin):
    """Letters are written by their lifecycle services; here staff read them, retry a failed one and
    reissue a ready one."""

    list_display = [
        "id",
        "application_reference",
        "kind",
        "state",
        "attempts",
        "template_version",
        "created_at",
        "ready_at",
    ]
    list_filter = [LetterStateFilter, "kind"]
    search_fields = ["application__reference"]
    fieldsets = [
        (None, {"fields": ["application", "kind", "state", "dated", "template"]}),
        (
            "Rendering",
            {
                "fields": [
                    "attempts",
                    "last_error",
                    "created_at",
                    "rendering_started_at",
                    "ready_at",
                    "sha256",
                    "size",
                ]
            },
        ),
        (
            "What it reports",
            {"fields": ["decision", "information_request", "reissue_of", "reissued_as"]},
        ),
        ("Values of its placeholders", {"fields": ["context"], "classes": ["collapse"]}),
    ]
    actions = ["retry", "reissue"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "template")

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    @admin.display(description="status", ordering="status")
    def state(self, letter):
        return LETTER_STATES[letter.status]

    @admin.display(description="application", ordering="application__reference")
    def application_reference(self, letter):
        return letter.application.reference

    @admin.display(description="template version", ordering="template__version")
    def template_version(self, letter):
        return letter.template.version

    @admin.display(description="reissued as")
    def reissued_as(self, letter):
        reissues = list(letter.reissues.order_by("pk"))
        if not reissues:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">Letter {}</a>',
            (
                (reverse("admin:certification_letter_change", args=[reissue.pk]), reissue.pk)
                for reissue in reissues
            ),
        )

    def _each(self, request, queryset, service, *, done: str, not_done: str) -> None:
        """Call a lifecycle service on each letter, and say which ones it refused and why."""
        succeeded, refused = [], []
        for letter in queryset:
            label = f"letter {letter.pk} ({letter.application.reference})"
            try:
                service(letter=letter, actor=request.user)
            except ValidationError as error:
                refused.append(f"{label}: {' '.join(error.messages)}")
            except PermissionDenied as error:
                refused.append(f"{label}: {error}")
            else:
                succeeded.append(label)
        if succeeded:
            self.message_user(request, f"{done}: {', '.join(succeeded)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"{not_done}: {'; '.join(refused)}", messages.ERROR)

    @admin.action(description="Retry failed letters")
    def retry(self, request, queryset):
        self._each(
            request,
            queryset,
            letter_lifecycle.letter_retry,
            done="Sent to be rendered again",
            not_done="Not retried",
        )

    @admin.action(description="Reissue ready letters")
    def reissue(self, request, queryset):
        self._each(
            request,
            queryset,
            letter_lifecycle.letter_reissue,
            done="Reissued (the new letters are being prepared)",
            not_done="Not reissued",
        )
