"""Pages after certification: the participant's own ("Your certification", its reports) and CBP's
(the register, a participant, a report). Thin: look up through a selector, bind, call a service,
redirect."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.letters.selectors import letters_for_application
from certification.responses import call_service
from participants import classification, selectors, services, workflow
from participants.forms import (
    CloseReportForm,
    CorrectiveActionRequestForm,
    CorrectiveActionResponseForm,
    FailureForm,
    NoticeAnswerForm,
    RegisterFilterForm,
    ReportForm,
)
from participants.models import ComplianceReport, NoticeOfViolation, Participant
from recordkeepers.rules import is_cbp_staff


def _create(form, create):
    """`call_service` for a service that makes a record: the status, and the record made."""
    made: list = []
    status = call_service(
        form, lambda data: made.append(create(data)), refusals=(PermissionDenied,)
    )
    return status, (made[0] if made else None)


def _own_participant(request: HttpRequest) -> Participant:
    participant = selectors.participant_for_member(user=request.user)
    if participant is None:
        raise Http404("Your organization is not certified")
    return participant


def _staff_only(request: HttpRequest) -> None:
    if not is_cbp_staff(request.user):
        raise Http404("No such page")


def _participant_context(request: HttpRequest, participant: Participant) -> dict:
    application = participant.application
    return {
        "participant": participant,
        "application": application,
        "individuals": application.designated_individuals.order_by("kind", "pk"),
        "expiry": selectors.expiry_of(participant=participant),
        "reports": selectors.reports_of(participant=participant),
        "notices": selectors.notices_of(participant=participant, user=request.user),
        "letters": letters_for_application(application=application),
        "is_staff_viewer": is_cbp_staff(request.user),
        "removal_suggested": is_cbp_staff(request.user)
        and services.removal_suggested(participant=participant),
        "events": selectors.participant_timeline(user=request.user, participant=participant),
        "today": timezone.localdate(),
    }


@login_required
def my_certification(request: HttpRequest) -> HttpResponse:
    """The participant's own page: what is certified, its conditions, its reports and history."""
    if is_cbp_staff(request.user):
        return redirect("participants:register")
    participant = _own_participant(request)
    context = _participant_context(request, participant)
    context["may_file"] = participant.status in services.FILING
    return render(request, "participants/my_certification.html", context)


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    participant = _own_participant(request)
    form = ReportForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, report = _create(
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


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """CBP's register of participants, searched and filtered."""
    _staff_only(request)
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.register(
        user=request.user,
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        route=filters.get("route", ""),
        overdue=filters.get("overdue", False),
        sort=filters.get("sort") or "name",
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/register.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "waiting": selectors.reports_waiting_for_cbp(user=request.user)[:10],
        },
        status=HTTPStatus.OK if form.is_valid() or not request.GET else HTTPStatus.BAD_REQUEST,
    )


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    return render(
        request, "participants/participant.html", _participant_context(request, participant)
    )


@login_required
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """CBP records a failure to produce a demanded record; the service decides the notice."""
    _staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    form = FailureForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, notice = _create(
            form,
            lambda data: services.notice_record_failure(
                participant=participant,
                actor=request.user,
                entry_number=data["entry_number"],
                record_demanded=data["record_demanded"],
                demanded_on=data["demanded_on"],
                willful=data["willful"],
            ),
        )
        if status is None:
            messages.success(
                request,
                "The notice of violation was issued; its letter is being prepared."
                if notice.eligible
                else "Recorded. This failure is not eligible for a notice in lieu of a penalty: "
                "the reasons are below.",
            )
            return redirect("participants:notice", notice.pk)
    return render(
        request,
        "participants/notice_new.html",
        {"participant": participant, "form": form},
        status=status or HTTPStatus.OK,
    )


def _notice_context(request: HttpRequest, notice: NoticeOfViolation, **forms) -> dict:
    return {
        "notice": notice,
        "participant": notice.participant,
        "moves": workflow.allowed_notice_moves(notice=notice, user=request.user),
        "for_staff": is_cbp_staff(request.user),
        "today": timezone.localdate(),
        "answer_form": forms.get("answer_form") or NoticeAnswerForm(),
    }


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return render(request, "participants/notice.html", _notice_context(request, notice))


@login_required
@require_POST
def notice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    form = NoticeAnswerForm(request.POST)
    status = call_service(
        form,
        lambda data: services.notice_answer(
            notice=notice, actor=request.user, response=data["response"]
        ),
        refusals=(PermissionDenied,),
    )
    if status is None:
        messages.success(request, "Your answer was sent to CBP.")
        return redirect("participants:notice", notice.pk)
    context = _notice_context(request, notice, answer_form=form)
    return render(request, "participants/notice.html", context, status=status)


@login_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    form = CloseReportForm(request.POST)
    status = call_service(
        form,
        lambda _: services.notice_close(notice=notice, actor=request.user),
        refusals=(PermissionDenied,),
    )
    if status is None:
        messages.success(request, "The notice is closed; the participant is told.")
        return redirect("participants:notice", notice.pk)
    context = _notice_context(request, notice)
    context["close_errors"] = form.non_field_errors()
    return render(request, "participants/notice.html", context, status=status)
