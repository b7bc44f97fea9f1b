from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certification.celery import app as celery_app
from certification.models import describe_verb
from certification.selectors import applications_for_organisation
from certification.services import BLOCKS_NEW_APPLICATION
from certification.views.applications import NEXT_ACTION
from recordkeepers.rules import is_cbp_staff
from recordkeepers.selectors import membership_for_user


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to the dashboard for their role."""
    if is_cbp_staff(request.user):
        return redirect("reviews:dashboard")
    membership = membership_for_user(user=request.user)
    if membership is None:
        return redirect("recordkeepers:organisation-create")
    applications = applications_for_organisation(organisation=membership.organisation)
    return render(
        request,
        "certification/dashboard.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "applications": [
                (a, NEXT_ACTION[a.status], a.latest_verb and describe_verb(a.latest_verb))
                for a in applications
            ],
            "may_start": not any(a.status in BLOCKS_NEW_APPLICATION for a in applications),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of what the service depends on: the database always, the broker when configured."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    if settings.CELERY_BROKER_URL:
        try:
            with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as error:
            checks["broker"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
