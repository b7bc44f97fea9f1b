"""Variance and violation reports, and their corrective actions."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.responses import call_service
from participants import classification, selectors, services, workflow
from participants.forms import (
    CloseReportForm,
    CorrectiveActionRequestForm,
    CorrectiveActionResponseForm,
    ReportForm,
)
from participants.models import ComplianceReport
from participants.views.common import create_record, own_participant
from recordkeepers.rules import is_cbp_staff


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    participant = own_participant(request)
    form = ReportForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, report = create_record(
            form,
            lambda data: services.report_file(
                participant=participant,
                actor=request.user,
                involves_failure=data["involves_failure"],
                what_happened=data["what_happened"],
                found_on=data["found_on"],
                records_concerned=data["records_concerned"],
                entry_numbers=data["entry_numbers"].splitlines(),
                action_taken=data["action_taken"],
            ),
        )
        if status is None:
            messages.success(
                request,
                f"Your {report.get_kind_display().lower()} report was sent to CBP. "
                f"{classification.classify(involves_failure=report.involves_failure).because}",
            )
            return redirect("participants:report", report.pk)
    return render(
        request,
        "participants/report_new.html",
        {"participant": participant, "form": form},
        status=status or HTTPStatus.OK,
    )


def _report_context(request: HttpRequest, report: ComplianceReport, **forms) -> dict:
    moves = workflow.allowed_report_moves(report=report, user=request.user)
    today = timezone.localdate()
    default_due = services.corrective_action_default_due(requested=today)
    return {
        "report": report,
        "participant": report.participant,
        "because": classification.classify(involves_failure=report.involves_failure).because,
        "actions": report.corrective_actions.select_related("requested_by", "responded_by"),
        "moves": moves,
        "today": today,
        "for_staff": is_cbp_staff(request.user),
        "request_form": forms.get("request_form")
        or CorrectiveActionRequestForm(initial={"due": default_due}),
        "response_form": forms.get("response_form") or CorrectiveActionResponseForm(),
        "close_form": forms.get("close_form") or CloseReportForm(),
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return render(request, "participants/report.html", _report_context(request, report))


def _report_move(request: HttpRequest, pk: int, form_name: str, form, action, done: str):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    status = call_service(form, lambda data: action(report, data), refusals=(PermissionDenied,))
    if status is None:
        messages.success(request, done)
        return redirect("participants:report", report.pk)
    context = _report_context(request, report, **{form_name: form})
    return render(request, "participants/report.html", context, status=status)


@login_required
@require_POST
def report_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_move(
        request,
        pk,
        "close_form",
        CloseReportForm(request.POST),
        lambda report, _: services.report_acknowledge(report=report, actor=request.user),
        "The report is acknowledged; the participant is told.",
    )


@login_required
@require_POST
def report_request_action(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_move(
        request,
        pk,
        "request_form",
        CorrectiveActionRequestForm(request.POST),
        lambda report, data: services.report_request_corrective_action(
            report=report, actor=request.user, request=data["request"], due=data["due"]
        ),
        "Corrective action asked for; the participant is told.",
    )


@login_required
@require_POST
def report_respond(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_move(
        request,
        pk,
        "response_form",
        CorrectiveActionResponseForm(request.POST),
        lambda report, data: services.report_record_corrective_action(
            report=report, actor=request.user, response=data["response"]
        ),
        "What you did was sent to CBP.",
    )


@login_required
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_move(
        request,
        pk,
        "close_form",
        CloseReportForm(request.POST),
        lambda report, data: services.report_close(
            report=report, actor=request.user, note=data["note"]
        ),
        "The report is closed; the participant is told.",
    )
