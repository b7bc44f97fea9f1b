"""Downloading an evidence file, only for those who may see its application."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from certification.evidence.selectors import evidence_get_for_user
from certification.responses import private_download


@login_required
@require_GET
def evidence_download(request, pk: int) -> FileResponse:
    """An applicant's upload, with the type sniffed from its content when it was stored."""
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    return private_download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
