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
    notice_response_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Days a participant has to answer a notice of violation with the steps it has "
        'taken to prevent recurrence ("a reasonable time", 19 CFR 163.12(d)).',
    )
    repeat_window_days = models.PositiveSmallIntegerField(
        default=365,
        help_text="The look-back window, in days before a demand, within which earlier failures "
        "to produce make a violation repeated.",
    )
    repeat_after = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many earlier failures to produce within the window make the next one a "
        "repeated violation (not eligible for a notice in lieu of a penalty).",
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
