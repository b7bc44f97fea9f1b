"""The staff dashboard and the review queue."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from recordkeepers.rules import is_cbp_staff, is_reviewer, is_supervisor
from reviews import selectors
from reviews.forms import (
    QueueFilterForm,
)
from reviews.views.access import staff_only
from reviews.views.queue_rows import queue_rows
from reviews.workload import workload_panel

PAGE_SIZE = 25


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
    reviewers = selectors.reviewer_choices()
    form = QueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.filters() if request.GET else selectors.QueueFilters()
    # The page named by the link (numbered, or a cursor past page 10): a page that does not exist
    # is a 404, a cursor not of our making a 400 (reviews.selectors.queue_pages).
    queue = selectors.queue_page(
        user=request.user,
        filters=filters,
        per_page=PAGE_SIZE,
        **{name: request.GET.get(name) for name in selectors.PAGE_PARAMETERS},
    )
    supervising = is_supervisor(request.user)
    rows = queue_rows(queue.rows, user=request.user, is_supervisor=supervising)
    # The table's rows, by Jinja2 (jinja2/reviews/queue_rows.html; ADR 0007), which escaped
    # every value it placed (autoescape, common/jinja2.py): safe to put in the page as it is.
    rows_html = mark_safe(  # noqa: S308
        get_template("reviews/queue_rows.html", using="jinja2").render(
            {"rows": rows, "is_supervisor": supervising}
        )
    )

    def href(parameters: dict[str, str] | None) -> str | None:
        """A link to another page: the filters kept, the page's own parameters replaced."""
        if parameters is None:
            return None
        query = request.GET.copy()
        for name in selectors.PAGE_PARAMETERS:
            query.pop(name, None)
        query.update(parameters)
        return f"?{query.urlencode()}"

    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "queue": queue,
            "pages": {
                "numbered": [(n, href(p)) for n, p in queue.numbered.items()],
                "previous": href(queue.previous),
                "next": href(queue.next),
                "last": href(queue.last),
            },
            "rows": rows,
            "rows_html": rows_html,
            "counts": queue.counts,
            "is_supervisor": supervising,
            "reviewers": reviewers,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
