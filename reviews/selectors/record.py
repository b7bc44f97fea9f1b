"""CBP's record of one application, whatever its state: what was decided and why, the letters and
their state, the review as it stands (read-only), CBP's questions and the history."""

from dataclasses import dataclass

from django.http import Http404

from certification.letters.selectors import letters_for_application
from certification.models import Application, Decision, InformationRequest, Letter
from certification.selectors import TimelineEntry, application_timeline
from certification.wizard.summary import summary as answers_summary
from recordkeepers.models import User
from reviews import scoring
from reviews.access import applications_visible_to_staff
from reviews.models import ComplianceFinding, Recommendation
from reviews.selectors.recommendations import recommendation_latest, recusals_for
from reviews.selectors.scores import suggestion_for
from reviews.selectors.workspace import information_requests_for_review


def staff_application_get(*, user: User, pk: int) -> Application:
    """An application `user` may see as CBP staff (`reviews.access`), in any state; else 404."""
    application = (
        applications_visible_to_staff(user=user)
        .select_related("organisation", "assigned_reviewer", "handbook_edition")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def staff_letter_get(*, user: User, pk: int) -> Letter:
    """A letter of an application `user` may see as CBP staff; else 404."""
    letter = (
        Letter.objects.select_related("application")
        .filter(pk=pk, application__in=applications_visible_to_staff(user=user))
        .first()
    )
    if letter is None:
        raise Http404("No such letter")
    return letter


@dataclass(frozen=True)
class ApplicationRecord:
    application: Application
    decision: Decision | None
    recommendation: Recommendation | None
    results: list[scoring.DemonstrationResult]
    suggestion: scoring.Suggestion
    finding: ComplianceFinding | None
    letters: list[Letter]
    information_requests: list[InformationRequest]
    sections: list[dict]
    recusals: list
    timeline: list[TimelineEntry]


def application_record_for(*, user: User, application: Application) -> ApplicationRecord:
    """The record of an application found through `staff_application_get`."""
    results, suggestion = suggestion_for(application=application)
    return ApplicationRecord(
        application=application,
        decision=Decision.objects.select_related("decided_by", "recommended_by")
        .filter(application=application)
        .first(),
        recommendation=recommendation_latest(application=application),
        results=list(results.values()),
        suggestion=suggestion,
        finding=ComplianceFinding.objects.filter(application=application).first(),
        letters=letters_for_application(application=application),
        information_requests=information_requests_for_review(application=application),
        sections=answers_summary(application),
        recusals=recusals_for(application=application),
        timeline=application_timeline(user=user, application=application),
    )
