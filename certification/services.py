"""Writes of the program core. Keyword-only and atomic; they raise ValidationError on a bad move."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    Criterion,
    Demonstration,
    DemonstrationResponse,
    HandbookEdition,
)
from certification.workflow import StaleApplication
from recordkeepers.models import User

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


ATTESTATION_TEXT = (
    "I attest that {organization} complies with all laws and regulations that apply to it, that the "
    "answers and evidence in this application are true, complete and correct, and that I am "
    "authorized to make this statement on its behalf."
)


def _claim_draft_edit(*, application: Application, actor: User, expected_version: int) -> None:
    """Take the next version of a draft for an edit, or refuse a stale or forbidden one.

    Every edit bumps the version (so another tab's older copy is refused) and removes the
    attestation, which covered the application as it was.
    """
    if not actor.has_perm("certification.edit_application", application):
        raise PermissionDenied("Only the organization's members can edit a draft application.")
    claimed = Application.objects.filter(
        pk=application.pk, status=ApplicationStatus.DRAFT, version=expected_version
    ).update(version=F("version") + 1, updated_at=timezone.now())
    if claimed != 1:
        raise StaleApplication()
    Attestation.objects.filter(application=application).delete()
    application.refresh_from_db()


@transaction.atomic
def application_save_response(
    *,
    application: Application,
    actor: User,
    demonstration: str,
    answers: dict,
    narrative: str,
    expected_version: int,
) -> DemonstrationResponse:
    if demonstration not in Demonstration.values:
        raise ValidationError({"demonstration": "Unknown demonstration."})
    _claim_draft_edit(application=application, actor=actor, expected_version=expected_version)
    response, _ = DemonstrationResponse.objects.update_or_create(
        application=application,
        demonstration=demonstration,
        defaults={"answers": answers, "narrative": narrative, "updated_by": actor},
    )
    return response


@transaction.atomic
def application_attest(
    *,
    application: Application,
    actor: User,
    signer_name: str,
    signer_title: str,
    expected_version: int,
) -> Attestation:
    """The owner signs for the application exactly as it stands at `expected_version`."""
    if not actor.has_perm("certification.submit_application", application):
        raise PermissionDenied("Only an owner of the organization can sign the attestation.")
    errors = {}
    if not signer_name.strip():
        errors["signer_name"] = "Type your full name."
    if not signer_title.strip():
        errors["signer_title"] = "Type your title."
    if errors:
        raise ValidationError(errors)
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.version != expected_version:
        raise StaleApplication(
            "This application was changed since you opened it. Check your answers and sign again."
        )
    Attestation.objects.filter(application=current).delete()
    return Attestation.objects.create(
        application=current,
        signed_by=actor,
        signer_name=" ".join(signer_name.split()),
        signer_title=" ".join(signer_title.split()),
        text=ATTESTATION_TEXT.format(organization=current.organisation.legal_name),
        application_version=current.version,
    )
