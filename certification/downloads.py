"""Serving private files (evidence and letters), only to those who may see their application."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from certification.selectors import evidence_get_for_user, letter_get_for_user


def _private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download. Always a download, never rendered by the browser as another
    type, never kept in a shared cache; and should a browser display it anyway, it runs no script
    and loads nothing, in a sandbox without our origin."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def evidence_download(request, pk: int) -> FileResponse:
    """An applicant's upload, with the type sniffed from its content when it was stored."""
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    return _private_download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
@require_GET
def letter_download(request, pk: int) -> FileResponse:
    """A ready letter: our own PDF, but personal."""
    letter = letter_get_for_user(user=request.user, pk=pk)
    return _private_download(letter.file, filename=letter.filename, content_type="application/pdf")
