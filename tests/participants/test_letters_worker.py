"""The letters after certification on a real worker, through Redis, as decision letters are: a
notice of violation, a removal, an appeal's delay and decision each end ready, saying what the law
requires."""

from datetime import timedelta
from pathlib import Path

import pytest

from certification.models import Letter
from participants import services
from participants.models import Participant
from tests.factories import decide
from tests.pdfs import pdf_text
from tests.worker import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("handbook_in_force", "letter_templates"),
]


def ready_text(letter: Letter) -> str:
    ready = wait_until(
        lambda: Letter.objects.filter(pk=letter.pk, status="ready").first(),
        timeout=60,
        what=f"the {letter.kind} letter ready",
    )
    return " ".join(pdf_text(Path(ready.file.path)).split())


def test_every_letter_after_certification_renders_on_a_real_worker(
    celery_workers, owner_a, owner_b, reviewer, supervisor, appeals_official
):
    celery_workers.start()
    participant = Participant.objects.get(
        decision=decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    )
    notice = services.notice_record_failure(
        participant=participant,
        actor=reviewer,
        entry_number="123-4567890-3",
        record_demanded="The commercial invoice for the entry.",
        demanded_on=participant.certified_on,
        willful=False,
    )
    removal = services.removal_propose(
        participant=participant, actor=reviewer, grounds=["c1iii"], reasons="Three failures."
    )
    services.removal_issue(removal=removal, actor=supervisor)
    denied = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    appeal = services.appeal_file(
        application=denied.application, actor=owner_b, statement="SOP-08 now exists."
    )
    services.appeal_delay(
        appeal=appeal,
        actor=appeals_official,
        reasons="Waiting for the port's records.",
        expected=appeal.decision_due + timedelta(days=20),
    )
    services.appeal_decide(
        appeal=appeal, actor=appeals_official, outcome="reversed", reasons="SOP-08 meets (iii)."
    )
    removal.refresh_from_db()
    appeal.refresh_from_db()
    notice.refresh_from_db()

    text = ready_text(notice.letter)
    assert "violated the recordkeeping requirements" in text
    assert "The commercial invoice for the entry." in text
    assert "Future failures to produce records CBP demands may result in monetary penalties" in text
    text = ready_text(removal.letter)
    assert "19 CFR 163.13(c)(1)(iii)" in text and "appeal" in text
    assert "Waiting for the port's records." in ready_text(appeal.delay_letter)
    assert "the denial is reversed" in ready_text(appeal.letter)
