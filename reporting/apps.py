from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reports and exports"

    def ready(self) -> None:
        # Who reads reports (rules register themselves when imported); the export tasks, which
        # services send by name (common.tasks).
        from reporting import rules, tasks  # noqa: F401
