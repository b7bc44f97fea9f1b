"""The staff dashboard and the review queue."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from common.links import PkLink
from recordkeepers.rules import is_cbp_staff, is_reviewer, is_supervisor
from reviews import selectors
from reviews.forms import (
    QueueFilterForm,
)
from reviews.views.access import staff_only
from reviews.workload import workload_panel

PAGE_SIZE = 25
# The links of a queue row: the template's name for each, and the URL pattern it leads to.
ROW_LINKS = {
    "workspace": "workspace",
    "record": "record",
    "claim": "claim",
    "sign_off": "sign-off",
    "assign": "assign",
}


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
    staff_only(request)
    reviewers = list(selectors.reviewers())
    form = QueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.filters() if request.GET else selectors.QueueFilters()
    queue = selectors.queue_page(
        user=request.user, filters=filters, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    # Each row's links, reversed once for the page (common.links).
    links = {key: PkLink(f"reviews:{name}") for key, name in ROW_LINKS.items()}
    rows = [
        (application, why, {key: link(application.pk) for key, link in links.items()})
        for application, why in queue.rows
    ]
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page_obj": queue.page,
            "page_range": queue.page.paginator.get_elided_page_range(queue.page.number),
            "rows": rows,
            "counts": queue.counts,
            "is_supervisor": is_supervisor(request.user),
            "reviewers": reviewers,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
