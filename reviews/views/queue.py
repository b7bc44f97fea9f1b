"""The staff dashboard and the review queue."""

from dataclasses import asdict, dataclass

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
from reviews.views.access import staff_only
from reviews.views.queue_body import body_context
from reviews.views.queue_rows import queue_rows
from reviews.workload import workload_panel

PAGE_SIZE = 25


@dataclass(frozen=True)
class FiltersForm:
    """The filter form as a page needs it: its HTML, the filters it cleaned the query string to,
    and whether any value was wrong. Kept in the cache by what it depends on (the values asked
    for, and the reviewers it offers), so that a page does not make and validate the form."""

    html: str
    filters: selectors.QueueFilters
    errors: bool

    @classmethod
    def of(cls, form: QueueFilterForm) -> "FiltersForm":
        filters = form.filters() if form.is_bound else selectors.QueueFilters()  # validates
        return cls(str(as_crispy_form(form)), filters, form.is_bound and bool(form.errors))


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
    # or past a cursor, carries both).
    asked = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in selectors.PAGE_PARAMETERS:
            asked.setlist(name, values)
    fragment = filters_fragment_key(asked)
    # The counts, the reviewers, the workload settings, the filter form and, filtered, how many
    # match and how rare a searched word is: one trip to the cache for all
    # (common.cache_versions.read_ahead).
    reads = [*selectors.queue_reads(user=request.user), (fragment, selectors.PEOPLE)]
    if (matches := selectors.matches_read(user=request.user, asked=asked)) is not None:
        reads.append(matches)
    if (rarity := selectors.rarity_read(asked.get("search", ""))) is not None:
        reads.append(rarity)
    with cache_versions.read_ahead(reads):
        reviewers = selectors.reviewer_choices()
        # The form is made only when what it renders and cleans to is not in the cache, or to
        # show its errors.
        filters_form = cache_versions.cached(
            fragment,
            selectors.PEOPLE,
            lambda: FiltersForm.of(QueueFilterForm(asked or None, reviewers=reviewers)),
            timeout=FILTERS_SECONDS,
        )
        # The page named by the link (numbered, or a cursor past page 10): a page that does not
        # exist is a 404, a cursor not of our making a 400 (reviews.selectors.queue_pages).
        queue = selectors.queue_page(
            user=request.user,
            filters=filters_form.filters,
            per_page=PAGE_SIZE,
            **{name: request.GET.get(name) for name in selectors.PAGE_PARAMETERS},
        )
    errors_html = ""
    if filters_form.errors:
        form = QueueFilterForm(asked, reviewers=reviewers)
        form.is_valid()
        errors_html = render_to_string("uswds/errors.html", {"form": form}, request)
    supervising = is_supervisor(request.user)
    # The body, its rows included, by Jinja2 (jinja2/reviews/queue_body.html; ADR 0007), which
    # escaped every value it placed (autoescape, common/jinja2.py): the HTML it was given (the
    # filter form, the error summary) was Django's, escaped when rendered.
    body = get_template("reviews/queue_body.html", using="jinja2").render(
        body_context(
            request,
            queue,
            is_supervisor=supervising,
            errors_html=mark_safe(errors_html),  # noqa: S308
            filters_html=mark_safe(filters_form.html),  # noqa: S308
            reviewers=reviewers,
            rows=queue_rows(
                queue.rows,
                user=request.user,
                is_supervisor=supervising,
                is_reviewer=is_reviewer(request.user),
            ),
            search=filters_form.filters.search,
        )
    )
    return render(
        request,
        "reviews/queue.html",
        {
            "errors": filters_form.errors,
            "body": mark_safe(body),  # noqa: S308
            # What the page applied, for the export of those who read reports
            # (templates/reviews/includes/queue_export.html): invalid values it ignored are not.
            "applied_filters": [
                (name, value)
                for name, value in asdict(filters_form.filters).items()
                if value not in (None, "")
            ],
        },
        status=400 if filters_form.errors else 200,
    )
