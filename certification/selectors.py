"""Reads of the program core."""

from certification.models import HandbookEdition


def handbook_edition_in_force() -> HandbookEdition | None:
    return HandbookEdition.objects.filter(status=HandbookEdition.Status.PUBLISHED).first()
