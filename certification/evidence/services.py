"""Storing and removing evidence files, for a draft or for an answer to CBP's questions."""

import logging
import uuid
from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from certification.evidence.checks import sha256_of, validate_upload
from certification.evidence.selectors import evidence_bytes_stored
from certification.models import (
    Application,
    Demonstration,
    Evidence,
    InformationRequestItem,
)
from certification.services.drafts import _claim_draft_edit
from certification.services.information_requests import _lock_open_request
from recordkeepers.models import User

logger = logging.getLogger(__name__)


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
            stored_name = evidence.file.name or ""
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
    if evidence.file.name:
        transaction.on_commit(
            partial(evidence.file.storage.delete, evidence.file.name), robust=True
        )


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
