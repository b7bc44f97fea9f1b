"""The supervisor's sign-off of a recommendation, the preview of the letter it would issue, and
sending a failed letter to be rendered again."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters.previews import decision_letter_preview, pdf_inline_response
from certification.models import Application, ApplicationStatus
from certification.responses import call_service
from certification.selectors import application_timeline
from recordkeepers.rules import is_supervisor, may
from reviews import selectors, services
from reviews.forms import (
    SignOffForm,
)
from reviews.models import Recommendation
from reviews.selectors.record import staff_letter_get
from reviews.views.access import staff_only


def _to_sign_off(request: HttpRequest, pk: int) -> tuple[Application, Recommendation]:
    """The application a supervisor may sign off, and its latest recommendation; 404 for anyone
    else, and for an application with nothing to sign off."""
    staff_only(request)
    if not is_supervisor(request.user):
        raise Http404("No such page")
    application = selectors.queue_application(user=request.user, pk=pk)
    recommendation = selectors.recommendation_latest(application=application)
    if application.status != ApplicationStatus.RECOMMENDED or recommendation is None:
        raise Http404("Nothing to sign off")
    return application, recommendation


def _may_preview(
    request: HttpRequest, application: Application, recommendation: Recommendation
) -> bool:
    """Whether the user may issue this decision, and so preview its letter: not the reviewer who
    recommended (four eyes), even one who also supervises."""
    return (
        may(request.user, "certification.decide_application", application)
        and recommendation.reviewer_id != request.user.pk
    )


@login_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor's sign-off: issue the decision, or return it to the reviewer."""
    application, recommendation = _to_sign_off(request, pk)
    alternative = application.route == Application.Route.ALTERNATIVE
    form = SignOffForm(
        request.POST or None,
        alternative=alternative,
        initial={"terms": application.proposed_terms} if alternative else None,
    )
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.review_sign_off(
                application=application,
                actor=request.user,
                decision=data["decision"],
                comments=data["comments"],
                terms=data.get("terms") if alternative else None,
            ),
            refusals=(PermissionDenied,),
        )
        if status is None and form.cleaned_data["decision"] == services.SIGN_OFF_RETURN:
            messages.success(request, "Returned to the reviewer.")
            return redirect("reviews:queue")
        if status is None:
            # The decision asked for its letter; its page shows the letter as it is rendered.
            messages.success(
                request,
                f"Decision issued on {application.reference}. Its letter is being prepared: "
                "this page shows when it is ready.",
            )
            return redirect("reviews:record", application.pk)
    results, suggestion = selectors.suggestion_for(application=application)
    return render(
        request,
        "reviews/sign_off.html",
        {
            "application": application,
            "recommendation": recommendation,
            "reasons": [letters.reason_item(reason) for reason in recommendation.reasons],
            "results": results.values(),
            "suggestion": suggestion,
            "finding": getattr(application, "compliance_finding", None),
            "information_requests": selectors.information_requests_for_review(
                application=application
            ),
            "form": form,
            "events": application_timeline(user=request.user, application=application),
            "may_preview": _may_preview(request, application, recommendation),
        },
        status=status or HTTPStatus.OK,
    )


@login_required
@require_GET
def sign_off_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter the decision would produce, as a PDF marked "Preview — not issued", rendered now
    and kept nowhere; only for a supervisor who may sign this application off."""
    application, recommendation = _to_sign_off(request, pk)
    if not _may_preview(request, application, recommendation):
        raise Http404("Nothing to sign off")
    facts = selectors.recommendation_as_decision(
        application=application, recommendation=recommendation
    )
    return pdf_inline_response(
        decision_letter_preview(facts=facts),
        filename=f"{application.reference}-preview-not-issued.pdf",
    )


@login_required
@require_POST
def letter_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff send a failed letter to be rendered again."""
    staff_only(request)
    letter = staff_letter_get(user=request.user, pk=pk)
    try:
        letter_lifecycle.letter_retry(letter=letter, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The letter was sent to be rendered again.")
    return redirect("reviews:record", letter.application_id)
