"""Letters: templates and their placeholders, filling them safely, and a letter's life from the
decision that asks for it to a ready PDF (in this process; tests/certification/test_letters_worker.py
runs them on a real worker)."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters.defaults import DEFAULT_TEMPLATES
from certification.letters.versions import letter_template_in_use
from certification.models import (
    Application,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
)
from certification.tasks import render_letter, sweep_unfinished_letters
from tests.factories import DENIAL_REASONS, decide, draft_application

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


# --- Templates and placeholders --------------------------------------------------------------------


def test_every_kind_has_a_default_template_that_passes_its_own_check():
    assert set(DEFAULT_TEMPLATES) == set(LetterKind.values)
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        letters.check_template(kind=kind, subject=subject, body=body)


def test_a_kind_without_a_template_gets_the_shipped_text_as_version_1():
    LetterTemplate.objects.filter(kind="denial").delete()  # a queryset delete: a flushed database
    template = letter_template_in_use(kind="denial")
    assert (template.version, template.subject, template.body) == (1, *DEFAULT_TEMPLATES["denial"])
    assert letter_template_in_use(kind="denial") == template


@pytest.mark.parametrize(
    ("kind", "subject", "body", "field", "message"),
    [
        (
            "certification",
            "Hello",
            "Dear {{ company }}:",
            "body",
            "Unknown placeholder: {{ company }}",
        ),
        ("certification", "{{ legal_nam }}", "Text", "subject", "Unknown placeholder"),
        # A denial's reasons are not a certification letter's.
        ("certification", "Hello", "{{ reasons }}", "body", "Unknown placeholder: {{ reasons }}"),
        ("denial", "Hello", "Dear {{legal_name}:", "body", "two braces on each side"),
        ("denial", "Hello", "Because {{ reasons }} you fail.", "body", "on a line of its own"),
        ("denial", "{{ reasons }}", "{{ reasons }}", "subject", "cannot be in the subject"),
    ],
)
def test_a_bad_template_is_refused_beside_the_field(kind, subject, body, field, message):
    with pytest.raises(ValidationError) as refused:
        letters.check_template(kind=kind, subject=subject, body=body)
    assert any(message in text for text in refused.value.message_dict[field])


def test_filling_escapes_values_and_sanitises_the_markdown():
    body = (
        "Dear {{ legal_name }}:\n\n"
        "<script>alert(1)</script> <img src=x> [link](http://example.com) **kept**\n\n"
        "{{ reasons }}\n"
    )
    html = letters.fill(
        body,
        {"legal_name": '<b>Acme</b> & "Co"', "reasons": ["<i>one</i>", "two"]},
        markdown_text=True,
    )
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Co&quot;" in html
    assert "<strong>kept</strong>" in html
    assert (
        '<ol class="letter-list"><li><bdi>&lt;i&gt;one&lt;/i&gt;</bdi></li><li><bdi>two</bdi></li></ol>'
        in html
    )
    for unsafe in ("<script", "<img", "<a ", "href", "alert(1)</script>"):
        assert unsafe not in html


def test_a_placeholder_survives_markdown_around_it():
    html = letters.fill(
        "**{{ legal_name }}** _{{ signatory_name }}_",
        {"legal_name": "A_B", "signatory_name": "C"},
        markdown_text=True,
    )
    assert html == "<p><strong><bdi>A_B</bdi></strong> <em><bdi>C</bdi></em></p>"


# --- A denial's reasons, as the letter prints them ---------------------------------------------------


def test_a_reason_prints_the_demonstrations_name_the_reviewers_words_and_the_ground():
    item = letters.reason_item(
        {
            "ground": "163.13(b)(1)(i)",
            "demonstration": "iv",
            "text": "Nobody is named to keep up with CBP's requirements.",
            "remedy": "Name a person, and a backup, whose duties include it.",
        }
    )
    assert item == {
        "heading": "Designated dependable individuals (19 CFR 163.12(b)(3)(iv))",
        "lines": [
            "What we found: Nobody is named to keep up with CBP's requirements.",
            "What would meet the requirement: Name a person, and a backup, whose duties include it.",
            "Ground for denial: 19 CFR 163.13(b)(1)(i) (a requirement of 19 CFR 163.12(b)(3) is "
            "not met).",
        ],
    }


def test_a_reason_on_the_compliance_ground_is_headed_by_what_it_concerns():
    item = letters.reason_item(
        {
            "ground": "163.13(b)(1)(iii)",
            "demonstration": "",
            "text": "Two penalty cases for unproduced records are open.",
            "remedy": "Close the open cases.",
        }
    )
    assert item["heading"] == "Compliance with the customs laws and regulations"
    assert item["lines"][-1].startswith("Ground for denial: 19 CFR 163.13(b)(1)(iii) (in CBP's")


def test_a_reason_stored_before_reviewers_wrote_what_would_meet_it_still_prints():
    old = {"ground": "163.13(b)(1)(i)", "demonstration": "v", "text": "Originals are not kept."}
    item = letters.reason_item(old)
    assert item["heading"].startswith("Record maintenance")
    assert item["lines"] == [
        "Originals are not kept.",
        "Ground for denial: 19 CFR 163.13(b)(1)(i) (a requirement of 19 CFR 163.12(b)(3) is "
        "not met).",
    ]
    # Even a row with nothing but its text.
    assert letters.reason_item({"text": "Site visit."}) == {"heading": "", "lines": ["Site visit."]}
    html = letters.fill(
        "{{ reasons }}", {"reasons": [letters.reason_item(old)]}, markdown_text=True
    )
    assert '<li><p class="item-heading"><strong>Record maintenance' in html
    assert "<p><bdi>Originals are not kept.</bdi></p>" in html


def test_a_structured_list_item_is_escaped_like_any_value():
    html = letters.fill(
        "{{ reasons }}",
        {"reasons": [{"heading": "<b>h</b>", "lines": ["<script>x</script>"]}]},
        markdown_text=True,
    )
    assert "&lt;b&gt;h&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "<script>" not in html


# --- A decision asks for its letter ----------------------------------------------------------------


@pytest.fixture
def denied(owner_a, reviewer, supervisor):
    return decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")


def test_a_decision_writes_its_letter_pending_with_what_it_will_say(denied):
    letter = Letter.objects.get(decision=denied)
    assert (letter.kind, letter.status, letter.attempts) == ("denial", "pending", 0)
    assert letter.template == LetterTemplate.objects.filter(kind="denial").latest()
    assert denied.appeal_deadline == denied.effective_date + timedelta(days=30)
    context = letter.context
    assert context["legal_name"] == denied.application.profile_snapshot["legal_name"]
    assert context["reference"] == denied.application.reference
    assert context["reasons"] == [
        {
            "heading": "Procedures to prepare, maintain and produce records "
            "(19 CFR 163.12(b)(3)(iii))",
            "lines": [
                f"What we found: {DENIAL_REASONS[0]['text']}",
                f"What would meet the requirement: {DENIAL_REASONS[0]['remedy']}",
                "Ground for denial: 19 CFR 163.13(b)(1)(i) (a requirement of 19 CFR "
                "163.12(b)(3) is not met).",
            ],
        }
    ]
    assert context["appeal_deadline"] == letters._date(denied.appeal_deadline)


def test_an_alternative_program_gets_its_own_letter_with_its_terms(owner_a, reviewer, supervisor):
    application = draft_application(owner=owner_a)
    Application.objects.filter(pk=application.pk).update(
        route="alternative", proposed_terms="Scans indexed by entry.\n\nOriginals kept 120 days."
    )
    application.refresh_from_db()
    # Signed off with no other terms recorded: CBP agrees to those proposed.
    decision = decide(
        owner=owner_a, reviewer=reviewer, supervisor=supervisor, application=application
    )
    assert decision.terms == "Scans indexed by entry.\n\nOriginals kept 120 days."
    assert letters.decision_letter_kind(decision) == LetterKind.CERTIFICATION_ALTERNATIVE
    context = letters.decision_context(decision, timezone.localdate())
    assert context["alternative_terms"] == ["Scans indexed by entry.", "Originals kept 120 days."]
    assert context["route"] == "negotiated alternative program"


def test_the_letter_is_sent_to_a_worker_only_when_the_decision_commits(
    owner_a, reviewer, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    assert callbacks  # the render, among the emails
    letter = Letter.objects.get(decision=decision)
    assert letter.status == LetterStatus.READY  # Celery runs eagerly in tests


# --- Rendering, once -------------------------------------------------------------------------------


def test_rendering_stores_a_tagged_pdf_a_with_its_sha256_and_tells_the_applicant(denied):
    letter = letter_lifecycle.letter_render(letter_id=Letter.objects.get(decision=denied).pk)
    assert (letter.status, letter.attempts, letter.last_error) == ("ready", 1, "")
    data = letter.file.read()
    assert hashlib.sha256(data).hexdigest() == letter.sha256 and len(data) == letter.size
    reader = PdfReader(BytesIO(data))
    assert reader.pages[0].mediabox.width == 612 and reader.pages[0].mediabox.height == 792
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "A")
    assert b'pdfuaid:part="1"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert catalog["/Lang"] == "en"  # for screen readers
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # the title, not the file name
    assert reader.metadata.title == (
        f"Denial of your application to the Recordkeeping Compliance Program: "
        f"{denied.application.reference}"
    )
    text = pdf_text(data)
    for expected in (
        denied.application.reference,
        denied.application.profile_snapshot["legal_name"],
        "denied",
        DENIAL_REASONS[0]["text"],
        "appeal",
        letters._date(denied.appeal_deadline),
    ):
        assert expected in text.replace("\n", " ")
    event = denied.application.events.get(verb="letter.ready")
    assert event.applicant_visible and event.data["sha256"] == letter.sha256
    notification = event.notifications.get()
    assert f"/applications/{denied.application.reference}/" in notification.body
    assert "%PDF" not in notification.body


def test_rendering_again_changes_nothing(denied):
    letter_id = Letter.objects.get(decision=denied).pk
    first = letter_lifecycle.letter_render(letter_id=letter_id)
    again = letter_lifecycle.letter_render(letter_id=letter_id)
    render_letter.delay(letter_id=letter_id)  # a redelivered task
    again.refresh_from_db()
    assert (again.file.name, again.sha256, again.attempts) == (first.file.name, first.sha256, 1)
    assert first.file.storage.listdir(f"letters/{first.dated:%Y}/{first.dated:%m}")[1] == [
        first.file.name.rsplit("/", 1)[1]
    ]
    assert denied.application.events.filter(verb="letter.ready").count() == 1


def test_a_letter_abandoned_while_rendering_is_rendered_by_the_next_worker(denied):
    letter = Letter.objects.get(decision=denied)
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.RENDERING, attempts=1, rendering_started_at=timezone.now()
    )
    letter = letter_lifecycle.letter_render(letter_id=letter.pk)
    assert (letter.status, letter.attempts) == ("ready", 2)


def test_the_sweep_resends_only_letters_left_behind(denied, settings):
    letter = Letter.objects.get(decision=denied)
    now = timezone.now()
    assert letter_lifecycle.letters_to_resend(now=now) == []  # just asked for: on its way
    later = now + timedelta(seconds=settings.SWEEP_SECONDS)
    assert letter_lifecycle.letters_to_resend(now=later) == []  # still waiting its turn
    waited = now + timedelta(seconds=settings.LETTER_QUEUE_GRACE_SECONDS + 1)
    assert letter_lifecycle.letters_to_resend(now=waited) == [letter.pk]
    Letter.objects.filter(pk=letter.pk).update(status="rendering", rendering_started_at=now)
    assert letter_lifecycle.letters_to_resend(now=later) == []  # a worker has it
    stuck = now + timedelta(seconds=settings.LETTER_RENDER_TIMEOUT_SECONDS + 1)
    assert letter_lifecycle.letters_to_resend(now=stuck) == [letter.pk]
    Letter.objects.filter(pk=letter.pk).update(status="failed")
    assert letter_lifecycle.letters_to_resend(now=stuck) == []  # staff retry those


def test_the_sweep_task_renders_what_it_finds(denied):
    Letter.objects.filter(decision=denied).update(queued_at=timezone.now() - timedelta(hours=1))
    assert sweep_unfinished_letters.delay().get() == 1
    assert Letter.objects.get(decision=denied).status == LetterStatus.READY


# --- Failure, retry, reissue -----------------------------------------------------------------------


def test_a_letter_that_cannot_render_fails_with_its_error_and_staff_retry_it(
    denied, settings, tmp_path, supervisor, django_capture_on_commit_callbacks
):
    letter = Letter.objects.get(decision=denied)
    # A deployment whose static files were not built: the letter's stylesheet cannot be found.
    built = settings.STATICFILES_DIRS, settings.STATIC_ROOT
    settings.STATICFILES_DIRS = [tmp_path / "empty"]
    settings.STATIC_ROOT = tmp_path / "also-empty"
    render_letter.delay(letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert "letters/letter.css is missing" in letter.last_error

    with pytest.raises(PermissionDenied):
        letter_lifecycle.letter_retry(letter=letter, actor=denied.application.created_by)
    settings.STATICFILES_DIRS, settings.STATIC_ROOT = built
    with django_capture_on_commit_callbacks(execute=True):
        letter_lifecycle.letter_retry(letter=letter, actor=supervisor)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.last_error) == ("ready", 2, "")
    with pytest.raises(ValidationError, match="Only a failed letter"):
        letter_lifecycle.letter_retry(letter=letter, actor=supervisor)


def test_reissuing_makes_a_new_letter_and_leaves_the_old_one_as_it_was(
    denied, supervisor, django_capture_on_commit_callbacks
):
    old = letter_lifecycle.letter_render(letter_id=Letter.objects.get(decision=denied).pk)
    old_bytes = old.file.read()
    newer = LetterTemplate.objects.create(
        kind="denial",
        version=2,
        subject="Denial, corrected",
        body="Dear {{ legal_name }}:\n\n{{ reasons }}\n\nAppeal by {{ appeal_deadline }}.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        new = letter_lifecycle.letter_reissue(letter=old, actor=supervisor)
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.reissue_of, new.template, new.status) == (old, newer, "ready")
    assert old.file.read() == old_bytes and old.status == "ready"
    assert new.sha256 != old.sha256
    assert "Denial, corrected" in pdf_text(new.file.read())


def test_a_template_version_is_never_changed_or_deleted(letter_templates):
    template = letter_templates["denial"]
    template.body = "Changed."
    with pytest.raises(ValidationError, match="never changed"):
        template.save()
    with pytest.raises(ValidationError, match="kept"):
        template.delete()
    template.refresh_from_db()
    assert template.body != "Changed."


def test_an_information_request_can_come_as_a_letter_of_its_questions(owner_a, reviewer):
    from certification import workflow
    from certification.workflow import Question
    from tests.factories import draft_application, start_review

    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    due = timezone.localdate() + timedelta(days=20)
    request = workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=[Question(text="Send your <b>retrieval</b> SOP.", demonstration="iii")],
        due=due,
        with_letter=True,
    )
    letter = letter_lifecycle.letter_render(letter_id=request.letters.get().pk)
    assert (letter.kind, letter.status, letter.decision) == ("information_request", "ready", None)
    text = " ".join(pdf_text(letter.file.read()).split())
    assert "Send your <b>retrieval</b> SOP. (demonstration (iii))" in text
    assert letters._date(due) in text
    assert "not a decision" in text


def test_only_old_files_no_letter_points_to_are_pruned(denied):
    import os
    from io import StringIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import CommandError, call_command

    letter = letter_lifecycle.letter_render(letter_id=Letter.objects.get(decision=denied).pk)
    orphan = default_storage.save("letters/2026/11/orphan.pdf", ContentFile(b"%PDF-1.7 partial"))
    young = default_storage.save("letters/2026/11/young.pdf", ContentFile(b"%PDF-1.7 rendering"))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (orphan, letter.file.name):
        os.utime(default_storage.path(name), (two_days_ago, two_days_ago))

    out = StringIO()
    call_command("prune_letter_files", "--dry-run", stdout=out)
    assert f"would delete {orphan}" in out.getvalue()
    assert default_storage.exists(orphan)

    call_command("prune_letter_files", stdout=StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young)  # perhaps a render about to be marked ready
    assert default_storage.exists(letter.file.name)  # the ready letter's, however old
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_letter_files", "--older-than-hours", "0.5")
