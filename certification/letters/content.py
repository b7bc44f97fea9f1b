"""Decision letters: what they say. `certification/letter_pdf.py` makes them PDFs.

A letter is an admin-kept template (`LetterTemplate`: Markdown with `{{ placeholder }}`s) filled with
values fixed when the letter was asked for (`Letter.context`), laid out by `letters/letter.html`
(letterhead, reference, date, page numbers, the office's fonts) and rendered by WeasyPrint. This
module imports no WeasyPrint: the workflow uses it in every web process, which never renders.

The order of the steps is what keeps hostile text harmless. The template's Markdown is rendered to
HTML with each placeholder standing in as an inert token, and that HTML is sanitised with nh3 down to
a few text tags (no links, images, styles or attributes). Only then are the values put in, escaped:
an organisation named `<img src="file:///etc/passwd">` is printed as those characters, and no value
can add markup. WeasyPrint fetches only our own static files (`letter_pdf.StaticFilesFetcher`), so
even markup that slipped through could reach nothing else.

Every value is put in inside `<bdi>`, and so is the person's own part of a value we compose (a
question followed by "(demonstration (iii))", a reason after "What we found:"), marked with
`isolate()` when it is composed. Forms refuse text-direction controls, but older rows may hold one,
and an override left open in a value would otherwise print the letter's own words after it
backwards ("((iii) noitartsnomed)"). Within `<bdi>` it reverses only the value.
"""

import html
import re
from dataclasses import dataclass
from datetime import date

import markdown
import nh3
from django.conf import settings
from django.utils import timezone

from certification import deadlines
from certification.letters.placeholders import (
    LOOSE_BRACES_RE,
    PLACEHOLDER_RE,
    PLACEHOLDERS,
    Placeholder,
    check_template,
)
from certification.letters.reasons import reason_item
from certification.models import (
    Application,
    Decision,
    InformationRequest,
    LetterKind,
    WorkloadSettings,
)
from common.text import ISOLATE_CLOSE, ISOLATE_OPEN, isolate

# The placeholders and the template check live in `placeholders`; callers keep reading them here.
__all__ = [
    "LOOSE_BRACES_RE",
    "PLACEHOLDERS",
    "PLACEHOLDER_RE",
    "Placeholder",
    "check_template",
    "isolate",
    "reason_item",  # the sign-off page shows the reasons as the letter will
]


# The tags a letter's text may use once rendered from Markdown: text structure, nothing that links,
# loads or styles.
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br", "blockquote", "hr"}


def _token(index: int) -> str:
    # Letters and digits only, so Markdown leaves it alone wherever it stands.
    return f"RKCPPLACEHOLDER{index}X"


_OPEN, _CLOSE = ISOLATE_OPEN, ISOLATE_CLOSE


def _user_html(value: object) -> str:
    """A value as letter HTML: escaped, inside <bdi>, its `isolate()`d parts inside their own."""
    escaped = html.escape(str(value))
    out, depth = [], 0
    for character in escaped:
        if character == _OPEN:
            out.append("<bdi>")
            depth += 1
        elif character == _CLOSE:
            if depth:  # an unpaired close (an older row's own character) is dropped
                out.append("</bdi>")
                depth -= 1
        elif character in "\u2066\u2067":
            continue
        else:
            out.append(character)
    return "<bdi>" + "".join(out) + "</bdi>" * (depth + 1)


def fill(text: str, context: dict[str, str | list], *, markdown_text: bool) -> str:
    """The template text as safe HTML: Markdown rendered and sanitised first, then each placeholder
    replaced by its value, escaped (a list value as a list)."""
    names: list[str] = []

    def stand_in(match: re.Match) -> str:
        names.append(match.group(1))
        return _token(len(names) - 1)

    tokenised = PLACEHOLDER_RE.sub(stand_in, text)
    if markdown_text:
        rendered = markdown.markdown(tokenised, extensions=["sane_lists"], output_format="html")
        safe = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={}, link_rel=None)
    else:
        safe = html.escape(tokenised)
    for index, name in enumerate(names):
        value = context.get(name, "")
        if isinstance(value, list):
            items = "".join(f"<li>{_list_item_html(item)}</li>" for item in value)
            block = f'<ol class="letter-list">{items}</ol>' if value else ""
            safe = safe.replace(f"<p>{_token(index)}</p>", block)
            value = "; ".join(_list_item_text(item) for item in value)
        safe = safe.replace(_token(index), _user_html(value) if value != "" else "")
    return safe


