"""CBP's record of an application in any state, the page staff links lead to once the review is
done (and from the queue for what is not theirs to work on)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certification.workflow import AWAITING_CBP
from recordkeepers.rules import may
from reviews.selectors.record import application_record_for, staff_application_get
from reviews.views.access import staff_only


@login_required
@require_GET
def application_record(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    application = staff_application_get(user=request.user, pk=pk)
    record = application_record_for(user=request.user, application=application)
    return render(
        request,
        "reviews/record.html",
        {
            "record": record,
            "application": application,
            "letters": record.letters,
            "information_requests": record.information_requests,
            "sections": record.sections,
            "individuals": application.designated_individuals.all(),
            "evidence": application.evidence.all(),
            "events": record.timeline,
            "is_staff_viewer": True,
            # The workspace is the review's: it opens only while the application waits for CBP.
            "can_work_on": application.status in AWAITING_CBP
            and may(request.user, "reviews.open_workspace", application),
        },
    )
