"""Claiming an application, and a supervisor's assigning one or several: each with the
declaration of no conflict of interest that goes with it."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from certification.responses import call_service
from recordkeepers.rules import is_reviewer, is_supervisor, may
from reviews import selectors, services
from reviews.forms import (
    AssignForm,
    ClaimForm,
    RecuseForm,
)
from reviews.views.access import staff_only


@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer takes an application, declaring no conflict of interest."""
    staff_only(request)
    application = selectors.queue_application(user=request.user, pk=pk)
    if not may(request.user, "reviews.claim_application", application):
        if not is_reviewer(request.user):
            raise PermissionDenied("Only reviewers take applications: assign it to one instead.")
        raise PermissionDenied("This application cannot be taken: it has a reviewer.")
    form = ClaimForm(request.POST or None, initial={"version": application.version})
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_claim(
                application=application,
                actor=request.user,
                no_conflict=data["no_conflict"],
                expected_version=data["version"],
            ),
        )
        if status is None:
            messages.success(request, f"{application.reference} is yours. The review has started.")
            return redirect("reviews:workspace", application.pk)
    return render(
        request,
        "reviews/claim.html",
        {"application": application, "form": form},
        status=status or HTTPStatus.OK,
    )


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor assigns or reassigns one application."""
    staff_only(request)
    if not is_supervisor(request.user):
        raise PermissionDenied("Only a supervisor assigns applications.")
    application = selectors.queue_application(user=request.user, pk=pk)
    form = AssignForm(request.POST or None, reviewers=selectors.reviewers())
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_assign(
                application=application,
                actor=request.user,
                reviewer=data["reviewer"],
                override_reason=data["override_reason"],
            ),
            refusals=(PermissionDenied,),
        )
        if status is None:
            messages.success(
                request, f"{application.reference} is assigned to {form.cleaned_data['reviewer']}."
            )
            return redirect("reviews:queue")
    return render(
        request,
        "reviews/assign.html",
        {
            "application": application,
            "form": form,
            "recusals": selectors.recusals_for(application=application),
        },
        status=status or HTTPStatus.OK,
    )


@login_required
def recuse(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer declares a conflict of interest and steps aside (asks first, on a GET)."""
    staff_only(request)
    application = selectors.queue_application(user=request.user, pk=pk)
    form = RecuseForm(request.POST or None)
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_recuse(
                application=application, actor=request.user, reason=data["reason"]
            ),
            refusals=(PermissionDenied,),
        )
        if status is None:
            messages.success(
                request,
                f"You stepped aside from {application.reference}. A supervisor will reassign it "
                "if it needs a reviewer.",
            )
            return redirect("reviews:queue")
    return render(
        request,
        "reviews/recuse.html",
        {"application": application, "form": form},
        status=status or HTTPStatus.OK,
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """A supervisor gives several applications to one reviewer. Any that cannot be assigned (a
    known link to the reviewer, its state) is left out and named with why: a link needs an
    override reason, given one by one."""
    staff_only(request)
    if not is_supervisor(request.user):
        raise PermissionDenied("Only a supervisor assigns applications.")
    reviewer = selectors.reviewers().filter(pk=request.POST.get("reviewer") or 0).first()
    ids = [int(i) for i in request.POST.getlist("applications") if i.isdigit()]
    if reviewer is None or not ids:
        messages.error(request, "Choose applications and a reviewer to assign them to.")
        return redirect("reviews:queue")
    result = services.review_assign_many(
        applications=selectors.queue_visible_to(user=request.user)
        .filter(pk__in=ids)
        .order_by("pk"),
        actor=request.user,
        reviewer=reviewer,
    )
    if result.assigned:
        references = ", ".join(a.reference for a in result.assigned)
        messages.success(request, f"Assigned to {reviewer}: {references}.")
    if result.refused:
        refusals = " ".join(f"{a.reference}: {reason}" for a, reason in result.refused)
        messages.warning(
            request,
            f"Not assigned to {reviewer}. {refusals} Assign them one by one to give a reason.",
        )
    return redirect("reviews:queue")
