from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "CBP reviews"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from reviews import signals  # noqa: F401  (connects the receivers)
        from reviews.models import ScoringSettings

        # Changes to the scoring thresholds go in the audit trail, with who made them.
        auditlog.register(ScoringSettings)
