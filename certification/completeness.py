"""What a complete application is: pure functions over what its rows hold.

An application is complete when its business profile is, when the terms it proposes are written (on
the negotiated alternative route), and when each of the six demonstrations has the answers a
reviewer needs. Nothing here reads the database or a form: `certification.selectors` reads the rows
into an `ApplicationContent`, and the wizard (which step still lacks what), the check-your-answers
page and the submit move (which refuses an unfinished application) all ask `missing()`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from certification.models.handbook import Demonstration

# The questions a complete application answers, by the name its answers are stored under, with the
# words the applicant sees: the forms label their fields with them, and what is missing is listed
# in them.
QUESTIONS: dict[str, str] = {
    # (i)
    "record_types": "Which kinds of records do you keep?",
    "retention_schedule": "Your retention schedule",
    "policy": "Your written recordkeeping policy",
    # (ii)
    "training_audience": "Who is trained",
    "training_frequency": "How often training is given",
    "last_training": "Date of the last training session",
    # (iii)
    "procedures": "Your written procedures",
    "record_linking": "How your records are linked",
    "storage": "Where records are stored",
    "retrieval_days": "Days you need to produce records when CBP asks",
    # (iv)
    "staying_current": "How they keep current with CBP's requirements",
    # (v)
    "method": "How do you keep your records?",
    "alternative_description": "The alternative method",
    "notice_date": "Date of your notice to CBP",
    "implementation_date": "Date you started, or will start, using it",
    # (vi)
    "detection": "How you find variances and violations",
    "escalation": "How they are escalated inside your organization",
    "reporting": "Who tells CBP, and how fast",
    "corrective_action": "How you take corrective action when CBP notifies you",
}

# The answers each demonstration always needs. (v) needs more on the alternative method's route.
REQUIRED: dict[str, tuple[str, ...]] = {
    Demonstration.I: ("record_types", "retention_schedule", "policy"),
    Demonstration.II: ("training_audience", "training_frequency", "last_training"),
    Demonstration.III: ("procedures", "record_linking", "storage", "retrieval_days"),
    Demonstration.IV: ("staying_current",),
    Demonstration.V: ("method",),
    Demonstration.VI: ("detection", "escalation", "reporting", "corrective_action"),
}

# Record maintenance by an alternative method under 19 CFR 163.5(b): what it needs besides, and the
# standards of 163.5(b)(2) it must meet, every one.
ALTERNATIVE_METHOD = "alternative"
ALTERNATIVE_REQUIRED = ("alternative_description", "notice_date", "implementation_date")
ALTERNATIVE_STANDARDS = ("procedures", "indexing", "legible", "originals_kept")
UNMET_STANDARDS = "An alternative method must meet every standard of 163.5(b)(2)"

PRIMARY_INDIVIDUAL = "At least one primary designated individual"
BACKUP_INDIVIDUAL = "A backup designated individual (expected of medium and large importers)"
# Size classes expected to name a backup designated individual as well as a primary one.
EXPECT_BACKUP = frozenset({"medium", "large"})
TERMS_MISSING = "The terms you propose"

# Keys of `missing()` besides the six demonstrations.
PROFILE = "profile"
BUSINESS = "business"
TERMS = "terms"


@dataclass(frozen=True)
class ApplicationContent:
    """What completeness reads of an application: its rows' contents, nothing else."""

    proposes_alternative: bool
    proposed_terms: str = ""
    profile_missing: tuple[str, ...] = ()  # the profile's first part: who the organisation is
    business_missing: tuple[str, ...] = ()  # its second part: the business and its imports
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by demonstration
    individual_kinds: frozenset[str] = frozenset()  # "primary", "backup"
    size_class: str | None = None  # None while the business profile cannot size the business


def _blank(value: object) -> bool:
    return value in (None, "", []) or (isinstance(value, str) and not value.strip())


def _missing_answers(demonstration: str, answers: Mapping[str, Any]) -> list[str]:
    missing = [QUESTIONS[name] for name in REQUIRED[demonstration] if _blank(answers.get(name))]
    if demonstration == Demonstration.V and answers.get("method") == ALTERNATIVE_METHOD:
        missing += [QUESTIONS[name] for name in ALTERNATIVE_REQUIRED if _blank(answers.get(name))]
        if set(ALTERNATIVE_STANDARDS) - set(answers.get("standards") or []):
            missing.append(UNMET_STANDARDS)
    return missing


def missing(content: ApplicationContent) -> dict[str, list[str]]:
    """What a complete application still lacks, by part: `PROFILE`, `BUSINESS`, `TERMS` (only on
    the alternative route) and each demonstration ("i" to "vi"); an empty list where nothing is."""
    lacking: dict[str, list[str]] = {
        PROFILE: list(content.profile_missing),
        BUSINESS: list(content.business_missing),
    }
    if content.proposes_alternative:
        lacking[TERMS] = [] if content.proposed_terms.strip() else [TERMS_MISSING]
    for demonstration in Demonstration:
        lacking[demonstration.value] = _missing_answers(
            demonstration, content.answers.get(demonstration, {})
        )
    individuals = lacking[Demonstration.IV]
    if "primary" not in content.individual_kinds:
        individuals.insert(0, PRIMARY_INDIVIDUAL)
    if content.size_class in EXPECT_BACKUP and "backup" not in content.individual_kinds:
        individuals.append(BACKUP_INDIVIDUAL)
    return lacking
