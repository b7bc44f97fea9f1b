"""The export policy: every field an export may carry, and whether it goes into the file as it is,
masked, or not at all, with the reason for anything not exported as it is. One table, here; the
datasets name their columns by its field names, and `police` is the only way to make the rows the
writers accept (`PolicedRows`), so no export reaches a file without passing through it.

Importer numbers are masked: a Social Security number leaves the service only by its last four
digits ("XXX-XX-1947"), as pages and letters show it. Exports read the numbers as rows keep them
for display (`importer_numbers`, a snapshot's "importer_numbers"), never the sealed list; masking
again here catches a number in clear that reached a row some other way (written before numbers were
sealed, or by hand). Free text (narratives, reasons, notes), sealed values, search text and digests
are left out: they are read on the pages that show them in context, and a spreadsheet is copied,
mailed and kept where the service cannot follow it.
"""

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Protocol, final

from django.core.exceptions import ImproperlyConfigured

from recordkeepers.validators import masked


class Treatment(enum.Enum):
    INCLUDE = "include"
    MASK = "mask"
    OMIT = "omit"


class CellKind(enum.Enum):
    """What a column holds: the writers write text as text, numbers as numbers and dates as
    dates (never a formula), and the policy refuses a cell of another type."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class Rule:
    treatment: Treatment
    reason: str = ""


_IN = Rule(Treatment.INCLUDE)
_NARRATIVE = "Free text, read in context on its page; a spreadsheet travels further than the page."


def _mask(reason: str) -> Rule:
    return Rule(Treatment.MASK, reason)


def _omit(reason: str) -> Rule:
    return Rule(Treatment.OMIT, reason)


_NUMBERS = "A Social Security number is exported only by its last four digits, as pages show it."

# Every field an export may name, by "<record>.<attribute>". Not in the table: not exportable.
POLICY: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        # Applications, as CBP's pages list them.
        "application.reference": _IN,
        "application.legal_name": _IN,  # as submitted (the profile snapshot)
        "organisation.legal_name": _IN,  # as the organisation is named now (the queue's)
        "application.size_class": _IN,
        "application.route": _IN,
        "application.status": _IN,
        "application.submitted_on": _IN,
        "application.days_waiting": _IN,
        "application.target_days": _IN,
        "application.entries_per_year": _IN,
        "application.risk_flag_count": _IN,
        "application.reviewer": _IN,
        "application.answers_unread": _IN,
        "application.information_overdue": _IN,
        "application.priority": _IN,
        "application.days_to_decision": _IN,
        "application.proposed_terms": _omit(_NARRATIVE),
        "application.search_text": _omit(
            "Search text: it holds keyed digests of Social Security numbers."
        ),
        # The business profile as the application keeps it.
        "profile.importer_numbers": _mask(_NUMBERS),
        "profile.sealed_importer_numbers": _omit(
            "The importer numbers in clear, sealed: they never leave the service."
        ),
        "profile.importer_number_digests": _omit(
            "Keyed digests of Social Security numbers: of no use outside but to match a number."
        ),
        "profile.prior_penalties": _omit(_NARRATIVE),
        "profile.open_cases": _omit(_NARRATIVE),
        # Decisions.
        "decision.outcome": _IN,
        "decision.decided_on": _IN,
        "decision.effective_date": _IN,
        "decision.appeal_deadline": _IN,
        "decision.grounds": _IN,  # the regulation's paragraphs, not the reasons' text
        "decision.recommended_by": _IN,
        "decision.decided_by": _IN,
        "decision.reasons_text": _omit(_NARRATIVE + " The letter states the reasons."),
        "decision.terms": _omit(_NARRATIVE + " The letter states the terms."),
        # The participant register.
        "participant.legal_name": _IN,
        "participant.importer_numbers": _mask(_NUMBERS),
        "participant.certified_on": _IN,
        "participant.route": _IN,
        "participant.status": _IN,
        "participant.status_changed_on": _IN,
        "participant.open_reports": _IN,
        "participant.action_overdue": _IN,
        "participant.terms": _omit(_NARRATIVE + " The letter states the terms."),
        "participant.search_text": _omit("Search text, for the register's search only."),
        # Variance and violation reports, and the corrective actions CBP asks for.
        "report.number": _IN,
        "report.kind": _IN,
        "report.status": _IN,
        "report.found_on": _IN,
        "report.filed_on": _IN,
        "report.entry_numbers": _IN,
        "report.actions_requested": _IN,
        "report.actions_open": _IN,
        "report.actions_overdue": _IN,
        "report.next_due": _IN,
        "report.what_happened": _omit(_NARRATIVE),
        "report.records_concerned": _omit(_NARRATIVE),
        "report.action_taken": _omit(_NARRATIVE),
        "report.closing_note": _omit("CBP's internal note, read on the report's page."),
        "report.filed_by": _omit("A person at the participant: not needed to work the figures."),
        "corrective_action.requested_on": _IN,
        "corrective_action.due": _IN,
        "corrective_action.responded_on": _IN,
        "corrective_action.overdue": _IN,
        "corrective_action.requested_by": _IN,
        "corrective_action.request": _omit(_NARRATIVE),
        "corrective_action.response": _omit(_NARRATIVE),
        # Failures to produce and notices of violation.
        "notice.number": _IN,
        "notice.entry_number": _IN,
        "notice.demanded_on": _IN,
        "notice.willful": _IN,
        "notice.eligible": _IN,
        "notice.status": _IN,
        "notice.issued_on": _IN,
        "notice.response_due": _IN,
        "notice.answered_on": _IN,
        "notice.recorded_by": _IN,
        "notice.record_demanded": _omit(_NARRATIVE),
        "notice.eligibility_reasons": _omit(
            "The service's reasoning on eligibility, read on the notice's page."
        ),
        "notice.response": _omit(_NARRATIVE),
        # Removals and appeals.
        "removal.number": _IN,
        "removal.grounds": _IN,
        "removal.immediate": _IN,
        "removal.status": _IN,
        "removal.proposed_on": _IN,
        "removal.proposed_by": _IN,
        "removal.decided_on": _IN,
        "removal.decided_by": _IN,
        "removal.appeal_deadline": _IN,
        "removal.effective_on": _IN,
        "removal.reasons": _omit(_NARRATIVE + " The letter states the reasons."),
        "removal.decline_reason": _omit("CBP's internal note, read on the removal's page."),
        "appeal.number": _IN,
        "appeal.kind": _IN,
        "appeal.status": _IN,
        "appeal.received_on": _IN,
        "appeal.decision_due": _IN,
        "appeal.expected_decision_on": _IN,
        "appeal.decided_on": _IN,
        "appeal.decided_by": _IN,
        "appeal.original_decider": _IN,
        "appeal.statement": _omit(_NARRATIVE),
        "appeal.reasons": _omit(_NARRATIVE + " The letter states the reasons."),
        "appeal.delay_reasons": _omit(_NARRATIVE + " The letter states the reasons."),
    }
)

_unexplained = [name for name, rule in POLICY.items() if rule.treatment != Treatment.INCLUDE]
if any(not POLICY[name].reason for name in _unexplained):
    raise ImproperlyConfigured("Every field the export policy masks or omits says why.")


class UnpolicedField(ImproperlyConfigured):
    """A column names a field the policy does not know: nobody decided whether it may leave."""


def treatment_of(field: str) -> Treatment:
    try:
        return POLICY[field].treatment
    except KeyError:
        raise UnpolicedField(
            f"The export policy has no entry for {field!r}: add it to "
            "reporting/exports/policy.py with its treatment (and why, unless included)."
        ) from None


def check_fields(fields: Iterable[str]) -> None:
    """Raise `UnpolicedField` for the first field the policy does not know (datasets call this
    when they are defined, so a column without an entry stops the service starting)."""
    for field in fields:
        treatment_of(field)


def exported(field: str) -> bool:
    """Whether `field` goes into a file (included or masked)."""
    return treatment_of(field) != Treatment.OMIT


# A Social Security number as normalisation writes it, anywhere in a text (not inside a longer
# run of digits): what masking catches even when it is not a whole importer number.
_SSN_ANYWHERE = re.compile(r"(?<![0-9])[0-9]{3}-[0-9]{2}-([0-9]{4})(?![0-9])", re.ASCII)


def mask_text(text: str) -> str:
    """`text` with any Social Security number in it masked as pages show it ("XXX-XX-6789")."""
    return _SSN_ANYWHERE.sub(lambda match: masked(match[0]), masked(text))


Cell = str | int | float | Decimal | date | None


class Described(Protocol):
    """What the policy needs of a dataset's column."""

    @property
    def field(self) -> str: ...

    @property
    def header(self) -> str: ...

    @property
    def kind(self) -> CellKind: ...


