"""The register: a certification enters it in the decision's transaction."""

from django.utils import timezone

from certification.models import Decision
from participants.models import (
    Participant,
)
from participants.models.register import participant_search_text


def participant_register(*, decision: Decision, on_appeal: bool = False) -> Participant | None:
    """Enter a certification in the register (the `decision_issued` signal, inside the decision's
    transaction), or a denial reversed on appeal (`on_appeal`: certified the day of the appeal's
    decision); any other denial enters nothing. What is covered is copied now, so a later edit of
    the organisation's profile never changes what CBP certified. Safe to call twice."""
    if decision.outcome != Decision.Outcome.CERTIFIED and not on_appeal:
        return None
    application = decision.application
    snapshot = application.profile_snapshot or {}
    legal_name = snapshot.get("legal_name") or application.organisation.legal_name
    numbers = list(snapshot.get("importer_numbers") or [])
    participant, _ = Participant.objects.get_or_create(
        application=application,
        defaults={
            "organisation_id": application.organisation_id,
            "decision": decision,
            "certified_on": timezone.localdate()
            if on_appeal
            else timezone.localdate(decision.decided_at),
            "route": application.route,
            "terms": decision.terms,
            "legal_name": legal_name,
            "importer_numbers": numbers,
            "search_text": participant_search_text(
                legal_name=legal_name,
                reference=application.reference or "",
                importer_numbers=numbers,
            ),
        },
    )
    return participant


# A participant that is no longer in the program files nothing more.
