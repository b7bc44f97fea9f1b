"""Signing and submitting an application: one step for the person, so one transaction."""

from django.db import transaction

from certification import workflow
from certification.models import Application
from certification.services.drafts import application_attest
from recordkeepers.models import User


@transaction.atomic
def application_sign_and_submit(
    *,
    application: Application,
    actor: User,
    signer_name: str,
    signer_title: str,
    expected_version: int,
) -> Application:
    """An owner signs the attestation for the application exactly as it stands at
    `expected_version`, and submits it. A submission that fails (an unfinished application, no
    Handbook in force, a stale copy) leaves no signature behind."""
    application_attest(
        application=application,
        actor=actor,
        signer_name=signer_name,
        signer_title=signer_title,
        expected_version=expected_version,
    )
    return workflow.application_submit(
        application=application, actor=actor, expected_version=expected_version
    )
