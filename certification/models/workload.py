"""CBP's scheduling parameters."""

from django.db import models

from common.models import SingletonModel
from recordkeepers.models import SizeClass


class WorkloadSettings(SingletonModel):
    """CBP's scheduling parameters and the program's deadlines, kept by admins. One row; read with
    `WorkloadSettings.current()`.

    Workload shapes scheduling only (queue priority, expected timelines); it is never a reason in a
    decision. The deadlines' windows (answering CBP's questions, appealing) are the one source every
    date computed from them reads (`certification.deadlines`).
    """

    reviewer_capacity = models.PositiveSmallIntegerField(
        default=8, help_text="Open applications one reviewer works at a time."
    )
    target_days_micro = models.PositiveSmallIntegerField("target review days, micro", default=30)
    target_days_small = models.PositiveSmallIntegerField("target review days, small", default=45)
    target_days_medium = models.PositiveSmallIntegerField("target review days, medium", default=60)
    target_days_large = models.PositiveSmallIntegerField("target review days, large", default=90)
    information_request_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days an applicant has to answer a request for information."
    )
    appeal_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days after a denial or removal within which an appeal may be filed."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "workload settings"
        verbose_name_plural = "workload settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="workload_single_row")]

    def __str__(self) -> str:
        return "Workload settings"

    def target_days(self, size_class: SizeClass | str) -> int:
        return getattr(self, f"target_days_{SizeClass(size_class).value}")
