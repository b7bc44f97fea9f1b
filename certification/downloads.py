"""Serving private files: evidence, only to those who may see its application."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from certification.selectors import evidence_get_for_user


@login_required
@require_GET
def evidence_download(request, pk: int) -> FileResponse:
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    # The file came from an applicant. Always a download, never rendered by the browser as another
    # type, never kept in a shared cache; and should a browser display it anyway, it runs no script
    # and loads nothing, in a sandbox without our origin.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
