from django.apps import AppConfig


class RecordkeepersConfig(AppConfig):
    name = "recordkeepers"
    verbose_name = "Recordkeepers and accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.models import Group

        # Registers the app's Celery tasks, which services send by name (common.tasks); connects
        # the receiver that records a sign-in from a new device.
        from recordkeepers import receivers, tasks  # noqa: F401
        from recordkeepers.models import User

        # Role changes go in the audit trail: a person's flags and groups, and what each group
        # may do. Only the fields named: never the password hash, nor last_login, which every
        # sign-in rewrites.
        auditlog.register(
            User,
            include_fields=["email", "full_name", "is_active", "is_staff", "is_superuser"],
            m2m_fields={"groups", "user_permissions"},
        )
        auditlog.register(Group, m2m_fields={"permissions"})
