"""How a reviewer's scores become a suggestion. Pure functions: no database, nothing stored.

The rules, in plain words (this module is cited on screen and in the documentation):

1. A reviewer scores each Handbook criterion that applies to the application: 0 absent, 1 partial,
   2 adequate, 3 strong; or marks it not applicable (N/A). A criterion marked N/A counts for nothing:
   it is left out of both the points and the maximum.
2. Each criterion has a weight from 1 to 5. A demonstration's points are the sum of weight × score
   over its applicable criteria; its maximum is the sum of weight × 3. The ratio is points ÷ maximum.
3. How much of the maximum "meets" a demonstration depends on the size of the importing business,
   because the statute (19 U.S.C. 1509(f)(2)) asks CBP to take size, nature and volume into account.
   The defaults are micro 50%, small 60%, medium 67%, large 75%; administrators change them.
4. For one demonstration, in this order:
   - a criterion that applies but has no score yet: **incomplete**;
   - every criterion not applicable: **not applicable** (the demonstration does not block anything);
   - a must-pass criterion scored 0 (absent): **not met**, however high the other scores;
   - the ratio at or above the size class's threshold: **met**, unless a must-pass criterion is only
     partly shown (scored 1), which makes it **needs information** at best;
   - the ratio below the threshold but within the information band (default 15 percentage points):
     **needs information**: ask the applicant rather than deny;
   - otherwise **not met**.
   A ratio exactly equal to the threshold is met: the comparison is exact (points ≥ threshold ×
   maximum, in decimal arithmetic), so no rounding decides a case on the boundary.
5. Over the whole application: any demonstration incomplete → **incomplete** (finish scoring first);
   any demonstration not met, or a concern about the applicant's compliance with the customs laws →
   **deny**, with one reason per ground; otherwise any demonstration needing information →
   **request information**; otherwise **certify**, under the route the applicant chose (general
   requirements or a negotiated alternative program).

A denial's reasons cite 19 CFR 163.13(b)(1)(i) (a requirement of 163.12(b)(3) is not met; one reason
per demonstration) or 163.13(b)(1)(iii) (in CBP's judgment the applicant appears not to comply with
the customs laws). The second comes from the reviewer's separate compliance finding, never from
scores. CBP's workload is a scheduling matter (see `reviews/priority.py`) and never a reason.

The suggestion is only a suggestion: the reviewer recommends and a supervisor decides.
`differs_from_suggestion` tells the screens when a recommendation departs from it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import TextChoices

from certification.models import Demonstration
from recordkeepers.models import SizeClass

MAX_SCORE = 3
SCORE_LABELS = {0: "absent", 1: "partial", 2: "adequate", 3: "strong"}
MIN_WEIGHT, MAX_WEIGHT = 1, 5

GROUND_REQUIREMENT_NOT_MET = "163.13(b)(1)(i)"
GROUND_NOT_IN_COMPLIANCE = "163.13(b)(1)(iii)"

ROUTES = ("general", "alternative")
ROUTE_LABELS = {
    "general": "the general recordkeeping requirements",
    "alternative": "a negotiated alternative program",
}


class Finding(TextChoices):
    """What the scores suggest for one demonstration."""

    MET = "met", "Met"
    NEEDS_INFORMATION = "needs_information", "Needs information"
    NOT_MET = "not_met", "Not met"
    INCOMPLETE = "incomplete", "Scoring incomplete"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Outcome(TextChoices):
    """What the scores suggest for the application.

    CERTIFIED and DENIED share their values with `Decision.Outcome`, so a suggestion can be passed
    straight to `application_recommend(outcome=…)`.
    """

    CERTIFY = "certified", "Certify"
    REQUEST_INFORMATION = "request_information", "Request information"
    DENY = "denied", "Deny"
    INCOMPLETE = "incomplete", "Scoring incomplete"


# From worst to best, for "raising a score never makes a demonstration worse".
FINDING_RANK = {Finding.NOT_MET: 0, Finding.NEEDS_INFORMATION: 1, Finding.MET: 2}


def _decimal(value: Decimal | int | float | str) -> Decimal:
    # Through str, so a float such as 0.67 becomes Decimal("0.67"), not 0.67000000000000003996…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _percent(fraction: Decimal, *, floor: bool = False) -> str:
    """A fraction as a percentage: 0.6666… → "66.6%" when floored, 0.67 → "67%".

    Ratios are floored to one decimal so a ratio just below a threshold never displays as equal
    to it (66.9% is not met at 67%).
    """
    value = fraction * 100
    if floor:
        value = value.quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return f"{format(value.normalize(), 'f')}%"


def _size_label(size_class: str) -> str:
    return SizeClass(size_class).label.lower()


@dataclass(frozen=True)
class CriterionScore:
    """One criterion as the reviewer scored it.

    `score` is None while the criterion has not been scored. When `not_applicable` is set the
    criterion is excluded whatever `score` holds.
    """

    code: str
    demonstration: str
    weight: int
    must_pass: bool
    score: int | None
    not_applicable: bool = False
    title: str = ""

    def __post_init__(self) -> None:
        if self.demonstration not in Demonstration.values:
            raise ValueError(f"{self.code}: unknown demonstration {self.demonstration!r}")
        if not MIN_WEIGHT <= self.weight <= MAX_WEIGHT:
            raise ValueError(f"{self.code}: weight {self.weight} is outside 1–5")
        if self.score is not None and self.score not in SCORE_LABELS:
            raise ValueError(f"{self.code}: score {self.score} is outside 0–3")

    @property
    def name(self) -> str:
        return f"{self.code} {self.title}" if self.title else self.code

    @property
    def applicable(self) -> bool:
        return not self.not_applicable

    @property
    def scored(self) -> bool:
        return self.applicable and self.score is not None

    @property
    def points(self) -> int:
        """Weight × score; 0 while unscored or not applicable."""
        return self.weight * self.score if self.scored and self.score is not None else 0

    @property
    def maximum(self) -> int:
        """Weight × 3; 0 when not applicable."""
        return self.weight * MAX_SCORE if self.applicable else 0

    def explain(self) -> str:
        """One line of the explanation: "iii.2 Retrieval procedure: adequate (2) × weight 3 = 6 of 9"."""
        name = f"{self.name} (must pass)" if self.must_pass else self.name
        if self.not_applicable:
            return f"{name}: not applicable, left out of the points and the maximum"
        if self.score is None:
            return f"{name}: not scored yet (weight {self.weight}, up to {self.maximum})"
        label = SCORE_LABELS[self.score]
        return f"{name}: {label} ({self.score}) × weight {self.weight} = {self.points} of {self.maximum}"


@dataclass(frozen=True)
class Thresholds:
    """The share of the weighted maximum that meets a demonstration, by size class.

    A ratio at or above `for_size(size_class)` is met. A ratio below it by no more than
    `information_band` suggests asking the applicant for information rather than denying.
    Administrators manage these values; the caller passes them in. Floats are accepted and read
    through their decimal text (0.67 is exactly 0.67).
    """

    micro: Decimal = Decimal("0.50")
    small: Decimal = Decimal("0.60")
    medium: Decimal = Decimal("0.67")
    large: Decimal = Decimal("0.75")
    information_band: Decimal = Decimal("0.15")

    def __post_init__(self) -> None:
        for name in (*SizeClass.values, "information_band"):
            object.__setattr__(self, name, _decimal(getattr(self, name)))
        # The same range as the admin's form allows, so no saved setting can break a review page.
        for name in (*SizeClass.values, "information_band"):
            if not Decimal(0) <= getattr(self, name) <= Decimal(1):
                raise ValueError(f"{name} must be a fraction from 0 to 1.")

    @classmethod
    def default(cls) -> "Thresholds":
        return cls()

    def for_size(self, size_class: SizeClass | str) -> Decimal:
        """The ratio at which a demonstration is met for this size class."""
        return getattr(self, SizeClass(size_class).value)

    def information_from(self, size_class: SizeClass | str) -> Decimal:
        """The lowest ratio that still suggests asking for information (never below 0)."""
        return max(Decimal(0), self.for_size(size_class) - self.information_band)


@dataclass(frozen=True)
class DemonstrationResult:
    """What one demonstration's scores add up to, and why, line by line."""

    demonstration: str
    size_class: str
    suggestion: Finding
    points: int
    maximum: int
    ratio: Decimal | None
    met_at: Decimal
    information_from: Decimal
    unscored: list[str]
    failed_must_pass: list[str]
    explanation: list[str]
    criteria: tuple[CriterionScore, ...] = field(default=(), repr=False)

    @property
    def label(self) -> str:
        return Demonstration(self.demonstration).label if self.demonstration else ""

    @property
    def absent_must_pass(self) -> list[str]:
        """Must-pass criteria scored 0: each alone makes the demonstration not met."""
        return [c.code for c in self.criteria if c.must_pass and c.scored and c.score == 0]

    def criterion_names(self, codes: Iterable[str]) -> str:
        """The codes with their titles: "iii.2 Retrieval procedure, iii.4 Broker oversight"."""
        by_code = {c.code: c for c in self.criteria}
        return ", ".join(by_code[code].name if code in by_code else code for code in codes)

    def ratio_text(self) -> str:
        """For a reason: "16 of 27 weighted points (59.2%); 67% is expected of a medium importer"."""
        if self.ratio is None:
            return "no criterion applies"
        return (
            f"{self.points} of {self.maximum} weighted points ({_percent(self.ratio, floor=True)}); "
            f"{_percent(self.met_at)} is expected of a {_size_label(self.size_class)} importer"
        )


