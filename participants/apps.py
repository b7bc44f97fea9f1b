from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Program participants"

    def ready(self) -> None:
        # A certification decided in `certification` enters the register here: the signal keeps
        # the imports one-way (certification never imports participants).
        from participants import receivers  # noqa: F401
