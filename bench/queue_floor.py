"""The fair floor the review queue's pages are measured against: 25 application rows read through
an index, on the same stack as the queue.

A staff-only page behind the same login, middleware, session and second-factor check as the queue,
listing the 25 most recent applications (highest id first) with their reference, status and
submission time, through a small template that extends the site's layout (`base.html`) as the
queue's does. Its one query reads the primary key's index backwards and stops after 25 rows, so
it costs a fraction of a millisecond however many applications there are (`bench.queue` checks its
plan with EXPLAIN at every size): whatever the queue costs beyond it is the queue's own work.

The old baseline (`bench.queue_baseline`, the 25 most recently submitted, a query with no index to
use) stays routed here too, so that the rows measured against it can be reproduced
(`python -m bench.queue --old-baseline`). This module's `urlpatterns` is used only by the bench;
neither page is routed in the service.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from bench.queue_baseline import latest_applications
from certification.models import Application
from recordkeepers.rules import is_cbp_staff

ROWS = 25

TEMPLATE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}Recent applications{% endblock title %}
{% block content %}
  <h1>Recent applications</h1>
  <table class="usa-table">
    <thead><tr><th scope="col">Application</th><th scope="col">Status</th><th scope="col">Submitted</th></tr></thead>
    <tbody>
      {% for row in rows %}
        <tr data-row="{{ row.pk }}"><th scope="row">{{ row.reference }}</th><td>{{ row.status }}</td><td>{{ row.submitted_at|date:"M j, Y" }}</td></tr>
      {% endfor %}
    </tbody>
  </table>
{% endblock content %}"""
)


def floor_rows() -> QuerySet:
    """The floor's query: 25 rows by the primary key's index, newest first."""
    return Application.objects.order_by("-pk").values("pk", "reference", "status", "submitted_at")[
        :ROWS
    ]


@login_required
def queue_floor(request: HttpRequest) -> HttpResponse:
    if not is_cbp_staff(request.user):
        raise Http404("No such page")
    return HttpResponse(TEMPLATE.render({"rows": floor_rows()}, request))


def checked_plan() -> str:
    """The floor's plan, checked: a Limit over an index scan, no sort."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "not checked (not PostgreSQL)"
    sql, params = floor_rows().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE) {sql}", params)
        plan = [line for (line,) in cursor.fetchall()]
    nodes = [line.strip().removeprefix("->").strip() for line in plan]
    if not (
        nodes[0].startswith("Limit")
        and "Index" in nodes[1]
        and "Scan" in nodes[1]
        and not any(node.startswith("Sort") for node in nodes)
    ):
        raise SystemExit("The floor's query is not read through an index:\n" + "\n".join(plan))
    return f"{nodes[0].split('  ')[0]} over {nodes[1].split('  ')[0]}; {nodes[-1]}"


urlpatterns = [
    path("bench/queue-floor", queue_floor, name="bench-queue-floor"),
    path("bench/latest-applications", latest_applications, name="bench-latest-applications"),
    path("", include("config.urls")),
]