def demonstration_result(
    scores: Iterable[CriterionScore],
    *,
    size_class: SizeClass | str,
    thresholds: Thresholds,
    demonstration: str = "",
) -> DemonstrationResult:
    """Add up one demonstration's criterion scores and suggest met, needs information or not met.

    All `scores` must belong to one demonstration. `demonstration` names it when there are no
    criteria at all (a Handbook edition without any for it); such a demonstration, like one whose
    criteria are all N/A, is not applicable. The rules are in this module's docstring.
    """
    criteria = tuple(scores)
    codes = {c.demonstration for c in criteria} | ({demonstration} if demonstration else set())
    if len(codes) > 1:
        raise ValueError(f"Scores from more than one demonstration: {sorted(codes)}")
    demonstration = codes.pop() if codes else ""
    size_class = SizeClass(size_class).value
    met_at = thresholds.for_size(size_class)
    information_from = thresholds.information_from(size_class)

    applicable = [c for c in criteria if c.applicable]
    points = sum(c.points for c in applicable)
    maximum = sum(c.maximum for c in applicable)
    ratio = Decimal(points) / Decimal(maximum) if maximum else None
    unscored = [c.code for c in applicable if c.score is None]
    failed_must_pass = [c.code for c in applicable if c.must_pass and c.score in (0, 1)]
    absent_must_pass = [c.code for c in applicable if c.must_pass and c.score == 0]

    explanation = [c.explain() for c in criteria]
    if not criteria:
        explanation.append("No criteria to score for this demonstration in this Handbook edition.")

    # Exact: points ≥ threshold × maximum in decimal arithmetic, never a rounded ratio.
    reaches_met = points >= met_at * maximum
    reaches_band = points >= information_from * maximum

    if unscored:
        suggestion = Finding.INCOMPLETE
        explanation.append(f"Not scored yet: {', '.join(unscored)}.")
    elif not applicable:
        suggestion = Finding.NOT_APPLICABLE
        if criteria:
            explanation.append("Every criterion is not applicable.")
    else:
        explanation.append(
            f"Total: {points} of {maximum} weighted points "
            f"({_percent(ratio, floor=True) if ratio is not None else '–'}). "
            f"A {_size_label(size_class)} importer meets this demonstration at "
            f"{_percent(met_at)} or more; from {_percent(information_from)} CBP asks for "
            "information rather than deny."
        )
        if absent_must_pass:
            suggestion = Finding.NOT_MET
            explanation.append(
                f"Must-pass criteria scored absent (0): {', '.join(absent_must_pass)}: "
                "not met whatever the total."
            )
        elif reaches_met and not failed_must_pass:
            suggestion = Finding.MET
        elif reaches_band:
            suggestion = Finding.NEEDS_INFORMATION
            if failed_must_pass:
                explanation.append(
                    f"Must-pass criteria only partly shown (1): {', '.join(failed_must_pass)}: "
                    "at best, ask for information."
                )
        elif failed_must_pass:
            # Below the band: not met on the total, and the partial must-pass is named too.
            suggestion = Finding.NOT_MET
            explanation.append(
                f"Must-pass criteria only partly shown (1): {', '.join(failed_must_pass)}."
            )
        else:
            suggestion = Finding.NOT_MET
    explanation.append(f"Suggestion: {suggestion.label.lower()}.")

    return DemonstrationResult(
        demonstration=demonstration,
        size_class=size_class,
        suggestion=suggestion,
        points=points,
        maximum=maximum,
        ratio=ratio,
        met_at=met_at,
        information_from=information_from,
        unscored=unscored,
        failed_must_pass=failed_must_pass,
        explanation=explanation,
        criteria=criteria,
    )


