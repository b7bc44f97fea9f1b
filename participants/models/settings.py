"""What admins set for the program after certification. The law sets none of these periods (see
docs/traceability.md): each is a setting, and the deadline engine (`certification.deadlines`) is
given it."""

from django.db import models

from common.models import SingletonModel


class ParticipantSettings(SingletonModel):
    validity_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Days a certification is valid. Blank: it does not expire (the law sets no period).",
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="Days before a certification expires that the participant is reminded.",
    )
    corrective_action_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Days a participant has, by default, for a corrective action CBP asks for.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days before something is due that a reminder goes out."
    )

    class Meta:
        verbose_name = "participant settings"
        verbose_name_plural = "participant settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="participant_settings_single_row")
        ]

    def __str__(self) -> str:
        return "Participant settings"
