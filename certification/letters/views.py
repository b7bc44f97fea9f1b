"""Downloading a letter."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from certification.letters.selectors import letter_get_for_user
from certification.responses import private_download


@login_required
@require_GET
def letter_download(request, pk: int) -> FileResponse:
    """A ready letter: our own PDF, but personal."""
    letter = letter_get_for_user(user=request.user, pk=pk)
    return private_download(letter.file, filename=letter.filename, content_type="application/pdf")
