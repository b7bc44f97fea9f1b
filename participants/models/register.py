"""The participant register: one row for each certification CBP has issued."""

from django.db import models

from certification.models import Application
from recordkeepers.validators import compact_number, is_masked


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REMOVAL_PROPOSED = "removal_proposed", "Removal proposed"
    REMOVED = "removed", "Removed"
    REINSTATED = "reinstated", "Reinstated"


class Participant(models.Model):
    """A certified recordkeeper in the program, from the decision that certified it.

    What the certification covers is copied from the decision when it is issued (route, CBP's
    recorded terms, importer numbers), so a later edit of the organisation's profile never changes
    what CBP certified. `status` changes only through `participants.workflow`, by compare-and-set on
    (status, version), each move an event on the certified application's timeline.
    """

    Status = ParticipantStatus

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="participant"
    )
    organisation = models.ForeignKey(
        "recordkeepers.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    decision = models.OneToOneField(
        "certification.Decision", on_delete=models.PROTECT, related_name="participant"
    )
    certified_on = models.DateField()
    route = models.CharField(max_length=16, choices=Application.Route.choices)
    terms = models.TextField(
        blank=True, help_text="For a negotiated alternative program: the terms CBP recorded."
    )
    legal_name = models.CharField(max_length=200)
    importer_numbers = models.JSONField(default=list)
    search_text = models.TextField(
        editable=False,
        help_text="What the register's search reads: the name, the reference and the importer "
        "numbers, as written and with only their letters and digits.",
    )
    status = models.CharField(
        max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the renewal reminder went out (participants.reminders), once.
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["legal_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ParticipantStatus.values),
                name="participant_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "certified_on"])]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.application.reference})"


# Letters and digits only, lower case: "27-1000001-00" and "271000000100" meet here.
bare = compact_number


def participant_search_text(*, legal_name: str, reference: str, importer_numbers: list[str]) -> str:
    """What the register's search reads. A masked Social Security number is left out: the register
    finds one whole through its application's search digest (participants.selectors.register)."""
    numbers = [n for n in importer_numbers if not is_masked(n)]
    parts = [legal_name.lower(), reference.lower()]
    parts += [n.lower() for n in numbers] + [bare(n) for n in numbers]
    return " ".join(parts)
