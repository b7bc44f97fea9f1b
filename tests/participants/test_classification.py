"""Variance or violation, by the seed's definitions: one question decides the word."""

from participants.classification import classify
from participants.models import ReportKind


def test_a_failure_to_keep_or_produce_records_is_a_violation():
    result = classify(involves_failure=True)
    assert result.kind == ReportKind.VIOLATION
    assert result.because == (
        "A violation is a departure from the program that involves a failure to maintain or "
        "produce records, or to meet the recordkeeping requirements."
    )


def test_anything_else_is_a_variance():
    result = classify(involves_failure=False)
    assert result.kind == ReportKind.VARIANCE
    assert "does not involve a failure to maintain or produce records" in result.because
