from django.apps import AppConfig


class RecordkeepersConfig(AppConfig):
    name = "recordkeepers"
    verbose_name = "Recordkeepers and accounts"

    def ready(self) -> None:
        # Registers the app's Celery tasks, which services send by name (common.tasks).
        from recordkeepers import tasks  # noqa: F401
