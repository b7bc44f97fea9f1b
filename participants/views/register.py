"""The participant's own page and CBP's register."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from participants import selectors, services
from participants.forms import (
    RegisterFilterForm,
)
from participants.views.common import own_participant, participant_context, staff_only
from recordkeepers.rules import is_cbp_staff


@login_required
def my_certification(request: HttpRequest) -> HttpResponse:
    """The participant's own page: what is certified, its conditions, its reports and history."""
    if is_cbp_staff(request.user):
        return redirect("participants:register")
    participant = own_participant(request)
    context = participant_context(request, participant)
    context["may_file"] = participant.status in services.FILING
    return render(request, "participants/my_certification.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """CBP's register of participants, searched and filtered."""
    staff_only(request)
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
    staff_only(request)
    participant = selectors.participant_get_for_staff(user=request.user, pk=pk)
    return render(
        request, "participants/participant.html", participant_context(request, participant)
    )
