"""Reads of letters, with access checks."""

from django.http import Http404

from certification.models import (
    Application,
    Letter,
    LetterStatus,
)
from recordkeepers.models import User


def letters_for_application(*, application: Application) -> list[Letter]:
    """An application's letters, newest first, with the template version each used. The caller has
    already fetched `application` through application_get_for_user."""
    return list(application.letters.select_related("template").order_by("-created_at", "-pk"))


def letter_get_for_user(*, user: User, pk: int) -> Letter:
    """A ready letter if `user` may see its application; otherwise 404."""
    letter = (
        Letter.objects.select_related("application__organisation")
        .filter(pk=pk, status=LetterStatus.READY)
        .first()
    )
    if letter is None or not user.has_perm("certification.download_letter", letter.application):
        raise Http404("No such letter")
    return letter
