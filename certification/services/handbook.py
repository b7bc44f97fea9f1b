"""Writes of the Handbook: new draft editions and publishing one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.models import (
    Criterion,
    Demonstration,
    HandbookEdition,
)

# Fields copied from a criterion into a new draft edition.
_CRITERION_FIELDS = [
    field.name for field in Criterion._meta.concrete_fields if field.name not in {"id", "edition"}
]


@transaction.atomic
def handbook_edition_create_draft(*, based_on: HandbookEdition, title: str) -> HandbookEdition:
    """A new draft edition holding copies of `based_on`'s criteria, ready to edit."""
    draft = HandbookEdition.objects.create(title=title, based_on=based_on)
    Criterion.objects.bulk_create(
        Criterion(edition=draft, **{name: getattr(c, name) for name in _CRITERION_FIELDS})
        for c in based_on.criteria.all()
    )
    return draft


@transaction.atomic
def handbook_edition_publish(*, edition: HandbookEdition) -> HandbookEdition:
    """Put a draft edition in force and retire the one it replaces, in one transaction.

    Applications already pinned to the old edition keep it: nothing here touches them.
    """
    covered = set(edition.criteria.values_list("demonstration", flat=True))
    missing = [d.label for d in Demonstration if d.value not in covered]
    if missing:
        raise ValidationError(
            f"Every demonstration needs a criterion; missing: {'; '.join(missing)}."
        )
    now = timezone.now()
    # Lock the edition in force (if any) so two publications cannot both retire it.
    current = list(
        HandbookEdition.objects.select_for_update().filter(status=HandbookEdition.Status.PUBLISHED)
    )
    HandbookEdition.objects.filter(pk__in=[e.pk for e in current]).update(
        status=HandbookEdition.Status.RETIRED, retired_at=now
    )
    published = HandbookEdition.objects.filter(
        pk=edition.pk, status=HandbookEdition.Status.DRAFT
    ).update(status=HandbookEdition.Status.PUBLISHED, published_at=now)
    if published != 1:
        raise ValidationError("Only a draft edition can be published.")
    edition.refresh_from_db()
    return edition
