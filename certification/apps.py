from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        # Registers the app's Celery tasks, which services send by name (common.tasks).
        from certification import checks, tasks  # noqa: F401
        from certification.models import (
            Criterion,
            Evidence,
            HandbookEdition,
            LetterTemplate,
            WorkloadSettings,
        )

        # What admins keep (the Handbook, letter texts, settings) and the evidence applicants
        # upload and remove go in the audit trail, with who did it (recordkeepers' middleware).
        # Applications are not: their Events are their trail.
        for model in (HandbookEdition, Criterion, LetterTemplate, WorkloadSettings, Evidence):
            auditlog.register(model)
