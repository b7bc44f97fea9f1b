"""Letters on real workers, through Redis: a decision ends with a ready letter, and still does when
the worker is killed mid-render or the broker is down when the decision is made; a letter that
cannot be stored ends failed, with its error, for staff.

The sweep runs in Celery beat, embedded in a worker (`-B`), every second here
(RKCP_SWEEP_SECONDS), and takes a letter rendering for 3 s to be lost with its worker
(RKCP_LETTER_RENDER_TIMEOUT_SECONDS).
"""

import hashlib
import socket
import subprocess
import time
from pathlib import Path

import pytest

from certification import workflow
from certification.letters import content as letters
from certification.models import Decision, Letter, LetterTemplate, Notification
from certification.tasks import LETTER_ATTEMPTS, render_letter
from tests.factories import DENIAL_REASONS, decide, draft_application, start_review
from tests.pdfs import page_sizes, pdf_fonts, pdf_text, xmp_metadata
from tests.worker import use_broker, wait_until

# A transactional test's flush removes the default Handbook edition and letter templates: these
# fixtures put them back.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("handbook_in_force", "letter_templates"),
]

SWEEP_EVERY_SECOND = {"RKCP_SWEEP_SECONDS": "1", "RKCP_LETTER_RENDER_TIMEOUT_SECONDS": "3"}


def letter_when(decision: Decision, status: str, *, timeout: float) -> Letter:
    return wait_until(
        lambda: Letter.objects.filter(decision=decision, status=status).first(),
        timeout=timeout,
        what=f"the letter of {decision.application.reference} {status}",
    )


def stored_letters(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root)) for path in root.glob("letters/**/*") if path.is_file()
    )


def test_certifying_and_denying_each_give_a_ready_letter_that_says_so(
    celery_workers, letter_templates, owner_a, owner_b, reviewer, supervisor
):
    celery_workers.start()
    certified = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    denied = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")

    for decision, says in (
        (certified, ["certified"]),
        (
            denied,
            [
                "denied",
                *(reason["text"] for reason in DENIAL_REASONS),
                "appeal",
                letters._date(denied.appeal_deadline),
            ],
        ),
    ):
        letter = letter_when(decision, "ready", timeout=30)
        application = decision.application
        path = Path(letter.file.path)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
        text = " ".join(pdf_text(path).split())
        for expected in [application.profile_snapshot["legal_name"], application.reference, *says]:
            assert expected in text
        fonts = pdf_fonts(path)
        assert fonts and {font["emb"] for font in fonts} == {"yes"}, fonts
        xmp = xmp_metadata(path)
        for declared in ('pdfaid:part="3"', 'pdfaid:conformance="A"', 'pdfuaid:part="1"'):
            assert declared in xmp
        assert page_sizes(path) == {(612, 792)}

        # Every member is told, with a link to the application and not the letter itself.
        told = Notification.objects.filter(application=application, event__verb="letter.ready")
        members = application.organisation.memberships.values_list("user", flat=True)
        assert sorted(n.recipient_id for n in told) == sorted(members)
        for notification in told:
            assert f"/applications/{application.reference}/" in notification.body
        wait_until(
            lambda told=told: not told.filter(emailed_at=None).exists(),
            timeout=15,
            what="the letter's emails sent",
        )

    emails = celery_workers.emails()
    ready = [email for email in emails if "Your letter from CBP is ready" in email]
    assert len(ready) == 2
    for decision in (certified, denied):
        assert (
            sum(f"/applications/{decision.application.reference}/" in email for email in ready) == 1
        )
    for email in emails:
        assert "Content-Disposition: attachment" not in email
        assert "application/pdf" not in email and "%PDF" not in email


