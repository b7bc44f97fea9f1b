"""Each kind of letter's placeholders (the fixed set its template may use, and those the law
requires it to carry) and the check an admin's template must pass before it is saved."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from certification.models import LetterKind


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    block: bool = False  # a list or paragraphs: must stand on a line of its own
    # What the law requires the letter to say: a template without it is refused.
    required: bool = False


COMMON = [
    Placeholder("legal_name", "The applicant's legal name, as submitted."),
    Placeholder("importer_numbers", "The importer numbers covered, separated by commas."),
    Placeholder(
        "importer_numbers_phrase",
        'The numbers with their noun: "importer number 12-3456789AB", or "importer numbers '
        '12-3456789AB, 98-7654321CD".',
    ),
    Placeholder("address", "The applicant's address, on one line."),
    Placeholder("reference", "The application's reference, e.g. RKCP-2026-000123."),
    Placeholder("letter_date", "The date the letter bears."),
    Placeholder("signatory_name", "Who signs (setting RKCP_LETTER_SIGNATORY_NAME)."),
    Placeholder("signatory_title", "The signatory's title (setting RKCP_LETTER_SIGNATORY_TITLE)."),
    Placeholder("office_name", "The issuing office (setting RKCP_LETTER_OFFICE_NAME)."),
    Placeholder(
        "office_address", "The office's address, on one line (RKCP_LETTER_OFFICE_ADDRESS)."
    ),
]
DECISION = [
    Placeholder("decision_date", "The day the supervisor issued the decision."),
    Placeholder("effective_date", "The day the decision takes effect."),
]
CERTIFIED = [Placeholder("route", "The program: general, or negotiated alternative.")]
ALTERNATIVE = [
    Placeholder("alternative_terms", "The negotiated alternative program's terms.", block=True)
]
APPEAL_RIGHT = [
    Placeholder(
        "appeal_deadline",
        "The last day to appeal: the notice's date and the appeal days of the workload settings "
        "(19 CFR 163.13(d)).",
        required=True,
    ),
    Placeholder(
        "appeal_addressee",
        "To whom an appeal is sent (setting RKCP_APPEAL_ADDRESSEE).",
        required=True,
    ),
]
DENIED = [
    Placeholder(
        "reasons",
        "Each reason for the denial: the demonstration concerned, what CBP found, what would meet "
        "the requirement, and its 19 CFR 163.13(b)(1) ground (163.13(b)(2) requires the reasons).",
        block=True,
        required=True,
    ),
    *APPEAL_RIGHT,
]
NOTICE = [
    Placeholder(
        "violation_statement",
        "That the participant violated the recordkeeping requirements (19 CFR 163.12(d)): "
        "required.",
        required=True,
    ),
    Placeholder("entry_number", "The entry whose record was demanded.", required=True),
    Placeholder(
        "record_demanded",
        "The record demanded and not produced (19 CFR 163.12(d)): required.",
        required=True,
    ),
    Placeholder("demanded_on", "The day CBP demanded the record."),
    Placeholder(
        "future_failures_warning",
        "That future failures may bring penalties and removal (19 CFR 163.12(d)): required.",
        required=True,
    ),
    Placeholder(
        "response_due",
        "The day the participant's answer (the steps taken to prevent recurrence) is due.",
        required=True,
    ),
]
REMOVAL = [
    Placeholder("decision_date", "The day the removal was decided."),
    Placeholder(
        "removal_reasons",
        "Each ground under 19 CFR 163.13(c)(1) with CBP's reasons (required).",
        block=True,
        required=True,
    ),
    Placeholder(
        "effective_statement",
        "When the removal takes effect under 19 CFR 163.13(c)(3).",
        required=True,
    ),
    *APPEAL_RIGHT,
]
APPEAL = [
    Placeholder(
        "appeal_subject", 'What was appealed: "the denial of your application" or "the removal".'
    ),
    Placeholder("appeal_received_on", "The day CBP received the appeal."),
]
APPEAL_DECIDED = [
    Placeholder("decision_date", "The day the appeal was decided."),
    Placeholder(
        "outcome_statement",
        "The appeal's outcome: the decision upheld, or reversed, and what follows.",
        required=True,
    ),
    Placeholder("appeal_reasons", "The appeals official's reasons.", block=True, required=True),
]
APPEAL_DELAYED = [
    Placeholder(
        "delay_reasons",
        "Why the decision is delayed (19 CFR 163.13(d)): required.",
        block=True,
        required=True,
    ),
    Placeholder("expected_decision_date", "The day a decision is now expected.", required=True),
]
INFORMATION = [
    Placeholder("questions", "CBP's questions, numbered, each with its demonstration.", block=True),
    Placeholder("response_due", "The date the answers are due."),
]

# The fixed set of placeholders each kind of letter may use.
PLACEHOLDERS: dict[str, list[Placeholder]] = {
    LetterKind.CERTIFICATION: COMMON + DECISION + CERTIFIED,
    LetterKind.CERTIFICATION_ALTERNATIVE: COMMON + DECISION + CERTIFIED + ALTERNATIVE,
    LetterKind.DENIAL: COMMON + DECISION + DENIED,
    LetterKind.INFORMATION_REQUEST: COMMON + INFORMATION,
    LetterKind.NOTICE_OF_VIOLATION: COMMON + NOTICE,
    LetterKind.REMOVAL: COMMON + REMOVAL,
    LetterKind.APPEAL_DECISION: COMMON + APPEAL + APPEAL_DECIDED,
    LetterKind.APPEAL_DELAY: COMMON + APPEAL + APPEAL_DELAYED,
}

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
# Anything that looks like a placeholder but is not well formed: "{{ name" or "{{name}".
LOOSE_BRACES_RE = re.compile(r"\{\{|\}\}")


def check_template(*, kind: str, subject: str, body: str) -> None:
    """Refuse a template that uses a placeholder its kind does not have, writes one malformed,
    puts a block placeholder inside a paragraph, or drops one the law requires the letter to carry
    (the reasons and the appeal right of a denial or removal, the record demanded of a notice...).
    Errors are keyed by field for the admin form."""
    allowed = {p.name: p for p in PLACEHOLDERS[kind]}
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted({n for n in PLACEHOLDER_RE.findall(text) if n not in allowed})
        if unknown:
            errors.setdefault(field, []).append(
                f"Unknown placeholder{'s' if len(unknown) > 1 else ''}: "
                f"{', '.join('{{ ' + n + ' }}' for n in unknown)}. "
                f"This kind of letter may use: {', '.join(sorted(allowed))}."
            )
        if LOOSE_BRACES_RE.search(PLACEHOLDER_RE.sub("", text)):
            errors.setdefault(field, []).append(
                "Write placeholders as {{ name }}, with two braces on each side."
            )
    anywhere = set(PLACEHOLDER_RE.findall(subject)) | set(PLACEHOLDER_RE.findall(body))
    missing = [p.name for p in allowed.values() if p.required and p.name not in anywhere]
    if missing:
        errors.setdefault("body", []).append(
            f"This kind of letter must say what {', '.join('{{ ' + n + ' }}' for n in missing)} "
            f"{'says' if len(missing) == 1 else 'say'}: the law requires it. Put "
            f"{'it' if len(missing) == 1 else 'them'} back."
        )
    blocks = [p.name for p in allowed.values() if p.block]
    in_subject = set(PLACEHOLDER_RE.findall(subject))
    for name in blocks:
        if name in in_subject:
            errors.setdefault("subject", []).append(f"{{{{ {name} }}}} cannot be in the subject.")
    for line in body.splitlines():
        used = PLACEHOLDER_RE.findall(line)
        if any(n in blocks for n in used) and not PLACEHOLDER_RE.fullmatch(line.strip()):
            errors.setdefault("body", []).append(
                f"Put {{{{ {next(n for n in used if n in blocks)} }}}} on a line of its own: "
                "it is a list, not words in a sentence."
            )
    if errors:
        raise ValidationError(errors)
