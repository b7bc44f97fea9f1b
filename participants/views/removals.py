"""Removal (19 CFR 163.13(c)): the proposal and the supervisor's decision."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from certification.responses import call_service
from participants import selectors, services
from participants.forms import (
    RemovalDecisionForm,
    RemovalProposalForm,
)
from participants.views.common import create_record, staff_only
from recordkeepers.rules import is_supervisor


@login_required
def removal_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer (or supervisor) proposes removal; a supervisor decides."""
    staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    form = RemovalProposalForm(request.POST or None)
    status = None
    if request.method == "POST":
        status, removal = create_record(
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
    staff_only(request)
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