# Made here only: a writer refuses anything else (`PolicedRows.__init__` checks it).
_MADE_BY_POLICE = object()


@final
class PolicedRows:
    """Rows that passed the export policy: the included and masked columns' headers and kinds, and
    the rows as tuples of cells in that order. Read once: its rows stream from the database."""

    __slots__ = ("_rows", "_used", "headers", "kinds")

    def __init__(
        self,
        token: object,
        *,
        headers: tuple[str, ...],
        kinds: tuple[CellKind, ...],
        rows: Iterator[tuple[Cell, ...]],
    ) -> None:
        if token is not _MADE_BY_POLICE:
            raise TypeError("PolicedRows are made only by reporting.exports.policy.police().")
        self.headers = headers
        self.kinds = kinds
        self._rows = rows
        self._used = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError(
            "PolicedRows cannot be subclassed: writers accept only what police() makes."
        )

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        if self._used:
            raise RuntimeError("These rows were written already: police the dataset's rows again.")
        self._used = True
        return self._rows


def _text(value: Any, mask: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        parts = [_text(item, mask) for item in value]
        return "; ".join(part for part in parts if part)
    if isinstance(value, str):
        return mask_text(value) if mask else value
    raise TypeError(f"A text column holds text, a yes/no or a list of text, not {value!r}")


def _number(value: Any) -> int | float | Decimal | None:
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    raise TypeError(f"A number column holds numbers, not {value!r}")


def _date(value: Any) -> date | None:
    # A datetime is a date too, but which day it falls on depends on the time zone: the dataset
    # says which day (`timezone.localdate`), not the writer.
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise TypeError(f"A date column holds dates (not times), not {value!r}")


def _cell_maker(column: Described) -> Callable[[Any], Cell]:
    mask = treatment_of(column.field) == Treatment.MASK
    if mask and column.kind != CellKind.TEXT:
        raise ImproperlyConfigured(f"{column.field} is masked, so its column must be text.")
    if column.kind == CellKind.TEXT:
        return lambda value: _text(value, mask)
    if column.kind == CellKind.NUMBER:
        return _number
    return _date


def police(*, columns: Sequence[Described], rows: Iterable[Mapping[str, Any]]) -> PolicedRows:
    """The dataset's `rows` (each a mapping from field name to value) as the writers take them:
    only the columns the policy exports, in order, each cell masked where the policy says and
    checked against its column's kind. Raises `UnpolicedField` for a column the policy does not
    know, and (as rows are read) `KeyError` for a row without an exported column's field."""
    kept = [column for column in columns if exported(column.field)]
    makers = [(column.field, _cell_maker(column)) for column in kept]

    def cells() -> Iterator[tuple[Cell, ...]]:
        for row in rows:
            yield tuple(make(row[field]) for field, make in makers)

    return PolicedRows(
        _MADE_BY_POLICE,
        headers=tuple(column.header for column in kept),
        kinds=tuple(column.kind for column in kept),
        rows=cells(),
    )
