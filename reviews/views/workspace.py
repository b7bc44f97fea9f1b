"""The review workspace: the applicant's answers beside the criteria, scores and their live
totals, the compliance finding, questions to the applicant and the recommendation."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification import deadlines
from certification.models import Demonstration, WorkloadSettings
from certification.responses import call_service
from reviews import selectors, services
from reviews.forms import (
    ClaimForm,
    ComplianceFindingForm,
    InformationRequestForm,
    RecommendationForm,
    RubricScoresForm,
)
from reviews.views.access import (
    WorkspaceAccess,
    declared_workspace_access,
    declared_workspace_application,
    workspace_access,
    workspace_application,
)
from reviews.views.workspace_parts import workspace_parts


def _workspace_page(
    request: HttpRequest, access: WorkspaceAccess, status: int = HTTPStatus.OK, **forms_
) -> HttpResponse:
    """The workspace, its parts as `workspace_parts` finds them: with the forms the reviewer sent
    back with errors, if any."""
    application = access.application
    context = {
        "application": application,
        "profile": application.profile_snapshot,
        "parts": workspace_parts(user=request.user, access=access, **forms_),
        "can_score": access.may_score,
        "is_assigned": application.assigned_reviewer_id == request.user.pk,
    }
    return render(request, "reviews/workspace.html", context, status=status)


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    access = workspace_access(request, pk)
    if not access.declared:
        return render(
            request,
            "reviews/declare.html",
            {"application": access.application, "form": ClaimForm()},
        )
    return _workspace_page(request, access)


@login_required
@require_POST
def acknowledge_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned reviewer marks the applicant's answers as read: the queue stops flagging them.
    A POST of its own, so that opening the workspace changes nothing."""
    application, declared = workspace_application(request, pk)
    if not declared or application.assigned_reviewer_id != request.user.pk:
        raise Http404("No such application in your queue")
    services.review_acknowledge_answers(application=application, actor=request.user)
    messages.success(request, "The answers are marked as read.")
    return redirect("reviews:workspace", application.pk)


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    application, declared = workspace_application(request, pk)
    form = ClaimForm(request.POST)
    if not declared:
        if not (form.is_valid() and form.cleaned_data["no_conflict"]):
            form.add_error("no_conflict", services.NO_CONFLICT_REQUIRED)
            return render(
                request,
                "reviews/declare.html",
                {"application": application, "form": form},
                status=400,
            )
        services.review_declare_no_conflict(application=application, actor=request.user)
    return redirect("reviews:workspace", application.pk)


def _scores_form(request: HttpRequest, pk: int):
    """The workspace's access, the whole rubric's score form bound to what the reviewer sent, and
    the criteria and saved scores read for it."""
    access = declared_workspace_access(request, pk)
    criteria = selectors.applicable_criteria(application=access.application)
    saved = selectors.saved_scores(application=access.application)
    form = RubricScoresForm(request.POST, criteria=criteria, saved=saved)
    return access, form, criteria, saved


@login_required
@require_POST
def save_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the whole rubric at once: every demonstration's choices travel in the one form, so
    saving from any panel keeps what was chosen in the others. The page comes back at the panel
    whose button was pressed."""
    access, form, _, _ = _scores_form(request, pk)
    application = access.application
    status = call_service(
        form,
        lambda _: services.review_save_scores(
            application=application, actor=request.user, scores=form.scores()
        ),
    )
    if status is None:
        messages.success(request, "Your scores are saved, in every demonstration.")
        panel = request.POST.get("panel", "")
        anchor = f"#demonstration-{panel}" if panel in Demonstration.values else ""
        return redirect(f"{reverse('reviews:workspace', args=[pk])}{anchor}")
    return _workspace_page(request, access, status, scores_form=form)


@login_required
@require_POST
def score_totals(request: HttpRequest, pk: int, demonstration: str) -> HttpResponse:
    """One demonstration's totals as the reviewer chooses scores, before they are saved: htmx
    asks on every change in the demonstration's panel, sending the whole rubric, and puts the
    fragment in its totals; the suggestion weighs every choice on the page. Nothing is saved;
    saving stays the form's button. Only whoever may save the scores may ask."""
    if demonstration not in Demonstration.values:
        raise Http404("No such demonstration")
    access, form, criteria, saved = _scores_form(request, pk)
    application = access.application
    if not access.may_score:
        raise PermissionDenied("Only the assigned reviewer scores, while the review is open.")
    context = {"application": application, "unsaved": True}
    if form.is_valid():
        try:
            results, suggestion = selectors.suggestion_with_unsaved_scores(
                application=application, scores=form.scores(), criteria=criteria, saved=saved
            )
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            context.update(result=results[demonstration], suggestion=suggestion)
    else:
        context["errors"] = [message for errors in form.errors.values() for message in errors]
    return render(
        request, "reviews/score_totals.html", context, status=400 if "errors" in context else 200
    )


@login_required
@require_POST
def record_finding(request: HttpRequest, pk: int) -> HttpResponse:
    access = declared_workspace_access(request, pk)
    application = access.application
    form = ComplianceFindingForm(request.POST)
    status = call_service(
        form,
        lambda data: services.review_record_compliance_finding(
            application=application, actor=request.user, **data
        ),
    )
    if status is None:
        messages.success(request, "Compliance finding saved.")
        return redirect(f"{reverse('reviews:workspace', args=[pk])}#compliance")
    return _workspace_page(request, access, status, finding_form=form)


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    access = declared_workspace_access(request, pk)
    application = access.application
    # The demonstrations the scoring finds not met, each asking for the reviewer's reason.
    _, suggestion = selectors.suggestion_for(application=application)
    form = RecommendationForm(request.POST, failing=suggestion.reasons)
    status = call_service(
        form,
        lambda data: services.review_recommend(
            application=application,
            actor=request.user,
            outcome=data["outcome"],
            reasons=form.reasons(),
            differs_reason=data["differs_reason"],
        ),
    )
    if status is None:
        messages.success(request, "Your recommendation went to a supervisor for sign-off.")
        return redirect("reviews:queue")
    return _workspace_page(request, access, status, recommend_form=form)


@login_required
def request_information(request: HttpRequest, pk: int) -> HttpResponse:
    application = declared_workspace_application(request, pk)
    due = deadlines.information_response_due(
        requested=timezone.localdate(),
        window_days=WorkloadSettings.current().information_request_days,
    )
    form = InformationRequestForm(request.POST or None, initial={"due": due})
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_request_information(
                application=application,
                actor=request.user,
                questions=form.questions(),
                due=data["due"],
                with_letter=data["with_letter"],
            ),
        )
        if status is None:
            messages.success(request, "The questions were sent to the applicant.")
            return redirect("reviews:queue")
    return render(
        request,
        "reviews/request_information.html",
        {"application": application, "form": form},
        status=status or HTTPStatus.OK,
    )
