"""The mail server unreachable when a decision is issued: the decision stands, its email waits
unsent in the database, and goes out, once, when a mail server answers on that address.

The worker's EMAIL_URL names a port where nothing listens; the test then starts a small SMTP server
of its own there (tests/faults/services.py). Beat's sweep runs every second.
"""

import time

import pytest
from django.urls import reverse

from certification import workflow
from certification.models import Decision, Notification
from reviews.models import Recommendation
from tests.factories import draft_application, start_review
from tests.faults.services import SmtpServer
from tests.processes import free_port
from tests.worker import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("handbook_in_force", "letter_templates"),
]

DECIDED = "CBP has decided on the application"


def test_a_decision_made_while_mail_is_unreachable_is_emailed_once_the_server_is_back(
    celery_workers, as_staff, owner_a, reviewer, supervisor
):
    port = free_port()
    celery_workers.start(
        beat=True, extra_env={"EMAIL_URL": f"smtp://127.0.0.1:{port}", "RKCP_SWEEP_SECONDS": "1"}
    )
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(application=application, actor=reviewer, outcome="certified")
    Recommendation.objects.create(application=application, reviewer=reviewer, outcome="certified")

    answer = as_staff(supervisor).post(
        reverse("reviews:sign-off", args=[application.pk]), {"decision": "certified"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("reviews:record", args=[application.pk])
    assert Decision.objects.filter(application=application, outcome="certified").count() == 1
    told = Notification.objects.filter(
        event__application=application, event__verb="application.decided", recipient=owner_a
    )
    # The first send, its retries and three sweeps' worth of sends are refused meanwhile.
    time.sleep(3)
    assert celery_workers.started[0].process.poll() is None
    assert told.get().emailed_at is None

    server = SmtpServer(port)
    try:
        wait_until(
            lambda: not told.filter(emailed_at=None).exists(),
            timeout=30,
            what="the decision's email sent once the mail server answers",
        )
        received = server.received()
    finally:
        server.close()
    decided = [m for m in received if owner_a.email in m["to"] and DECIDED in m["data"]]
    assert len(decided) == 1, received  # sent, and once, however often it was asked for
    assert application.reference in decided[0]["data"]
