"""Reads of evidence, with access checks."""

from django.db.models import Sum
from django.http import Http404

from certification.models import (
    Application,
    Evidence,
)
from recordkeepers.models import User


def evidence_get_for_user(*, user: User, pk: int) -> Evidence:
    """The evidence if `user` may download it; otherwise 404, as for its application."""
    evidence = Evidence.objects.select_related("application__organisation").filter(pk=pk).first()
    if evidence is None or not user.has_perm(
        "certification.download_evidence", evidence.application
    ):
        raise Http404("No such file")
    return evidence


def evidence_bytes_stored(*, application: Application) -> int:
    """How many bytes of evidence the application holds, against its limit."""
    return application.evidence.aggregate(total=Sum("size"))["total"] or 0
