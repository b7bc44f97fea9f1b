"""Pages after certification: the participant's own ("Your certification", its reports) and CBP's
(the register, a participant, a report). Thin: look up through a selector, bind, call a service,
redirect."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from certification.letters.selectors import letters_for_application
from certification.responses import call_service, private_download
from certification.selectors import application_get_for_user
from participants import classification, selectors, services, workflow
from participants.access import acts_for_cbp
from participants.forms import (
    AppealDecisionForm,
    AppealDelayForm,
    AppealForm,
    CloseReportForm,
    CorrectiveActionRequestForm,
    CorrectiveActionResponseForm,
    FailureForm,
    NoticeAnswerForm,
    RegisterFilterForm,
    RemovalDecisionForm,
    RemovalProposalForm,
    ReportForm,
)
from participants.models import AppealFile, ComplianceReport, NoticeOfViolation, Participant
from recordkeepers.rules import is_appeals_official, is_cbp_staff, is_supervisor


def _create(form, create, *, unkeyed_to: str | None = None):
    """`call_service` for a service that makes a record: the status, and the record made."""
    made: list = []
    status = call_service(
        form,
        lambda data: made.append(create(data)),
        refusals=(PermissionDenied,),
        unkeyed_to=unkeyed_to,
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
        "removals": participant.removals.select_related("proposed_by", "decided_by")
        if is_cbp_staff(request.user)
        else participant.removals.exclude(status__in=["proposed", "declined"]),
        "appealable": services.appealable(application=application),
        "may_act": acts_for_cbp(request.user, participant),
        "appeals": application.appeals.all(),
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


# --- Removal (19 CFR 163.13(c)) --------------------------------------------------------------------


@login_required
def removal_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer (or supervisor) proposes removal; a supervisor decides."""
    _staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    form = RemovalProposalForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, removal = _create(
            form,
            lambda data: services.removal_propose(
                participant=participant,
                actor=request.user,
                grounds=data["grounds"],
                reasons=data["reasons"],
                immediate=data["immediate"],
            ),
        )
        if status is None:
            messages.success(request, "Removal proposed; a supervisor decides it.")
            return redirect("participants:removal", removal.pk)
    return render(
        request,
        "participants/removal_new.html",
        {"participant": participant, "form": form},
        status=status or HTTPStatus.OK,
    )


@login_required
def removal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    removal = selectors.removal_get_for_staff(user=request.user, pk=pk)
    form = RemovalDecisionForm(request.POST or None)
    status = None
    if request.method == "POST":

        def decide(data: dict) -> object:
            if data["decision"] == "decline":
                return services.removal_decline(
                    removal=removal, actor=request.user, reason=data["reason"]
                )
            return services.removal_issue(removal=removal, actor=request.user)

        status = call_service(form, decide, refusals=(PermissionDenied,), unkeyed_to="reason")
        if status is None:
            messages.success(request, "Decided; the record and the participant's page show it.")
            return redirect("participants:removal", removal.pk)
    return render(
        request,
        "participants/removal.html",
        {
            "removal": removal,
            "participant": removal.participant,
            "form": form,
            "may_decide": removal.status == "proposed"
            and is_supervisor(request.user)
            and removal.proposed_by_id != request.user.pk,
        },
        status=status or HTTPStatus.OK,
    )


# --- Appeals (19 CFR 163.13(d)) --------------------------------------------------------------------


@login_required
def appeal_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The recordkeeper appeals the application's denial, or its certification's removal."""
    application = application_get_for_user(user=request.user, pk=pk)
    if is_cbp_staff(request.user):
        raise Http404("Only the organisation appeals")
    open_to = services.appealable(application=application)
    if open_to is None:
        raise Http404("Nothing to appeal")
    form = AppealForm(request.POST or None, request.FILES or None)
    status = None
    if request.method == "POST":
        status, appeal = _create(
            form,
            lambda data: services.appeal_file(
                application=application,
                actor=request.user,
                statement=data["statement"],
                uploads=data["files"],
            ),
            unkeyed_to="files",  # a refused file is named beside the files
        )
        if status is None:
            messages.success(request, "CBP received your appeal.")
            return redirect("participants:appeal", appeal.pk)
    return render(
        request,
        "participants/appeal_new.html",
        {"application": application, "open_to": open_to, "form": form},
        status=status or HTTPStatus.OK,
    )


def _appeal_context(request: HttpRequest, appeal, **forms) -> dict:
    official = is_appeals_official(request.user)
    open_ = appeal.status in ("received", "delayed")
    return {
        "appeal": appeal,
        "application": appeal.application,
        "for_staff": is_cbp_staff(request.user),
        "may_decide": official and open_ and appeal.original_decider_id != request.user.pk,
        "own_case": official and open_ and appeal.original_decider_id == request.user.pk,
        "may_delay": official
        and appeal.status == "received"
        and appeal.kind == "denial"
        and appeal.original_decider_id != request.user.pk,
        "today": timezone.localdate(),
        "decision_form": forms.get("decision_form") or AppealDecisionForm(),
        "delay_form": forms.get("delay_form") or AppealDelayForm(),
    }


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    return render(request, "participants/appeal.html", _appeal_context(request, appeal))


def _appeal_move(request: HttpRequest, pk: int, form_name: str, form, action, done: str):
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    status = call_service(form, lambda data: action(appeal, data), refusals=(PermissionDenied,))
    if status is None:
        messages.success(request, done)
        return redirect("participants:appeal", appeal.pk)
    context = _appeal_context(request, appeal, **{form_name: form})
    return render(request, "participants/appeal.html", context, status=status)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_move(
        request,
        pk,
        "decision_form",
        AppealDecisionForm(request.POST),
        lambda appeal, data: services.appeal_decide(
            appeal=appeal, actor=request.user, outcome=data["outcome"], reasons=data["reasons"]
        ),
        "The appeal is decided; its letter is being prepared.",
    )


@login_required
@require_POST
def appeal_delay(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_move(
        request,
        pk,
        "delay_form",
        AppealDelayForm(request.POST),
        lambda appeal, data: services.appeal_delay(
            appeal=appeal, actor=request.user, reasons=data["reasons"], expected=data["expected"]
        ),
        "The appellant is told of the delay, its reasons and the date.",
    )


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """Appeals waiting for a decision, and those decided: for appeals officials and supervisors."""
    _staff_only(request)
    if not (is_appeals_official(request.user) or is_supervisor(request.user)):
        raise Http404("No such page")
    return render(
        request,
        "participants/appeals.html",
        {
            "waiting": selectors.appeals_for_staff(user=request.user),
            "decided": selectors.appeals_decided(user=request.user)[:25],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def appeal_file_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file sent with an appeal, for whoever may open the appeal."""
    record = AppealFile.objects.select_related("appeal").filter(pk=pk).first()
    if record is None:
        raise Http404("No such file")
    selectors.appeal_get_for_user(user=request.user, pk=record.appeal_id)
    return private_download(
        record.file, filename=record.original_name, content_type=record.content_type
    )
