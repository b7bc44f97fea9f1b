"""What the participants' views share: the signed-in person's participant, the staff check, a
service that makes a record, and a participant's page context."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from certification.letters.selectors import letters_for_application
from certification.responses import call_service
from participants import selectors, services
from participants.access import acts_for_cbp
from participants.models import Participant
from recordkeepers.rules import is_cbp_staff


def create_record(form, create, *, unkeyed_to: str | None = None):
    """`call_service` for a service that makes a record: the status, and the record made."""
    made: list = []
    status = call_service(
        form,
        lambda data: made.append(create(data)),
        refusals=(PermissionDenied,),
        unkeyed_to=unkeyed_to,
    )
    return status, (made[0] if made else None)


def own_participant(request: HttpRequest) -> Participant:
    participant = selectors.participant_for_member(user=request.user)
    if participant is None:
        raise Http404("Your organization is not certified")
    return participant


def staff_only(request: HttpRequest) -> None:
    if not is_cbp_staff(request.user):
        raise Http404("No such page")


def participant_context(request: HttpRequest, participant: Participant) -> dict:
    application = participant.application
    return {
        "participant": participant,
        "application": application,
        "individuals": application.designated_individuals.order_by("kind", "pk"),
        "expiry": selectors.expiry_of(participant=participant),
        "reports": selectors.reports_of(participant=participant),
        "notices": selectors.notices_of(participant=participant, user=request.user),
        "letters": letters_for_application(application=application),
        "is_staff_viewer": is_cbp_staff(request.user),
        "removal_suggested": is_cbp_staff(request.user)
        and services.removal_suggested(participant=participant),
        "removals": participant.removals.select_related("proposed_by", "decided_by")
        if is_cbp_staff(request.user)
        else participant.removals.exclude(status__in=["proposed", "declined"]),
        "appealable": services.appealable(application=application),
        "may_act": acts_for_cbp(request.user, participant),
        "appeals": application.appeals.all(),
        "events": selectors.participant_timeline(user=request.user, participant=participant),
        "today": timezone.localdate(),
    }
