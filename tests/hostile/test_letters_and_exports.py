"""Hostile text that a letter prints: CBP's reasons for a removal, the record named in a notice, an
appeal's decision, the organisation's name. Each letter is rendered as the worker does;
it prints the characters, connects to nothing (a listening port would see it) and embeds nothing.

Also: the suite fails when a form class of our apps is neither posted through its page by
`test_text_fields` nor listed here with the reason it is not.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms

from certification.letters import lifecycle as letter_lifecycle
from participants import services
from tests.certification.test_letters_hostile import Listener
from tests.factories import decide
from tests.hostile.surfaces import APPLICANT
from tests.hostile.surfaces_staff import STAFF
from tests.pdfs import embedded_files, flat, pdf_text, pdfdetach_list

pytestmark = pytest.mark.django_db


def hostile(port: int) -> str:
    return (
        f'<img src="http://127.0.0.1:{port}/i.png"> '
        f"<style>@import url(http://127.0.0.1:{port}/s.css);</style> "
        f'<p style="background:url(http://127.0.0.1:{port}/b.png)">b</p> '
        '<link rel="attachment" href="file:///etc/passwd"> =HYPERLINK("x")'
    )


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture
def participant(owner_a, reviewer, supervisor, handbook_in_force, listener):
    organisation = owner_a.membership.organisation
    organisation.legal_name = hostile(listener.port)[:200]
    organisation.save(update_fields=["legal_name"])
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    return decision.application.participant


def render(letter) -> str:
    rendered = letter_lifecycle.letter_render(letter_id=letter.pk)
    assert rendered.status == "ready", rendered.last_error
    path = Path(rendered.file.path)
    assert embedded_files(path.read_bytes()) == []
    assert pdfdetach_list(path) == "0 embedded files"
    text = pdf_text(path)
    assert "root:" not in text
    return text


def make_removal(participant, reviewer, supervisor, text):
    removal = services.removal_propose(
        participant=participant, actor=reviewer, grounds=["c1iii"], reasons=text
    )
    return services.removal_issue(removal=removal, actor=supervisor).letter


def make_notice(participant, reviewer, supervisor, text):
    return services.notice_record_failure(
        participant=participant,
        actor=reviewer,
        entry_number="123-4567890-3",
        record_demanded=text,
        demanded_on=participant.certified_on,
        willful=False,
    ).letter


LETTERS = {"removal": make_removal, "notice of violation": make_notice}


@pytest.mark.parametrize("kind", LETTERS)
def test_hostile_text_in_a_letter_is_printed_and_fetches_nothing(
    kind, participant, reviewer, supervisor, listener
):
    text = hostile(listener.port)
    letter = LETTERS[kind](participant, reviewer, supervisor, text)
    printed = flat(render(letter))
    assert listener.close() == []
    assert flat(text) in printed  # the reason, character for character
    assert flat(text[:200]) in printed  # the legal name


def test_an_appeal_decided_with_hostile_reasons(
    owner_a, reviewer, supervisor, appeals_official, handbook_in_force, listener
):
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    appeal = services.appeal_file(
        application=decision.application, actor=owner_a, statement=hostile(listener.port)
    )
    text = hostile(listener.port)
    appeal = services.appeal_decide(
        appeal=appeal, actor=appeals_official, outcome="upheld", reasons=text
    )
    printed = flat(render(appeal.letter))
    assert listener.close() == []
    assert flat(text) in printed


# --- Every form is reached --------------------------------------------------------------------
OUR_APPS = ("recordkeepers", "certification", "reviews", "participants", "reporting")

# Forms no page of test_text_fields posts, and why.
NOT_POSTED = {
    "certification.forms.VersionedForm": "a base class: only the hidden version",
    "certification.wizard.forms.DemonstrationForm": "a base class of the six steps, each posted",
    "certification.wizard.forms.RouteForm": "one choice, no text",
    "certification.wizard.demonstrations.IndividualsForm": "posted with the people, on the "
    "designated-individuals page: its fields are in that surface",
    "certification.evidence.forms.ReplaceEvidenceForm": "a file, checked as in test_uploads",
    "certification.notifications.views.StaffEmailChoicesForm": "choices only",
    "recordkeepers.forms.accounts.InvitationForm": "an email address: its format refuses markup",
    "reviews.forms.queue.ClaimForm": "a box to tick and the hidden version",
    "reviews.forms.queue.QueueFilterForm": "a search, stored only in an export of the queue, "
    "shown as text (tests/reporting/test_queue_export.py, test_user_text)",
    "participants.forms.RegisterFilterForm": "a search, never stored (test_user_text)",
    "reporting.forms.ReportFilterForm": "dates and choices, never stored; bad ones are field "
    "errors (tests/reporting/test_views.py)",
    "reporting.forms.ExportRequestForm": "choices only (tests/reporting/test_views.py)",
    "reporting.forms.QueueExportForm": "a choice of format (tests/reporting/test_queue_export.py)",
    "reviews.forms.queue.AssignForm": "its reason is kept only past a detected link (test_user_text)",
    "reviews.admin.ScoringSettingsForm": "numbers and boxes only",
    "certification.admin.letters.LetterTemplateForm": "admin Markdown, sanitised "
    "(tests/certification/test_letters_hostile.py)",
}


def form_classes() -> set[str]:
    found = set()
    for app in OUR_APPS:
        package = importlib.import_module(app)
        names = [app] + [
            info.name
            for info in pkgutil.walk_packages(package.__path__, f"{app}.")
            if ".migrations" not in info.name
        ]
        for name in names:
            module = importlib.import_module(name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == name
                ):
                    found.add(f"{obj.__module__}.{obj.__qualname__}")
    return found


def test_every_form_of_our_apps_is_in_the_corpus():
    posted = {surface.form for surface in APPLICANT + STAFF}
    missing = form_classes() - posted - set(NOT_POSTED)
    assert not missing, f"Add these forms to tests/hostile/surfaces*.py: {sorted(missing)}"
    # And nothing listed is stale: each name is a form that exists.
    assert (posted | set(NOT_POSTED)) - form_classes() == set()
