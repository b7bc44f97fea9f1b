"""What the participants app does when `certification` tells it something (`certification.signals`)."""

from django.dispatch import receiver

from certification.models import Decision
from certification.signals import decision_issued
from participants.services import participant_register


@receiver(decision_issued, sender=Decision, dispatch_uid="participants.register")
def register_certified(*, decision: Decision, **_: object) -> None:
    participant_register(decision=decision)
