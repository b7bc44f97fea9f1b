"""An export of the review queue asked from the queue page, narrowed to the page's own filters
(sent as hidden fields: templates/reviews/includes/queue_export.html). The queue page only links
here, since `reviews` never imports `reporting`; the filters are checked by the queue's own filter
form. Thin: bind, call the service, redirect to the export's page."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.responses import add_service_errors
from reporting import selectors, services
from reporting.exports.datasets.applications import QUEUE, queue_period
from reporting.forms import QueueExportForm
from reviews.forms import QueueFilterForm
from reviews.selectors import reviewer_choices


@login_required
@require_POST
def export_queue(request: HttpRequest) -> HttpResponse:
    """Ask for an export of every application the queue page's filters leave, not only the page
    shown; filters or a format that make no sense are said beside their fields on a page of their
    own, where they can be put right, with a 400."""
    selectors.reports_visible_to(user=request.user)
    filter_form = QueueFilterForm(request.POST, reviewers=reviewer_choices())
    export_form = QueueExportForm(request.POST)
    if not (filter_form.is_valid() and export_form.is_valid()):
        return _refused(request, filter_form, export_form)
    try:
        job = services.export_request(
            actor=request.user,
            dataset=QUEUE.key,
            format=export_form.cleaned_data["format"],
            filters=queue_period(user=request.user, today=timezone.localdate()),
            queue_filters=filter_form.filters(),
        )
    except ValidationError as error:
        add_service_errors(filter_form, error)  # the search, the one the service may refuse
        return _refused(request, filter_form, export_form)
    return redirect("reporting:export", job.pk)


def _refused(
    request: HttpRequest, filter_form: QueueFilterForm, export_form: QueueExportForm
) -> HttpResponse:
    return render(
        request,
        "reporting/queue_export.html",
        {"form": filter_form, "export_form": export_form},
        status=HTTPStatus.BAD_REQUEST,
    )
