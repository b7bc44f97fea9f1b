"""Appeals (19 CFR 163.13(d)): filing, delaying, deciding, and their documents."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from certification.responses import call_service, private_download
from certification.selectors import application_get_for_user
from participants import selectors, services
from participants.forms import (
    AppealDecisionForm,
    AppealDelayForm,
    AppealForm,
)
from participants.models import AppealFile
from participants.views.common import create_record, staff_only
from recordkeepers.rules import is_appeals_official, is_cbp_staff, is_supervisor


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
        status, appeal = create_record(
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
    staff_only(request)
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
