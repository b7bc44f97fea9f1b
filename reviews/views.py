"""CBP's pages: the staff dashboard, the queue, claiming and assigning. Staff only: anyone else is
told the page does not exist (404), so the staff side is not disclosed."""

from datetime import timedelta
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.letters import lifecycle as letter_lifecycle
from certification.models import ApplicationStatus, Demonstration, Letter, WorkloadSettings
from certification.selectors import application_timeline
from certification.views.responses import call_service
from recordkeepers.rules import is_cbp_staff, is_reviewer, is_supervisor
from reviews import selectors, services
from reviews.forms import (
    AssignForm,
    ClaimForm,
    ComplianceFindingForm,
    DemonstrationScoresForm,
    InformationRequestForm,
    QueueFilterForm,
    RecommendationForm,
    SignOffForm,
)
from reviews.workload import workload_panel

PAGE_SIZE = 25


def _staff(request: HttpRequest) -> None:
    if not (is_reviewer(request.user) or is_supervisor(request.user)):
        raise Http404("No such page")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_cbp_staff(request.user):
        raise Http404("No such page")
    counts = (
        selectors.queue_counts(user=request.user)
        if is_reviewer(request.user) or is_supervisor(request.user)
        else {}
    )
    return render(
        request,
        "reviews/dashboard.html",
        {
            "waiting_count": counts.get("unassigned", 0),
            "assigned_count": counts.get("mine", 0),
            "signoff_count": counts.get("recommended", 0),
            "workload": workload_panel(),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    reviewers = list(selectors.reviewers())
    form = QueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.filters() if request.GET else selectors.QueueFilters()
    queue = selectors.queue_page(
        user=request.user, filters=filters, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page_obj": queue.page,
            "page_range": queue.page.paginator.get_elided_page_range(queue.page.number),
            "rows": queue.rows,
            "counts": queue.counts,
            "is_supervisor": is_supervisor(request.user),
            "reviewers": reviewers,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer takes an application, declaring no conflict of interest."""
    _staff(request)
    application = selectors.queue_application(user=request.user, pk=pk)
    if not request.user.has_perm("reviews.claim_application", application):
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
    _staff(request)
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
        {"application": application, "form": form},
        status=status or HTTPStatus.OK,
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """A supervisor gives several applications to one reviewer. Any that cannot be assigned (a
    known link to the reviewer, its state) is left out and named with why: a link needs an
    override reason, given one by one."""
    _staff(request)
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


# --- The review workspace -----------------------------------------------------------------------


def _workspace_application(request: HttpRequest, pk: int):
    _staff(request)
    application = selectors.queue_application(user=request.user, pk=pk)
    if not request.user.has_perm("reviews.open_workspace", application):
        if application.assigned_reviewer_id == request.user.pk:
            return application, False  # assigned, but has not declared yet
        raise Http404("No such application in your queue")
    return application, True


def _workspace_context(request, application, *, score_forms=None, **forms_) -> dict:
    """The workspace as the selector reads it, with its forms: fresh ones, or those the reviewer
    sent back with errors."""
    workspace = selectors.workspace_for(user=request.user, application=application)
    panels = [
        {
            "demonstration": panel.demonstration,
            "answers": panel.answers,
            "evidence": panel.evidence,
            "result": panel.result,
            "form": (score_forms or {}).get(panel.demonstration.value)
            or DemonstrationScoresForm(
                prefix=panel.demonstration.value, criteria=panel.criteria, saved=workspace.saved
            ),
        }
        for panel in workspace.panels
    ]
    finding = workspace.finding
    return {
        "application": application,
        "profile": application.profile_snapshot,
        "profile_section": workspace.profile_section,
        "terms_section": workspace.terms_section,
        "panels": panels,
        "suggestion": workspace.suggestion,
        "individuals": workspace.individuals,
        "finding_form": forms_.get("finding_form")
        or ComplianceFindingForm(
            initial={"concern": finding.concern, "notes": finding.notes} if finding else None
        ),
        "recommend_form": forms_.get("recommend_form") or RecommendationForm(),
        "can_score": workspace.can_score,
        "events": workspace.timeline,
        "open_request": workspace.open_request,
        "unread_answers": workspace.unread_answers,
        "is_assigned": application.assigned_reviewer_id == request.user.pk,
    }


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    application, declared = _workspace_application(request, pk)
    if not declared:
        return render(
            request, "reviews/declare.html", {"application": application, "form": ClaimForm()}
        )
    return render(request, "reviews/workspace.html", _workspace_context(request, application))


@login_required
@require_POST
def acknowledge_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned reviewer marks the applicant's answers as read: the queue stops flagging them.
    A POST of its own, so that opening the workspace changes nothing."""
    application, declared = _workspace_application(request, pk)
    if not declared or application.assigned_reviewer_id != request.user.pk:
        raise Http404("No such application in your queue")
    services.review_acknowledge_answers(application=application, actor=request.user)
    messages.success(request, "The answers are marked as read.")
    return redirect("reviews:workspace", application.pk)


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    application, declared = _workspace_application(request, pk)
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


def _scores_form(request: HttpRequest, pk: int, demonstration: str):
    """The application, one demonstration's score form bound to what the reviewer sent, and the
    criteria and saved scores read for it."""
    application, declared = _workspace_application(request, pk)
    if not declared or demonstration not in Demonstration.values:
        raise Http404("No such demonstration")
    criteria = selectors.applicable_criteria(application=application)
    saved = selectors.saved_scores(application=application)
    group = [c for c in criteria if c.demonstration == demonstration]
    form = DemonstrationScoresForm(request.POST, prefix=demonstration, criteria=group, saved=saved)
    return application, form, criteria, saved


@login_required
@require_POST
def save_scores(request: HttpRequest, pk: int, demonstration: str) -> HttpResponse:
    application, form, _, _ = _scores_form(request, pk, demonstration)
    status = call_service(
        form,
        lambda _: services.review_save_scores(
            application=application, actor=request.user, scores=form.scores()
        ),
    )
    if status is None:
        messages.success(request, f"Scores for ({demonstration}) saved.")
        return redirect(f"{reverse('reviews:workspace', args=[pk])}#demonstration-{demonstration}")
    context = _workspace_context(request, application, score_forms={demonstration: form})
    return render(request, "reviews/workspace.html", context, status=status)


@login_required
@require_POST
def score_totals(request: HttpRequest, pk: int, demonstration: str) -> HttpResponse:
    """The totals of one demonstration as the reviewer chooses its scores, before they are saved:
    htmx asks on every change and puts the fragment in the demonstration's totals. Nothing is
    saved; saving stays the form's button. Only whoever may save the scores may ask."""
    application, form, criteria, saved = _scores_form(request, pk, demonstration)
    if not request.user.has_perm("reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer scores, while the review is open.")
    context = {"application": application, "unsaved": True}
    if form.is_valid():
        try:
            results, suggestion = selectors.suggestion_with_unsaved_scores(
                application=application,
                demonstration=demonstration,
                scores=form.scores(),
                criteria=criteria,
                saved=saved,
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
    application, declared = _workspace_application(request, pk)
    if not declared:
        raise Http404("No such application in your queue")
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
    context = _workspace_context(request, application, finding_form=form)
    return render(request, "reviews/workspace.html", context, status=status)


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application, declared = _workspace_application(request, pk)
    if not declared:
        raise Http404("No such application in your queue")
    form = RecommendationForm(request.POST)
    status = call_service(
        form,
        lambda data: services.review_recommend(
            application=application,
            actor=request.user,
            outcome=data["outcome"],
            reasons=form.extra_reasons(),
            differs_reason=data["differs_reason"],
        ),
    )
    if status is None:
        messages.success(request, "Your recommendation went to a supervisor for sign-off.")
        return redirect("reviews:queue")
    context = _workspace_context(request, application, recommend_form=form)
    return render(request, "reviews/workspace.html", context, status=status)


@login_required
def request_information(request: HttpRequest, pk: int) -> HttpResponse:
    application, declared = _workspace_application(request, pk)
    if not declared:
        raise Http404("No such application in your queue")
    days = WorkloadSettings.current().information_request_days
    form = InformationRequestForm(
        request.POST or None, initial={"due": timezone.localdate() + timedelta(days=days)}
    )
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


@login_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor's sign-off: issue the decision, or return it to the reviewer."""
    _staff(request)
    if not is_supervisor(request.user):
        raise Http404("No such page")
    application = selectors.queue_application(user=request.user, pk=pk)
    recommendation = selectors.recommendation_latest(application=application)
    if application.status != ApplicationStatus.RECOMMENDED or recommendation is None:
        raise Http404("Nothing to sign off")
    form = SignOffForm(request.POST or None)
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_sign_off(
                application=application,
                actor=request.user,
                decision=data["decision"],
                comments=data["comments"],
            ),
            refusals=(PermissionDenied,),
        )
        if status is None and form.cleaned_data["decision"] == services.SIGN_OFF_RETURN:
            messages.success(request, "Returned to the reviewer.")
            return redirect("reviews:queue")
        if status is None:
            # The decision asked for its letter; its page shows the letter as it is rendered.
            messages.success(
                request,
                f"Decision issued on {application.reference}. Its letter is being prepared: "
                "this page shows when it is ready.",
            )
            return redirect("certification:application-detail", application.pk)
    results, suggestion = selectors.suggestion_for(application=application)
    return render(
        request,
        "reviews/sign_off.html",
        {
            "application": application,
            "recommendation": recommendation,
            "results": results.values(),
            "suggestion": suggestion,
            "finding": getattr(application, "compliance_finding", None),
            "form": form,
            "events": application_timeline(user=request.user, application=application),
        },
        status=status or HTTPStatus.OK,
    )


@login_required
@require_POST
def letter_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff send a failed letter to be rendered again."""
    _staff(request)
    letter = get_object_or_404(Letter.objects.select_related("application"), pk=pk)
    try:
        letter_lifecycle.letter_retry(letter=letter, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The letter was sent to be rendered again.")
    return redirect("certification:application-detail", letter.application_id)
