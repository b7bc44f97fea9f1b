"""The letters' sweep sends a worker only the letters left behind: not one still waiting its turn
in the queue (sent a moment ago), but one sent longer ago than `LETTER_QUEUE_GRACE_SECONDS`, one
whose send failed (the broker was down), and one whose worker died while rendering."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification.letters import lifecycle as letter_lifecycle
from certification.models import Letter, LetterStatus
from certification.tasks import sweep_unfinished_letters
from config.celery import app as celery_app
from tests.factories import decide
from tests.worker import use_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(owner_a, reviewer, supervisor, django_capture_on_commit_callbacks) -> Letter:
    """A decision's letter, pending, its render sent to the queue just now and not picked up."""
    celery_app.conf.task_always_eager = False
    use_broker("memory://")  # a queue no worker reads: the message waits there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    finally:
        use_broker(None)
        celery_app.conf.task_always_eager = True  # from here on, a resend renders in the test
    return Letter.objects.get(decision=decision)


def test_a_letter_queued_a_moment_ago_is_not_sent_again(letter, settings):
    assert (letter.status, letter.queued_at is not None) == (LetterStatus.PENDING, True)
    assert sweep_unfinished_letters.delay().get() == 0
    # Nor after a few sweeps, while a burst of letters ahead of it drains.
    while_waiting = timezone.now() - timedelta(seconds=3 * settings.SWEEP_SECONDS)
    Letter.objects.filter(pk=letter.pk).update(created_at=while_waiting, queued_at=while_waiting)
    assert sweep_unfinished_letters.delay().get() == 0
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (LetterStatus.PENDING, 0)


def test_a_letter_queued_long_ago_is_sent_again(letter, settings):
    queued = timezone.now() - timedelta(seconds=settings.LETTER_QUEUE_GRACE_SECONDS + 60)
    Letter.objects.filter(pk=letter.pk).update(queued_at=queued)
    assert sweep_unfinished_letters.delay().get() == 1
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (LetterStatus.READY, 1)
    assert letter.queued_at > queued


def test_a_letter_sent_again_waits_out_the_grace_before_the_next_resend(letter, settings):
    grace = timedelta(seconds=settings.LETTER_QUEUE_GRACE_SECONDS)
    now = letter.queued_at + grace + timedelta(seconds=1)
    assert letter_lifecycle.letters_to_resend(now=now) == [letter.pk]
    # Sent again into a queue nobody reads yet: the sweeps after it leave it to wait its turn.
    celery_app.conf.task_always_eager = False
    use_broker("memory://")
    try:
        assert letter_lifecycle.letters_resend(now=now) == [letter.pk]
    finally:
        use_broker(None)
        celery_app.conf.task_always_eager = True
    next_sweep = now + timedelta(seconds=settings.SWEEP_SECONDS)
    assert letter_lifecycle.letters_to_resend(now=next_sweep) == []
    assert letter_lifecycle.letters_to_resend(now=now + grace + timedelta(seconds=1)) == [letter.pk]


def test_a_letter_whose_send_failed_is_sent_again_by_the_next_sweep(
    owner_a, reviewer, supervisor, django_capture_on_commit_callbacks
):
    celery_app.conf.task_always_eager = False
    use_broker("redis://127.0.0.1:9/0")  # the discard port: nothing listens
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    finally:
        use_broker(None)
        celery_app.conf.task_always_eager = True
    letter = Letter.objects.get(decision=decision)
    assert (letter.status, letter.queued_at) == (LetterStatus.PENDING, None)
    assert letter_lifecycle.letters_to_resend() == [letter.pk]
    assert sweep_unfinished_letters.delay().get() == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.READY


def test_a_letter_whose_worker_died_mid_render_is_sent_again_once(letter, settings):
    started = timezone.now()
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.RENDERING, attempts=1, rendering_started_at=started
    )
    stuck = started + timedelta(seconds=settings.LETTER_RENDER_TIMEOUT_SECONDS + 1)
    assert letter_lifecycle.letters_to_resend(now=started) == []  # a worker has it
    assert letter_lifecycle.letters_to_resend(now=stuck) == [letter.pk]
    # Once sent again, it waits its turn like any other.
    Letter.objects.filter(pk=letter.pk).update(queued_at=stuck)
    next_sweep = stuck + timedelta(seconds=settings.SWEEP_SECONDS)
    assert letter_lifecycle.letters_to_resend(now=next_sweep) == []
