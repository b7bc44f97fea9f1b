"""Signing and submitting in one transaction."""

import pytest
from django.core.exceptions import ValidationError

from certification.errors import StaleApplication
from certification.models import ApplicationStatus, Attestation
from certification.services.submission import application_sign_and_submit
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


def sign_and_submit(application, owner, **changes):
    return application_sign_and_submit(
        **{
            "application": application,
            "actor": owner,
            "signer_name": "Ada Owner",
            "signer_title": "President",
            "expected_version": application.version,
        }
        | changes
    )


def test_a_complete_application_is_signed_and_submitted(handbook_in_force, owner_a):
    application = draft_application(owner=owner_a, attested=False)
    sign_and_submit(application, owner_a)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference.startswith("RKCP-")
    assert Attestation.objects.get(application=application).signer_name == "Ada Owner"


def test_a_submission_that_fails_leaves_no_signature(handbook_in_force, owner_a):
    application = draft_application(owner=owner_a, attested=False, complete=False)
    with pytest.raises(ValidationError, match="not finished"):
        sign_and_submit(application, owner_a)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Attestation.objects.filter(application=application).exists()


def test_a_stale_copy_is_refused_and_nothing_is_signed(handbook_in_force, owner_a):
    application = draft_application(owner=owner_a, attested=False)
    with pytest.raises(StaleApplication):
        sign_and_submit(application, owner_a, expected_version=application.version - 1)
    assert not Attestation.objects.filter(application=application).exists()