def _list_item_html(item: str | dict) -> str:
    """One item of a list placeholder: a string, or {"heading", "lines"} (a denial's reason),
    each part escaped."""
    if not isinstance(item, dict):
        return _user_html(item)
    heading = str(item.get("heading") or "")
    parts = (
        # The heading is ours (the demonstration's name); the lines carry the reviewer's words.
        [f'<p class="item-heading"><strong>{html.escape(heading)}</strong></p>'] if heading else []
    )
    parts += [f"<p>{_user_html(line)}</p>" for line in item.get("lines") or []]
    return "".join(parts)


def _list_item_text(item: str | dict) -> str:
    if not isinstance(item, dict):
        return str(item)
    parts = [item.get("heading"), *(item.get("lines") or [])]
    return " ".join(str(part) for part in parts if part)


def letter_day(value: date) -> str:
    """A date as letters print it: "March 1, 2027"."""
    return _date(value)


def _date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def importer_numbers_phrase(numbers: list[str]) -> str:
    """ "importer number 12-3456789AB", or "importer numbers 12-3456789AB, 98-7654321CD": a
    sentence can then say what a certification covers whatever the count."""
    noun = "importer number" if len(numbers) == 1 else "importer numbers"
    return f"{noun} {', '.join(numbers)}" if numbers else ""


def common_context(application: Application, dated: date) -> dict[str, str | list]:
    """The placeholders every letter has, as of `dated`: for the participants app's letters too."""
    return _common(application, dated)


def _common(application: Application, dated: date) -> dict[str, str | list]:
    snapshot = application.profile_snapshot or {}
    address = ", ".join(
        part
        for part in (
            snapshot.get("address_line1", ""),
            snapshot.get("address_line2", ""),
            snapshot.get("city", ""),
            " ".join(p for p in (snapshot.get("state", ""), snapshot.get("postal_code", "")) if p),
        )
        if part
    )
    numbers = list(snapshot.get("importer_numbers") or [])
    return {
        "legal_name": snapshot.get("legal_name") or application.organisation.legal_name,
        "importer_numbers": ", ".join(numbers),
        "importer_numbers_phrase": importer_numbers_phrase(numbers),
        "address": address,
        "reference": application.reference or "",
        "letter_date": _date(dated),
        "signatory_name": settings.LETTER_SIGNATORY_NAME,
        "signatory_title": settings.LETTER_SIGNATORY_TITLE,
        "office_name": settings.LETTER_OFFICE_NAME,
        "office_address": ", ".join(settings.LETTER_OFFICE_ADDRESS),
    }


@dataclass(frozen=True)
class DecisionFacts:
    """What a decision letter reports: a recorded `Decision`'s facts (`of`), or those a sign-off
    would record today (`decision_facts_on`), which the supervisor previews before issuing."""

    application: Application
    outcome: str
    reasons: list[dict]
    decided_on: date
    effective_date: date
    appeal_deadline: date | None
    terms: str = ""  # a negotiated alternative program's terms, as CBP recorded them

    @classmethod
    def of(cls, decision: Decision) -> "DecisionFacts":
        return cls(
            application=decision.application,
            outcome=decision.outcome,
            reasons=decision.reasons,
            decided_on=timezone.localdate(decision.decided_at),
            effective_date=decision.effective_date,
            appeal_deadline=decision.appeal_deadline,
            terms=decision.terms,
        )


def decision_facts_on(
    *,
    application: Application,
    outcome: str,
    reasons: list[dict],
    issued: date,
    terms: str | None = None,
) -> DecisionFacts:
    """The facts of a decision issued on `issued`: effective that day; a denial appealable until
    the end of the admins' appeal window (19 CFR 163.13(d)). The workflow records these dates, so
    a preview shows the very dates the letter will."""
    denied = outcome == Decision.Outcome.DENIED
    alternative = not denied and application.route == Application.Route.ALTERNATIVE
    return DecisionFacts(
        application=application,
        outcome=outcome,
        reasons=reasons,
        decided_on=issued,
        effective_date=issued,
        appeal_deadline=(
            deadlines.appeal_deadline(
                issued=issued, window_days=WorkloadSettings.current().appeal_days
            )
            if denied
            else None
        ),
        # CBP's terms; until the supervisor records others, those proposed (what a preview shows).
        terms=(application.proposed_terms if terms is None else terms).strip()
        if alternative
        else "",
    )


def decision_letter_kind(decision: Decision | DecisionFacts) -> str:
    if decision.outcome == Decision.Outcome.DENIED:
        return LetterKind.DENIAL
    if decision.application.route == Application.Route.ALTERNATIVE:
        return LetterKind.CERTIFICATION_ALTERNATIVE
    return LetterKind.CERTIFICATION


