from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Program participants"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        # A certification decided in `certification` enters the register here: the signal keeps
        # the imports one-way (certification never imports participants).
        from participants import receivers  # noqa: F401
        from participants.models import ParticipantSettings

        # Changes to the periods after certification go in the audit trail, with who made them.
        auditlog.register(ParticipantSettings)
