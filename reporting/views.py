"""The program's dashboard and its exports, for supervisors and administrators. Thin: look up, bind,
call, render."""

import base64
import hashlib
from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from certification.responses import add_service_errors, private_download
from common import cache_versions
from recordkeepers.models import SizeClass
from reporting import selectors, services
from reporting.charts import figures_html
from reporting.exports import dataset_title, datasets_for
from reporting.figures.kept import kept_dashboard_figures
from reporting.filters import ReportFilters
from reporting.forms import ExportRequestForm, ReportFilterForm, default_period
from reporting.models import ExportStatus
from reviews.selectors import reviewer_choices
from reviews.selectors.queue import PEOPLE

# The forms' fields are kept this long at most (a change to the reviewers makes them stale).
FIELDS_KEY = "reporting:dashboard-fields:v1:{}"
FIELDS_SECONDS = 600


def _filter_form(data) -> ReportFilterForm:
    return ReportFilterForm(data, reviewers=reviewer_choices(), today=timezone.localdate())


def _export_form(request: HttpRequest, data=None) -> ExportRequestForm:
    return ExportRequestForm(data, datasets=datasets_for(user=request.user))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure, narrowed to the filters in the query string (the last thirteen weeks when
    none are given); filters that do not make sense are said beside their fields, with no
    figures, and a 400."""
    selectors.reports_visible_to(user=request.user)
    start, end = default_period(timezone.localdate())
    form = _filter_form(request.GET or {"start": start, "end": end})
    if not form.is_valid():
        return _dashboard_page(request, form, None, status=HTTPStatus.BAD_REQUEST)
    return _dashboard_page(request, form, form.report_filters())


def form_fields(form: ReportFilterForm, export_form: ExportRequestForm) -> dict[str, SafeString]:
    """The two forms' fields as the page shows them: the filters, and the export's with the
    filters as hidden fields. Drawn once for each set of values and choices offered (the
    reviewers, who moves `PEOPLE` on; the exports this person may ask for) and kept, as the
    queue keeps its filter form; drawn each time when a form has messages beside its fields."""

    def draw() -> dict[str, str]:
        return {
            "filter_fields": render_to_string(
                "reporting/includes/filter_fields.html", {"form": form}
            ),
            "export_fields": render_to_string(
                "reporting/includes/export_fields.html",
                {"form": form, "export_form": export_form},
            ),
        }

    if form.errors or export_form.is_bound:
        drawn = draw()
    else:
        data = form.data.urlencode() if isinstance(form.data, QueryDict) else urlencode(form.data)
        offered = [value for value, _ in export_form.fields["dataset"].choices]
        asked = hashlib.sha256(f"{data}|{offered}|{form.today}".encode()).hexdigest()
        drawn = cache_versions.cached(
            FIELDS_KEY.format(asked), PEOPLE, draw, timeout=FIELDS_SECONDS
        )
    return {name: mark_safe(html) for name, html in drawn.items()}  # noqa: S308 - escaped when drawn


def _dashboard_page(request, form, filters, *, export_form=None, status=HTTPStatus.OK):
    exports = selectors.exports_of(user=request.user, limit=5)
    for job in exports:
        job.title = dataset_title(job.dataset)
    # The names the form offers (one cached read of the reviewers per page, not two).
    reviewers = {str(pk): name for pk, name in form.fields["reviewer"].choices}
    figures = kept_dashboard_figures(filters=filters) if filters else []
    export_form = export_form or _export_form(request)
    context = {
        "form": form,
        "filters": filters,
        "size_label": SizeClass(filters.size_class).label if filters and filters.size_class else "",
        "reviewer_name": reviewers.get(str(filters.reviewer_id), "") if filters else "",
        "figures": figures,
        # Drawn by Jinja2 (ADR 0007), each kept until its numbers move.
        "drawn_figures": list(zip(figures, figures_html(figures, hide_title=True), strict=True)),
        "export_form": export_form,
        **form_fields(form, export_form),
        "exports": exports,
    }
    return render(request, "reporting/dashboard.html", context, status=status)


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """Ask for an export of what the dashboard shows (its filters come with the form)."""
    selectors.reports_visible_to(user=request.user)
    form = _filter_form(request.POST)
    export_form = _export_form(request, request.POST)
    if not (form.is_valid() and export_form.is_valid()):
        filters = form.report_filters() if form.is_valid() else None
        return _dashboard_page(
            request, form, filters, export_form=export_form, status=HTTPStatus.BAD_REQUEST
        )
    try:
        job = services.export_request(
            actor=request.user,
            dataset=export_form.cleaned_data["dataset"],
            format=export_form.cleaned_data["format"],
            filters=form.report_filters(),
        )
    except ValidationError as error:
        add_service_errors(export_form, error)
        return _dashboard_page(
            request,
            form,
            form.report_filters(),
            export_form=export_form,
            status=HTTPStatus.BAD_REQUEST,
        )
    return redirect("reporting:export", job.pk)


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One export: how far it has got (refreshed in place while it is written), then its file."""
    job = selectors.export_get_for_user(user=request.user, pk=pk)
    template = (
        "reporting/includes/export_progress.html"
        if request.headers.get("HX-Request")
        else "reporting/export.html"
    )
    context = {
        "job": job,
        "title": dataset_title(job.dataset),
        "filters": ReportFilters.from_json(job.filters),
    }
    return render(request, template, context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's file, to the person who asked for it, until it is deleted."""
    job = selectors.export_get_for_user(user=request.user, pk=pk)
    if job.status != ExportStatus.READY or not job.file:
        raise Http404("This export has no file to download")
    filters = job.filters
    response = private_download(
        job.file,
        filename=f"rkcp-{job.dataset}-{filters['start']}-to-{filters['end']}.{job.format}",
        content_type=(
            "text/csv; charset=utf-8"
            if job.format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    # The file carries its SHA-256 (RFC 9530), as the export's page shows it.
    response.headers["Repr-Digest"] = f"sha-256=:{_base64(job.sha256)}:"
    return response


def _base64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()