def decision_context(decision: Decision | DecisionFacts, dated: date) -> dict[str, str | list]:
    """The placeholders' values for a decision letter, as of `dated`."""
    if isinstance(decision, Decision):
        decision = DecisionFacts.of(decision)
    application = decision.application
    context = _common(application, dated) | {
        "decision_date": _date(decision.decided_on),
        "effective_date": _date(decision.effective_date),
        "route": (
            "negotiated alternative program"
            if application.route == Application.Route.ALTERNATIVE
            else "general program"
        ),
        "alternative_terms": [line.strip() for line in decision.terms.splitlines() if line.strip()],
    }
    if decision.outcome == Decision.Outcome.DENIED:
        context |= {
            "reasons": [reason_item(reason) for reason in decision.reasons],
            "appeal_deadline": _date(decision.appeal_deadline) if decision.appeal_deadline else "",
            "appeal_addressee": settings.APPEAL_ADDRESSEE,
        }
    return context


def information_request_context(request: InformationRequest, dated: date) -> dict[str, str | list]:
    items = request.items.order_by("position", "pk")
    return _common(request.application, dated) | {
        "questions": [
            isolate(item.question)
            + (f" (demonstration ({item.demonstration}))" if item.demonstration else "")
            for item in items
        ],
        "response_due": _date(request.due),
    }


def sample_context(kind: str) -> dict[str, str | list]:
    """Made-up values for an admin's preview of a template."""
    today = timezone.localdate()
    return {
        "legal_name": "Example Importing Company, Inc.",
        "importer_numbers": "12-3456789AB",
        "importer_numbers_phrase": importer_numbers_phrase(["12-3456789AB"]),
        "address": "100 Harbor Way, Long Beach, CA 90802",
        "reference": f"RKCP-{today.year}-SAMPLE",  # no application has such a reference
        "letter_date": _date(today),
        "signatory_name": settings.LETTER_SIGNATORY_NAME,
        "signatory_title": settings.LETTER_SIGNATORY_TITLE,
        "office_name": settings.LETTER_OFFICE_NAME,
        "office_address": ", ".join(settings.LETTER_OFFICE_ADDRESS),
        "decision_date": _date(today),
        "effective_date": _date(today),
        "route": (
            "negotiated alternative program"
            if kind == LetterKind.CERTIFICATION_ALTERNATIVE
            else "general program"
        ),
        "alternative_terms": [
            "Records are kept in the importer's document system, indexed by entry number.",
            "Originals are kept 120 days after release before destruction.",
        ],
        "reasons": [
            reason_item(
                {
                    "ground": "163.13(b)(1)(i)",
                    "demonstration": "iii",
                    "text": "You did not show how you would find and send records CBP asks for.",
                    "remedy": "A written procedure naming who answers a CBP request for "
                    "records, where each kind of record is kept, and how soon it is sent.",
                }
            )
        ],
        "appeal_deadline": _date(
            deadlines.appeal_deadline(
                issued=today, window_days=WorkloadSettings.current().appeal_days
            )
        ),
        "appeal_addressee": settings.APPEAL_ADDRESSEE,
        "questions": [
            "Send your retrieval procedure for CBP Form 28 requests (demonstration (iii))",
        ],
        "response_due": _date(
            deadlines.information_response_due(
                requested=today,
                window_days=WorkloadSettings.current().information_request_days,
            )
        ),
        # After certification.
        "violation_statement": violation_statement("Example Importing Company, Inc."),
        "entry_number": "123-4567890-3",
        "record_demanded": "The commercial invoice for the entry.",
        "demanded_on": _date(today),
        "future_failures_warning": FUTURE_FAILURES_WARNING,
        "removal_reasons": [
            "19 CFR 163.13(c)(1)(iii): fails on a recurring basis to provide entry records when "
            "demanded. Records were not produced for three entries in 2026."
        ],
        "effective_statement": "The removal takes effect when you have this notice and no appeal "
        "is received by the deadline below, or when an appeal is decided upholding it.",
        "appeal_subject": "the removal of your certification",
        "appeal_received_on": _date(today),
        "outcome_statement": "The appeal is upheld: the removal is reversed and you are again a "
        "participant in the program.",
        "appeal_reasons": ["The records were produced within the time CBP allowed."],
        "delay_reasons": ["CBP is waiting for the port's records of the entries concerned."],
        "expected_decision_date": _date(today),
    }


def violation_statement(legal_name: str) -> str:
    """What a notice of violation must state first (19 CFR 163.12(d))."""
    return (
        f"{isolate(legal_name)} violated the recordkeeping requirements of 19 U.S.C. 1509 and 19 CFR part "
        "163 by not producing a record that U.S. Customs and Border Protection (CBP) demanded."
    )


# What a notice of violation must warn of (19 CFR 163.12(d); removal under 163.13(c)).
FUTURE_FAILURES_WARNING = (
    "Future failures to produce records CBP demands may result in monetary penalties under "
    "19 U.S.C. 1509(g) and in removal from the Recordkeeping Compliance Program under "
    "19 CFR 163.13(c)."
)
