"""Failures to produce and notices of violation in lieu of a penalty."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.responses import call_service
from participants import selectors, services, workflow
from participants.forms import (
    CloseReportForm,
    FailureForm,
    NoticeAnswerForm,
)
from participants.models import NoticeOfViolation
from participants.views.common import create_record, staff_only
from recordkeepers.rules import is_cbp_staff


@login_required
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """CBP records a failure to produce a demanded record; the service decides the notice."""
    staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    form = FailureForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, notice = create_record(
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
