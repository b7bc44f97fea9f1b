"""Writes of the program core. Keyword-only and atomic; they raise ValidationError on a bad move."""

import logging
import uuid
from collections.abc import Callable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certification import letters
from certification.evidence import sha256_of, validate_upload
from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    Criterion,
    Demonstration,
    DemonstrationResponse,
    DesignatedIndividual,
    Event,
    Evidence,
    HandbookEdition,
    InformationRequest,
    InformationRequestItem,
    LetterTemplate,
    Notification,
)
from certification.selectors import evidence_bytes_stored
from certification.workflow import StaleApplication
from recordkeepers.models import Organisation, User
from recordkeepers.rules import is_organisation_member
from recordkeepers.services import organisation_update_profile

logger = logging.getLogger(__name__)

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


def _claim_draft_edit(
    *, application: Application, actor: User, expected_version: int, what: str = ""
) -> None:
    """Take the next version of a draft for an edit, or refuse a stale or forbidden one.

    Every edit bumps the version (so another tab's older copy is refused), removes the attestation,
    which covered the application as it was, and is recorded as a staff-only event: the audit trail
    says who changed what, while the applicant's timeline keeps to the milestones.
    """
    if not actor.has_perm("certification.edit_application", application):
        raise PermissionDenied("Only the organization's members can edit a draft application.")
    now = timezone.now()
    claimed = Application.objects.filter(
        pk=application.pk, status=ApplicationStatus.DRAFT, version=expected_version
    ).update(version=F("version") + 1, updated_at=now)
    if claimed != 1:
        raise StaleApplication()
    Attestation.objects.filter(application=application).delete()
    application.version, application.updated_at = expected_version + 1, now
    Event.objects.create(
        application=application,
        actor=actor,
        verb="draft.edited",
        data={"what": what} if what else {},
        applicant_visible=False,
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
    application = Application.objects.create(organisation=organisation, created_by=actor)
    Event.objects.create(application=application, actor=actor, verb="application.started")
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


def evidence_add(
    *,
    application: Application,
    actor: User,
    demonstration: str,
    upload: File,
    expected_version: int,
) -> Evidence:
    """Store an uploaded file as evidence for one demonstration of a draft.

    An upload is an edit: it takes the next version and removes the attestation. The file is checked
    by content (certification.evidence) and stored under a random name; the name the user gave is
    kept, sanitised, for display only. A problem with the file is one ValidationError message that
    names the file, for the form to show against its file field.
    """
    if demonstration not in Demonstration.values:
        raise ValidationError("Choose which demonstration this file supports.")

    def claim() -> None:
        _claim_draft_edit(
            application=application, actor=actor, expected_version=expected_version, what="evidence"
        )

    return _store_evidence(
        application=application,
        actor=actor,
        upload=upload,
        claim=claim,
        demonstration=demonstration,
    )


def information_request_add_evidence(
    *, item: InformationRequestItem, actor: User, upload: File
) -> Evidence:
    """Store a file answering one of CBP's questions. Only the answers of an open request can
    change while CBP waits for them; the rest of the application stays as submitted."""
    application = item.request.application

    def claim() -> None:
        _lock_open_request(request=item.request, actor=actor)

    return _store_evidence(
        application=application,
        actor=actor,
        upload=upload,
        claim=claim,
        demonstration=item.demonstration,
        request_item=item,
    )


def _store_evidence(
    *,
    application: Application,
    actor: User,
    upload: File,
    claim: Callable[[], None],
    demonstration: str,
    request_item: InformationRequestItem | None = None,
) -> Evidence:
    version, updated_at = application.version, application.updated_at
    stored_name = ""
    try:
        with transaction.atomic():
            # The claim holds the application's row until commit, so two uploads to one
            # application run one after the other and the total below cannot be overtaken.
            claim()
            checked = validate_upload(
                upload, already_stored_bytes=evidence_bytes_stored(application=application)
            )
            evidence = Evidence(
                application=application,
                demonstration=demonstration,
                request_item=request_item,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=sha256_of(upload),
                uploaded_by=actor,
            )
            # The file is written before its row, so a failed write leaves no row pointing at
            # nothing. Its name is random, with the sniffed type's extension: nothing the user
            # typed reaches the storage path.
            evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
            stored_name = evidence.file.name
            evidence.save()
    except BaseException:
        # Nothing was committed. The claim set the new version on `application` in memory: put
        # back what the database still holds, so that a caller storing several files can go on.
        application.version, application.updated_at = version, updated_at
        # The row is gone with the rollback (the insert or the commit failed), so the file would be
        # an orphan: remove it. Only a rollback of a caller's own transaction, after this returns,
        # can still leave one behind; it is private, referenced by nothing and never served.
        if stored_name:
            try:
                Evidence.file.field.storage.delete(stored_name)
            except Exception:
                # Report the failure that got us here, not this one; the orphan is only logged.
                logger.exception("Could not delete %s after a failed upload", stored_name)
        raise
    return evidence


def _lock_open_request(*, request: InformationRequest, actor: User) -> InformationRequest:
    """Lock the application while its open request's answers change, or refuse."""
    application = Application.objects.select_for_update().get(pk=request.application_id)
    if not actor.has_perm("certification.answer_information_request_application", application):
        raise PermissionDenied("Only the organization's members can answer CBP's questions.")
    request = InformationRequest.objects.get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationError("These questions have already been answered.")
    return request


@transaction.atomic
def information_request_save_answers(
    *, information_request: InformationRequest, actor: User, answers: dict[int, str]
) -> None:
    """Keep the answers typed so far, without sending them: `answers` maps question id to text."""
    _lock_open_request(request=information_request, actor=actor)
    for item in information_request.items.filter(pk__in=answers):
        if item.answer != answers[item.pk]:
            item.answer = answers[item.pk]
            item.save(update_fields=["answer", "updated_at"])


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User, expected_version: int) -> None:
    """Remove a file from a draft. Like any edit, it takes the next version and the attestation."""
    _claim_draft_edit(
        application=evidence.application,
        actor=actor,
        expected_version=expected_version,
        what="evidence",
    )
    deleted, _ = Evidence.objects.filter(pk=evidence.pk).delete()
    if not deleted:
        raise ValidationError(f"“{evidence.original_name}” has already been removed.")
    # The stored file goes only once the row's deletion is committed: deleted now and then rolled
    # back, the row would point at a missing file. `robust`: a storage error at that point is
    # logged, and cannot turn a removal that has happened into an error page.
    transaction.on_commit(partial(evidence.file.storage.delete, evidence.file.name), robust=True)


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    """Mark a notification read by its recipient, the first time only: `read_at` keeps the moment
    the person first opened it, however often it is opened again (or from two tabs at once)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Only the person a message was sent to can mark it as read.")
    if notification.read_at is None:
        now = timezone.now()
        marked = actor.notifications.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if marked:
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all of the actor's unread notifications read; returns how many were unread."""
    return actor.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def evidence_replace(
    *, evidence: Evidence, actor: User, upload: File, expected_version: int
) -> Evidence:
    """Put a new file in the place of `evidence`, for the same demonstration, as one edit."""
    application = evidence.application
    replacement = evidence_add(
        application=application,
        actor=actor,
        demonstration=evidence.demonstration,
        upload=upload,
        expected_version=expected_version,
    )
    evidence_remove(evidence=evidence, actor=actor, expected_version=application.version)
    return replacement


def information_request_acknowledge(*, application: Application) -> int:
    """The reviewer has opened the applicant's answers: the review queue stops flagging them."""
    return application.information_requests.filter(
        answered_at__isnull=False, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now())


@transaction.atomic
def letter_template_save_new_version(*, template: LetterTemplate, actor: User) -> LetterTemplate:
    """Save an admin's text as the next version of its kind: the one letters use from now on.
    Versions already saved are never changed (`LetterTemplate.save` refuses)."""
    letters.check_template(kind=template.kind, subject=template.subject, body=template.body)
    # Lock the kind's versions first, so that of two admins saving at once the second waits here
    # and then counts the first's new row, rather than taking the same number and failing.
    versions = LetterTemplate.objects.select_for_update().filter(kind=template.kind)
    latest = max(versions.values_list("version", flat=True), default=0)
    template.version = latest + 1
    template.created_by = actor
    template.save()
    return template
