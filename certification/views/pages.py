from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from certification.events import describe_verb
from certification.selectors import applications_for_organisation
from certification.services.drafts import BLOCKS_NEW_APPLICATION
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