def test_a_worker_killed_mid_render_still_leaves_exactly_one_ready_letter(
    celery_workers, letter_templates, private_storage, owner_a, reviewer, supervisor
):
    # A template long enough (36 pages, about 2 s to render) to catch the render while it runs.
    paragraph = (
        "You must keep in place the procedures you demonstrated for preparing, keeping and "
        "producing records, and tell CBP when your designated individuals change."
    )
    LetterTemplate.objects.create(
        kind="certification",
        version=2,
        subject="Certification",
        body="Dear {{ legal_name }}:\n\n" + "\n\n".join([paragraph] * 600),
    )
    first = celery_workers.start()
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    letter = letter_when(decision, "rendering", timeout=30)

    first.kill()
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == ("rendering", 1)  # killed before it was done
    assert stored_letters(private_storage) == []

    celery_workers.start(beat=True, extra_env=SWEEP_EVERY_SECOND)
    letter = letter_when(decision, "ready", timeout=40)
    assert letter.attempts >= 2
    assert Letter.objects.filter(decision=decision).count() == 1
    assert stored_letters(private_storage) == [letter.file.name]
    assert decision.application.events.filter(verb="letter.ready").count() == 1


class RedisServer:
    """A Redis of the test's own, on a free port, that the test stops and starts again."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                return False
            return True

        wait_until(answers, timeout=10, what="redis-server listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_broker(settings):
    """A broker for this test alone, which the test's Celery app and its workers use."""
    server = RedisServer()
    server.start()
    settings.CELERY_BROKER_URL = server.url  # for the workers the test starts
    use_broker(server.url)
    yield server
    server.stop()
    use_broker(None)


def test_a_decision_made_while_the_broker_is_down_gets_its_letter_when_it_is_back(
    own_broker, celery_workers, letter_templates, owner_a, reviewer, supervisor
):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(application=application, actor=reviewer, outcome="certified")

    own_broker.stop()
    started = time.monotonic()
    decision = workflow.application_decide(
        application=application, actor=supervisor, outcome="certified", recommended_by=reviewer
    )
    took = time.monotonic() - started
    # Each send gives up after about 1 s (CELERY_TASK_PUBLISH_RETRY_POLICY): one email, one letter.
    assert took < 5, f"deciding took {took:.1f} s with the broker down"
    application.refresh_from_db()
    assert application.status == "certified"
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert Letter.objects.get(decision=decision).status == "pending"

    own_broker.start()
    use_broker(own_broker.url)  # the pooled connections were to the server that stopped
    celery_workers.start(beat=True, extra_env=SWEEP_EVERY_SECOND)
    letter_when(decision, "ready", timeout=30)
    assert Letter.objects.filter(decision=decision).count() == 1


def test_a_letter_that_cannot_be_stored_ends_failed_with_its_error(
    celery_workers, letter_templates, tmp_path, owner_a, reviewer, supervisor
):
    # The worker's storage is unusable: its root lies under a file, not a directory.
    not_a_directory = tmp_path / "not-a-directory"
    not_a_directory.write_text("")
    celery_workers.start(extra_env={"PRIVATE_MEDIA_ROOT": str(not_a_directory / "private-media")})
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)

    letter = wait_until(
        lambda: Letter.objects.filter(decision=decision).exclude(last_error="").first(),
        timeout=30,
        what="the first failure recorded",
    )
    assert (letter.status, letter.attempts) == ("rendering", 1)  # and retried, with backoff
    assert "NotADirectoryError" in letter.last_error
    # The last retry, as the task sends it after its backoff (4 + 8 + 16 + 32 s, too long to wait
    # for here): it gives up and leaves the letter for staff.
    render_letter.apply_async(kwargs={"letter_id": letter.pk}, retries=LETTER_ATTEMPTS - 1)
    letter = letter_when(decision, "failed", timeout=30)
    assert letter.attempts >= 2  # 3 if the first retry's backoff ran out before the last try came
    assert "NotADirectoryError" in letter.last_error
    assert not letter.file and not letter.sha256
    assert not decision.application.events.filter(verb="letter.ready").exists()