def results_by_demonstration(
    scores: Iterable[CriterionScore],
    *,
    size_class: SizeClass | str,
    thresholds: Thresholds,
) -> dict[str, DemonstrationResult]:
    """A result for each of the six demonstrations, in order, from one application's scores.

    A demonstration without any criterion is not applicable (see `demonstration_result`).
    """
    grouped: dict[str, list[CriterionScore]] = {code: [] for code in Demonstration.values}
    for score in scores:
        grouped[score.demonstration].append(score)
    return {
        code: demonstration_result(
            criteria, size_class=size_class, thresholds=thresholds, demonstration=code
        )
        for code, criteria in grouped.items()
    }


@dataclass(frozen=True)
class Reason:
    """One reason for a suggestion.

    For a denial, `ground` is the paragraph of 19 CFR 163.13 and `demonstration` the one concerned
    ("" for the compliance ground). Reasons for asking information or for an incomplete score
    sheet have no ground. `as_dict()` is the shape `Decision.reasons` stores.
    """

    ground: str
    demonstration: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"ground": self.ground, "demonstration": self.demonstration, "text": self.text}


@dataclass(frozen=True)
class Suggestion:
    """What the scores suggest for the whole application, with its reasons."""

    outcome: Outcome
    route: str
    reasons: list[Reason]

    @property
    def headline(self) -> str:
        """For the screen: "Certify under the general recordkeeping requirements", "Deny", …"""
        if self.outcome == Outcome.CERTIFY:
            return f"Certify under {ROUTE_LABELS[self.route]}"
        return str(self.outcome.label)

    def reasons_as_dicts(self) -> list[dict[str, str]]:
        return [reason.as_dict() for reason in self.reasons]


