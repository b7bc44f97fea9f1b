"""Responses the app's views share."""

from django.http import FileResponse


def private_download(file, *, filename: str, content_type: str) -> FileResponse:
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
