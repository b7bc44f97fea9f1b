"""Writes of the review, by concept: who reviews (`assignment`), the scoring (`scoring`) and the
outcome (`recommendation`). Keyword-only and atomic; the application changes only through
certification's workflow services. Callers use them from here: `services.review_claim(...)`."""

from reviews.services.assignment import (
    NO_CONFLICT_REQUIRED,
    AssignmentResult,
    review_assign,
    review_assign_many,
    review_claim,
    review_declare_no_conflict,
    review_recuse,
)
from reviews.services.importer_numbers import review_show_importer_numbers
from reviews.services.recommendation import (
    NO_REASON,
    SIGN_OFF_RETURN,
    review_acknowledge_answers,
    review_recommend,
    review_request_information,
    review_sign_off,
)
from reviews.services.scoring import (
    review_record_compliance_finding,
    review_save_scores,
    review_thresholds_pin,
)

__all__ = [
    "NO_CONFLICT_REQUIRED",
    "NO_REASON",
    "SIGN_OFF_RETURN",
    "AssignmentResult",
    "review_acknowledge_answers",
    "review_assign",
    "review_assign_many",
    "review_claim",
    "review_declare_no_conflict",
    "review_recommend",
    "review_record_compliance_finding",
    "review_recuse",
    "review_request_information",
    "review_save_scores",
    "review_show_importer_numbers",
    "review_sign_off",
    "review_thresholds_pin",
]
