"""Evidence: a file an applicant uploaded, stored privately."""

from django.db import models

from certification.models.applications import Application
from certification.models.handbook import Demonstration


class Evidence(models.Model):
    """An uploaded file supporting one demonstration.

    Stored privately under a random name; the original name is kept for display only. Served only
    through a permission-checked view.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    demonstration = models.CharField(
        max_length=3,
        choices=Demonstration.choices,
        blank=True,
        help_text="Blank only for a file answering a general question from CBP.",
    )
    request_item = models.ForeignKey(
        "InformationRequestItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The question from CBP this file answers, if any.",
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Sniffed from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "demonstration", "uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name
