"""CBP's pages: the staff dashboard, the queue, claiming and assigning. Staff only: anyone else is
told the page does not exist (404), so the staff side is not disclosed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from certification.models import WorkloadSettings
from certification.workflow import StaleApplication
from recordkeepers.rules import is_cbp_staff, is_reviewer, is_supervisor
from reviews import selectors, services
from reviews.forms import AssignForm, ClaimForm, QueueFilterForm

PAGE_SIZE = 25


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


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
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    reviewers = list(selectors.reviewers())
    form = QueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.filters() if request.GET else selectors.QueueFilters()
    rows = selectors.queue(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    workload = WorkloadSettings.current()
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "rows": [(row, selectors.why_here(row, workload)) for row in page],
            "counts": selectors.queue_counts(user=request.user),
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
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.review_claim(
                application=application,
                reviewer=request.user,
                no_conflict=form.cleaned_data["no_conflict"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleApplication as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            form.add_error(None, error.messages)
            status = 400
        else:
            messages.success(request, f"{application.reference} is yours. The review has started.")
            return redirect("certification:application-detail", application.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "reviews/claim.html",
        {"application": application, "form": form},
        status=status,
    )


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor assigns or reassigns one application."""
    _staff(request)
    if not is_supervisor(request.user):
        raise PermissionDenied("Only a supervisor assigns applications.")
    application = selectors.queue_application(user=request.user, pk=pk)
    form = AssignForm(request.POST or None, reviewers=selectors.reviewers())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_assign(
                    application=application,
                    supervisor=request.user,
                    reviewer=form.cleaned_data["reviewer"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except ValidationError as error:
                for field, errors in _by_field(error).items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    f"{application.reference} is assigned to {form.cleaned_data['reviewer']}.",
                )
                return redirect("reviews:queue")
        else:
            status = 400
    return render(
        request,
        "reviews/assign.html",
        {"application": application, "form": form},
        status=status,
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """A supervisor gives several applications to one reviewer. Any with a known link to the
    reviewer is left out and named: those need an override reason, one by one."""
    _staff(request)
    if not is_supervisor(request.user):
        raise PermissionDenied("Only a supervisor assigns applications.")
    reviewer = selectors.reviewers().filter(pk=request.POST.get("reviewer") or 0).first()
    ids = [int(i) for i in request.POST.getlist("applications") if i.isdigit()]
    if reviewer is None or not ids:
        messages.error(request, "Choose applications and a reviewer to assign them to.")
        return redirect("reviews:queue")
    assigned, refused = [], []
    for application in selectors.queue_visible_to(user=request.user).filter(pk__in=ids):
        try:
            services.review_assign(
                application=application, supervisor=request.user, reviewer=reviewer
            )
        except (ValidationError, PermissionDenied):
            refused.append(application.reference)
        else:
            assigned.append(application.reference)
    if assigned:
        messages.success(request, f"Assigned to {reviewer}: {', '.join(assigned)}.")
    if refused:
        messages.warning(
            request,
            f"Not assigned, because of a link to the organization or their state: "
            f"{', '.join(refused)}. Assign them one by one to give a reason.",
        )
    return redirect("reviews:queue")
