from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        # Registers the app's Celery tasks, which services send by name (common.tasks).
        from certification import checks, tasks  # noqa: F401
