import re

import pytest
from django.db import transaction

from recordkeepers.models import Invitation
from recordkeepers.selectors import invitation_get_pending_by_token
from recordkeepers.services import invitation_create

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_real_worker_sends_the_invitation_with_a_working_link(celery_worker, owner_a):
    with transaction.atomic():
        invitation = invitation_create(
            organisation=owner_a.membership.organisation,
            email="colleague@acme.example",
            actor=owner_a,
        )
    placeholder_hash = invitation.token_hash

    import time

    deadline = time.monotonic() + 30
    files = []
    while time.monotonic() < deadline and not files:
        files = list(celery_worker.mail_dir.iterdir())
        time.sleep(0.2)
    assert len(files) == 1, "the worker sent no email within 30 s"
    body = files[0].read_text()
    assert "To: colleague@acme.example" in body
    token = re.search(r"/invitations/([^/\s]+)/", body).group(1)
    assert invitation_get_pending_by_token(token=token) == invitation
    assert Invitation.objects.get(pk=invitation.pk).token_hash != placeholder_hash
