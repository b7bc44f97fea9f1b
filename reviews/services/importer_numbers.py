"""The one place a Social Security number is opened: the review, where the reviewer or a supervisor
checks the applicant's importer numbers against CBP's records of the importer (CBP Form 5106).
Each look is an event on the application, naming who looked (recordkeepers.importer_numbers)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from certification.events import EventVerb
from certification.models import Application, Event
from recordkeepers.importer_numbers import in_full
from recordkeepers.models import User
from recordkeepers.rules import may


@transaction.atomic
def review_show_importer_numbers(*, application: Application, actor: User) -> list[str]:
    """The application's importer numbers in clear, as submitted, for `actor` to check; the look
    is recorded, and never shown to the applicant."""
    if not may(actor, "reviews.see_importer_numbers", application):
        raise PermissionDenied("Only the application's reviewer or a supervisor sees these.")
    snapshot = application.profile_snapshot or {}
    numbers = in_full(
        snapshot.get("importer_numbers") or [], snapshot.get("sealed_importer_numbers") or ""
    )
    Event.objects.record(
        application=application, actor=actor, verb=EventVerb.IMPORTER_NUMBERS_SHOWN
    )
    return numbers
