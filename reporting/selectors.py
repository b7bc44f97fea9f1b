"""Reads of the reporting app, with their access checks."""

from django.http import Http404

from recordkeepers.models import User
from recordkeepers.rules import may
from reporting.models import ExportJob


def reports_visible_to(*, user: User) -> None:
    """404 unless `user` reads reports (reporting.rules): the pages are not disclosed."""
    if not may(user, "reporting.view_reports", None):
        raise Http404("No such page")


def export_get_for_user(*, user: User, pk: int) -> ExportJob:
    """One of `user`'s own exports; anyone else's is not found, whoever asks."""
    reports_visible_to(user=user)
    try:
        return ExportJob.objects.get(pk=pk, requested_by=user)
    except ExportJob.DoesNotExist:
        raise Http404("No such export") from None


def exports_of(*, user: User, limit: int = 10) -> list[ExportJob]:
    """`user`'s latest exports, newest first."""
    return list(ExportJob.objects.filter(requested_by=user)[:limit])
