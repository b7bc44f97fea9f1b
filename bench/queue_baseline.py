"""The old baseline of the review queue's benchmark: 25 rows of the same table, read without an index.

A staff-only page behind the same login, middleware and second-factor check as the queue, listing
the 25 most recently submitted applications' reference, status and submission time: one query on
`Application`, no joins, no annotations, no count. Its template extends the site's layout, as every
page of the service does, so whatever the queue costs beyond it is the queue's own work: its
filters, counts, priority, joins and rows. Used only by `bench.queue`, through this module's
`urlpatterns`; it is not routed in the service.

No index leads with `submitted_at`, so its query reads and sorts the whole table (about 157 ms at
100,000 applications) and hides the queue's own cost: the queue is now measured against a fair
floor (`bench.queue_floor`), which routes this page too, so that the rows measured against it can
be reproduced (`python -m bench.queue --old-baseline`).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from certification.models import Application
from recordkeepers.rules import is_cbp_staff

TEMPLATE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}Latest applications{% endblock title %}
{% block content %}
  <h1>Latest applications</h1>
  <table class="usa-table">
    <thead><tr><th scope="col">Application</th><th scope="col">Status</th><th scope="col">Submitted</th></tr></thead>
    <tbody>
      {% for row in rows %}
        <tr data-row><th scope="row">{{ row.reference }}</th><td>{{ row.status }}</td><td>{{ row.submitted_at|date:"M j, Y" }}</td></tr>
      {% endfor %}
    </tbody>
  </table>
{% endblock content %}"""
)


@login_required
def latest_applications(request: HttpRequest) -> HttpResponse:
    if not is_cbp_staff(request.user):
        raise Http404("No such page")
    rows = Application.objects.order_by("-submitted_at").values(
        "reference", "status", "submitted_at"
    )[:25]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


urlpatterns = [
    path("bench/latest-applications", latest_applications, name="bench-latest-applications"),
    path("", include("config.urls")),
]
