"""Variance or violation: the seed's definitions (19 CFR 163.12(b)(3)(vi), as PROGRAM.md quotes
them), decided by one question the participant answers. Pure."""

from dataclasses import dataclass

from participants.models.reports import ReportKind

QUESTION = (
    "Did it involve a failure to maintain or produce records, or to meet the recordkeeping "
    "requirements?"
)
VARIANCE_MEANS = (
    "A variance is a departure from the program that does not involve a failure to maintain or "
    "produce records, or to meet the recordkeeping requirements."
)
VIOLATION_MEANS = (
    "A violation is a departure from the program that involves a failure to maintain or produce "
    "records, or to meet the recordkeeping requirements."
)


@dataclass(frozen=True)
class Classification:
    kind: ReportKind
    because: str  # the definition that decided it, shown to the person


def classify(*, involves_failure: bool) -> Classification:
    if involves_failure:
        return Classification(ReportKind.VIOLATION, VIOLATION_MEANS)
    return Classification(ReportKind.VARIANCE, VARIANCE_MEANS)
