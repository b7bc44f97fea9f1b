"""The staff dashboard and the review queue."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from common import cache_versions
from recordkeepers.rules import is_cbp_staff, is_reviewer, is_supervisor
from reviews import selectors
from reviews.forms import QueueFilterForm, filters_fragment_key
from reviews.selectors.queue_pages import matches_read
from reviews.views.access import staff_only
from reviews.views.queue_body import body_context
from reviews.views.queue_rows import queue_rows
from reviews.workload import workload_panel

PAGE_SIZE = 25
# The filter form's HTML is kept this long at most; a change to the reviewers makes it stale.
FILTERS_SECONDS = 600


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
    # The filters asked for: the query string less the page's own parameters (a link to page 3,
    # or past a cursor, carries both). With none, the form is only made if its HTML is not in the
    # cache.
    asked = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in selectors.PAGE_PARAMETERS:
            asked.setlist(name, values)
    fragment = filters_fragment_key(asked)
    # The counts, the reviewers, the workload settings, the filter form's HTML and, filtered, how
    # many match: one trip to the cache for all (common.cache_versions.read_ahead).
    reads = [*selectors.queue_reads(user=request.user), (fragment, selectors.PEOPLE)]
    if (matches := matches_read(user=request.user, asked=asked)) is not None:
        reads.append(matches)
    with cache_versions.read_ahead(reads):
        reviewers = selectors.reviewer_choices()
        form = QueueFilterForm(asked, reviewers=reviewers) if asked else None
        filters = form.filters() if form is not None else selectors.QueueFilters()
        # The page named by the link (numbered, or a cursor past page 10): a page that does not
        # exist is a 404, a cursor not of our making a 400 (reviews.selectors.queue_pages).
        queue = selectors.queue_page(
            user=request.user,
            filters=filters,
            per_page=PAGE_SIZE,
            **{name: request.GET.get(name) for name in selectors.PAGE_PARAMETERS},
        )
        filters_html = cache_versions.cached(
            fragment,
            selectors.PEOPLE,
            lambda: as_crispy_form(form or QueueFilterForm(reviewers=reviewers)),
            timeout=FILTERS_SECONDS,
        )
    supervising = is_supervisor(request.user)
    errors = form is not None and bool(form.errors)
    errors_html = render_to_string("uswds/errors.html", {"form": form}, request) if errors else ""
    # The body, its rows included, by Jinja2 (jinja2/reviews/queue_body.html; ADR 0007), which
    # escaped every value it placed (autoescape, common/jinja2.py): the HTML it was given (the
    # filter form, the error summary) was Django's, escaped when rendered.
    body = get_template("reviews/queue_body.html", using="jinja2").render(
        body_context(
            request,
            queue,
            is_supervisor=supervising,
            errors_html=mark_safe(errors_html),  # noqa: S308
            filters_html=mark_safe(filters_html),  # noqa: S308
            reviewers=reviewers,
            rows=queue_rows(queue.rows, user=request.user, is_supervisor=supervising),
        )
    )
    return render(
        request,
        "reviews/queue.html",
        {"errors": errors, "body": mark_safe(body)},  # noqa: S308
        status=400 if errors else 200,
    )
