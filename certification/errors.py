"""Why a change to an application was refused. Both are ValidationErrors, so a form shows them."""

from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The move is not allowed from the application's current state."""


class StaleApplication(ValidationError):
    """The change was made from an older copy of the application than the one stored."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "This application was changed by someone else since you opened it. "
            "Reload the page to see the latest version; nothing was saved."
        )