def _not_met_text(result: DemonstrationResult) -> str:
    parts = [f"{result.label}: not demonstrated."]
    absent = result.absent_must_pass
    partial = [code for code in result.failed_must_pass if code not in absent]
    if absent:
        parts.append(f"Must-pass criteria shown to be absent: {result.criterion_names(absent)}.")
    if partial:
        parts.append(f"Must-pass criteria only partly shown: {result.criterion_names(partial)}.")
    parts.append(f"The criteria scored {result.ratio_text()}.")
    return " ".join(parts)


def _needs_information_text(result: DemonstrationResult) -> str:
    parts = [f"{result.label}: more information needed."]
    if result.failed_must_pass:
        parts.append(
            f"Must-pass criteria only partly shown: {result.criterion_names(result.failed_must_pass)}."
        )
    parts.append(f"The criteria scored {result.ratio_text()}.")
    return " ".join(parts)


def overall(
    results: Mapping[str, DemonstrationResult],
    *,
    route: str,
    compliance_concern: bool,
) -> Suggestion:
    """Combine the six demonstrations' results and the compliance finding into one suggestion.

    `results` maps each demonstration ("i"…"vi") to its result; a demonstration missing from it has
    not been assessed, so the suggestion is incomplete. `route` is "general" or "alternative" and
    is carried through to say what to certify under. `compliance_concern` is the reviewer's separate
    finding that the applicant appears not to comply with the customs laws (163.13(b)(1)(iii)).

    Incomplete wins over everything, then deny (one reason per not-met demonstration under
    163.13(b)(1)(i), and the compliance ground if raised), then request information, then certify.
    """
    if route not in ROUTES:
        raise ValueError(f"Unknown route {route!r}: expected one of {ROUTES}")
    unknown = set(results) - set(Demonstration.values)
    if unknown:
        raise ValueError(f"Unknown demonstrations: {sorted(unknown)}")
    for code, result in results.items():
        if result.demonstration and result.demonstration != code:
            raise ValueError(f"The result for {result.demonstration!r} is filed under {code!r}")

    ordered = [(code, results.get(code)) for code in Demonstration.values]

    incomplete = []
    for code, result in ordered:
        if result is None:
            incomplete.append(Reason("", code, f"{Demonstration(code).label}: not assessed yet."))
        elif result.suggestion == Finding.INCOMPLETE:
            text = f"{result.label}: not scored yet: {result.criterion_names(result.unscored)}."
            incomplete.append(Reason("", code, text))
    if incomplete:
        return Suggestion(outcome=Outcome.INCOMPLETE, route=route, reasons=incomplete)

    denial = [
        Reason(GROUND_REQUIREMENT_NOT_MET, code, _not_met_text(result))
        for code, result in ordered
        if result is not None and result.suggestion == Finding.NOT_MET
    ]
    if compliance_concern:
        denial.append(
            Reason(
                GROUND_NOT_IN_COMPLIANCE,
                "",
                "In CBP's judgment the applicant appears not to comply with the customs laws "
                "and regulations, as set out in the compliance finding.",
            )
        )
    if denial:
        return Suggestion(outcome=Outcome.DENY, route=route, reasons=denial)

    information = [
        Reason("", code, _needs_information_text(result))
        for code, result in ordered
        if result is not None and result.suggestion == Finding.NEEDS_INFORMATION
    ]
    if information:
        return Suggestion(outcome=Outcome.REQUEST_INFORMATION, route=route, reasons=information)

    return Suggestion(outcome=Outcome.CERTIFY, route=route, reasons=[])


# A recommendation may be written as the suggestion's own value or as the verb.
_OUTCOME_ALIASES = {"certify": Outcome.CERTIFY, "deny": Outcome.DENY}


def differs_from_suggestion(suggestion: Suggestion, recommended_outcome: Outcome | str) -> bool:
    """Whether a reviewer's recommendation departs from what the scores suggest.

    `recommended_outcome` is an `Outcome` value ("certified", "denied", "request_information"),
    which includes `Decision.Outcome` values, or "certify"/"deny". An incomplete score sheet
    suggests nothing, so any recommendation made over it differs.
    """
    value = str(recommended_outcome)
    recommended = _OUTCOME_ALIASES.get(value) or Outcome(value)
    if suggestion.outcome == Outcome.INCOMPLETE:
        return True
    return recommended != suggestion.outcome
