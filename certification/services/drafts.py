"""Writes of a draft application, step by step, and its attestation. Keyword-only and atomic."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certification.errors import StaleApplication
from certification.events import EventVerb
from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    Demonstration,
    DemonstrationResponse,
    DesignatedIndividual,
    Event,
)
from certification.references import next_reference
from certification.statements import FALSE_STATEMENTS_WARNING
from recordkeepers.models import Organisation, User
from recordkeepers.rules import is_organisation_member, may
from recordkeepers.services import organisation_update_profile

ATTESTATION_TEXT = (
    "I attest that {organization} complies with all laws and regulations that apply to it, that the "
    "answers and evidence in this application are true, complete and correct, and that I am "
    "authorized to make this statement on its behalf."
)


def _claim_draft_edit(
    *, application: Application, actor: User, expected_version: int, what: str = ""
) -> None:
    """Take the next version of a draft for an edit, or refuse a stale or forbidden one.

    Every edit bumps the version (so another tab's older copy is refused), removes the attestation,
    which covered the application as it was, and is recorded as a staff-only event: the audit trail
    says who changed what, while the applicant's timeline keeps to the milestones.
    """
    if not may(actor, "certification.edit_application", application):
        raise PermissionDenied("Only the organization's members can edit a draft application.")
    now = timezone.now()
    claimed = Application.objects.filter(
        pk=application.pk, status=ApplicationStatus.DRAFT, version=expected_version
    ).update(version=F("version") + 1, updated_at=now)
    if claimed != 1:
        raise StaleApplication()
    Attestation.objects.filter(application=application).delete()
    application.version, application.updated_at = expected_version + 1, now
    Event.objects.record(
        application=application,
        actor=actor,
        verb=EventVerb.DRAFT_EDITED,
        data={"what": what} if what else {},
    )


# An organisation applies once at a time: a new application can be started only when none of its
# applications is still being decided, and it is not already certified. (A draft is resumed instead.)
BLOCKS_NEW_APPLICATION = {
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.CERTIFIED,
}


@transaction.atomic
def application_start(*, organisation: Organisation, actor: User) -> Application:
    """The organisation's draft, created on first use. An organisation has one draft at a time, so
    colleagues starting on different days all work on the same one."""
    if not is_organisation_member(actor, organisation):
        raise PermissionDenied("Only the organization's members can start its application.")
    # Lock the organisation so that two colleagues starting at once get the same draft.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    draft = organisation.applications.filter(status=ApplicationStatus.DRAFT).first()
    if draft is not None:
        return draft
    if organisation.applications.filter(status__in=BLOCKS_NEW_APPLICATION).exists():
        raise ValidationError(
            "Your organization already has an application with CBP, so it cannot start another."
        )
    application = Application.objects.create(
        organisation=organisation,
        created_by=actor,
        reference=next_reference(timezone.now().year),
    )
    Event.objects.record(application=application, actor=actor, verb=EventVerb.APPLICATION_STARTED)
    return application


@transaction.atomic
def application_save_profile(
    *,
    application: Application,
    actor: User,
    profile: dict,
    route: str,
    expected_version: int,
) -> Application:
    """Step 1: the organisation's business profile and the route to certification."""
    if route not in Application.Route.values:
        raise ValidationError({"route": "Choose how you want to be certified."})
    _claim_draft_edit(
        application=application, actor=actor, expected_version=expected_version, what="profile"
    )
    organisation_update_profile(organisation=application.organisation, actor=actor, data=profile)
    if application.route != route:
        application.route = route
        application.save(update_fields=["route"])
    return application


@transaction.atomic
def application_save_terms(
    *, application: Application, actor: User, proposed_terms: str, expected_version: int
) -> Application:
    _claim_draft_edit(
        application=application, actor=actor, expected_version=expected_version, what="terms"
    )
    application.proposed_terms = proposed_terms
    application.save(update_fields=["proposed_terms"])
    return application


@transaction.atomic
def application_save_response(
    *,
    application: Application,
    actor: User,
    demonstration: str,
    answers: dict,
    narrative: str,
    expected_version: int,
) -> None:
    if demonstration not in Demonstration.values:
        raise ValidationError({"demonstration": "Unknown demonstration."})
    _claim_draft_edit(
        application=application,
        actor=actor,
        expected_version=expected_version,
        what=demonstration,
    )
    # The compare-and-set above holds the application's row until commit, so no other edit of this
    # application runs in between: update the stored response, or create the first one.
    fields = {"answers": answers, "narrative": narrative, "updated_by": actor}
    responses = DemonstrationResponse.objects.filter(
        application=application, demonstration=demonstration
    )
    if not responses.update(**fields, updated_at=timezone.now()):
        DemonstrationResponse.objects.create(
            application=application, demonstration=demonstration, **fields
        )


_INDIVIDUAL_FIELDS = ["kind", "name", "title", "email", "phone", "duties", "qualifications"]


@transaction.atomic
def application_save_individuals(
    *,
    application: Application,
    actor: User,
    individuals: list[dict],
    answers: dict,
    narrative: str,
    expected_version: int,
) -> list[DesignatedIndividual]:
    """Demonstration (iv): replace the designated individuals with `individuals`, in that order,
    and save the answers beside them."""
    application_save_response(
        application=application,
        actor=actor,
        demonstration=Demonstration.IV,
        answers=answers,
        narrative=narrative,
        expected_version=expected_version,
    )
    application.designated_individuals.all().delete()
    return DesignatedIndividual.objects.bulk_create(
        DesignatedIndividual(
            application=application,
            position=position,
            **{name: person.get(name, "") for name in _INDIVIDUAL_FIELDS},
        )
        for position, person in enumerate(individuals)
    )


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
    if not may(actor, "certification.submit_application", application):
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
        # What the signer was shown: the statement, and beside the box the 18 U.S.C. 1001 warning.
        text=ATTESTATION_TEXT.format(organization=current.organisation.legal_name)
        + "\n\n"
        + FALSE_STATEMENTS_WARNING,
        application_version=current.version,
    )
