"""What a certification letter says of the importer numbers it covers, who signs it, and a layout
that keeps the closing paragraph with the signature; with the migration that brings the new
wording to databases still on the shipped text."""

import importlib
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from certification.letters import content as letters
from certification.letters import pdf as letter_pdf
from certification.letters.defaults import DEFAULT_TEMPLATES
from certification.models import Application, LetterTemplate
from tests.factories import decide
from tests.pdfs import flat, pdf_text

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "certification.migrations.0017_letter_templates_importer_numbers"
)


def test_one_importer_number_is_singular_and_two_are_plural():
    assert letters.importer_numbers_phrase(["12-3456789AB"]) == "importer number 12-3456789AB"
    assert (
        letters.importer_numbers_phrase(["12-3456789AB", "98-7654321CD"])
        == "importer numbers 12-3456789AB, 98-7654321CD"
    )
    assert letters.importer_numbers_phrase([]) == ""


@pytest.mark.parametrize("kind", ["certification", "certification_alternative"])
def test_the_shipped_certification_text_follows_the_count(kind):
    body = DEFAULT_TEMPLATES[kind][1]
    assert "{{ importer_numbers_phrase }}" in body
    assert "importer number {{" not in flat(body).replace("importernumber{{", "importer number {{")
    one = letters.fill(body, {"importer_numbers_phrase": "importer number 1"}, markdown_text=True)
    one = one.replace("<bdi>", "").replace("</bdi>", "")  # each value is isolated
    assert "covers importer number 1" in " ".join(one.split())


def render(tmp_path: Path, *, kind: str, context: dict, body: str | None = None) -> Path:
    subject, shipped = DEFAULT_TEMPLATES[kind]
    pdf, _ = letter_pdf.render(subject=subject, body=body or shipped, context=context)
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf)
    return path


@override_settings(LETTER_SIGNATORY_NAME="Jane Q. Official", LETTER_SIGNATORY_TITLE="Director")
def test_a_certification_for_two_numbers_says_so_and_is_signed_by_name_and_title(
    owner_a, reviewer, supervisor, tmp_path
):
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    snapshot = decision.application.profile_snapshot
    snapshot["importer_numbers"] = ["12-3456789AB", "98-7654321CD"]
    Application.objects.filter(pk=decision.application_id).update(profile_snapshot=snapshot)
    decision.application.refresh_from_db()
    context = letters.decision_context(decision, decision.effective_date)
    text = flat(pdf_text(render(tmp_path, kind="certification", context=context)))
    assert flat("The certification covers importer numbers 12-3456789AB, 98-7654321CD.") in text
    assert flat("Sincerely, Jane Q. Official Director") in text


def test_the_closing_paragraph_is_split_off_only_when_the_body_ends_with_one():
    assert letter_pdf.split_closing("<p>One.</p>\n<p>Two.</p>") == ("<p>One.</p>\n", "<p>Two.</p>")
    assert letter_pdf.split_closing("<p>Only.</p>") == ("", "<p>Only.</p>")
    listed = "<p>One.</p>\n<ol>\n<li>\n<p>Loose item.</p>\n</li>\n</ol>"
    assert letter_pdf.split_closing(listed) == (listed, "")
    nested = "<p>One.</p>\n<ul>\n<li>a\n<p>b</p>"  # not well formed, still not split inside a list
    assert letter_pdf.split_closing(nested + "</p>")[1] == ""


def pages_text(path: Path) -> list[str]:
    count = len(pdf_text(path).split("\f")) - 1
    return [
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_the_signature_never_stands_on_a_page_without_the_closing_paragraph(tmp_path):
    """Bodies of many lengths, so that for some the signature would be pushed to a page of its
    own: on the page that has it, the closing paragraph is there too, whole."""
    context = letters.sample_context("certification")
    closing = "This closing paragraph stays with the signature."
    for paragraphs in range(14, 26):
        body = "\n\n".join(
            f"Paragraph {n} of the body, long enough to fill a good part of a line of the "
            "letter and to wrap onto a second line of text."
            for n in range(paragraphs)
        )
        path = render(tmp_path, kind="certification", context=context, body=f"{body}\n\n{closing}")
        signed = [page for page in pages_text(path) if "Sincerely" in page]
        assert len(signed) == 1
        assert flat(closing) in flat(signed[0]), paragraphs


def run_migration():
    state = MigrationExecutor(connection).loader.project_state(
        ("certification", "0017_letter_templates_importer_numbers")
    )
    MIGRATION.add_plural_importer_numbers_versions(state.apps, None)


def test_the_migration_adds_the_new_text_where_the_shipped_text_is_still_in_use(letter_templates):
    LetterTemplate.objects.filter(kind__startswith="certification").delete()
    for kind, (subject, body) in MIGRATION.SHIPPED.items():
        LetterTemplate.objects.create(kind=kind, version=1, subject=subject, body=body)
    run_migration()
    for kind in MIGRATION.SHIPPED:
        latest = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
        assert (latest.version, latest.body) == (2, DEFAULT_TEMPLATES[kind][1])
        # Version 1 stays as it was, for the letters rendered from it.
        assert LetterTemplate.objects.get(kind=kind, version=1).body == MIGRATION.SHIPPED[kind][1]


def test_the_migration_leaves_an_admins_own_text_in_use(letter_templates, cbp_admin):
    LetterTemplate.objects.filter(kind__startswith="certification").delete()
    subject, body = MIGRATION.SHIPPED["certification"]
    LetterTemplate.objects.create(kind="certification", version=1, subject=subject, body=body)
    LetterTemplate.objects.create(
        kind="certification", version=2, subject=subject, body=body + "\nOur own words.\n"
    )
    run_migration()
    assert LetterTemplate.objects.filter(kind="certification").count() == 2
    assert not LetterTemplate.objects.filter(kind="certification_alternative").exists()


def test_a_fresh_database_ships_the_new_text_as_version_1(letter_templates):
    for kind in MIGRATION.SHIPPED:
        assert letter_templates[kind].body == DEFAULT_TEMPLATES[kind][1]
