"""The scoring's vocabulary: a criterion as scored (`CriterionScore`), the size classes'
thresholds (`Thresholds`), and what a demonstration (`Finding`) or the application (`Outcome`) can
come to. The rules are in the package's docstring (`reviews/scoring/__init__.py`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from django.db.models import TextChoices

from certification.models import Demonstration
from recordkeepers.models import RiskFlag, SizeClass

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


def percent(fraction: Decimal) -> str:
    """A threshold as a percentage, exactly as the admins set it: 0.67 → "67%", 0.675 → "67.5%"."""
    return f"{format((fraction * 100).normalize(), 'f')}%"


def shown_percent(ratio: Fraction, *, boundaries: Iterable[Decimal | Fraction] = ()) -> str:
    """An exact ratio as the percentage shown beside it: 2/3 → "66.7%", 4/5 → "80%".

    Rounded to one decimal, half up. Where that rounding would carry the figure across one of the
    `boundaries` (a threshold shown beside it), the figure is rounded towards the side the exact
    ratio is on instead, or given more decimals, so what is shown never contradicts the exact
    comparison: 0.66995 against 67% shows "66.9%", never "67%".
    """
    value = ratio * 100
    marks = [Fraction(b) * 100 for b in boundaries]

    def agrees(shown: Fraction) -> bool:
        return all((value >= mark) == (shown >= mark) for mark in marks)

    for places in range(1, 8):
        scale = 10**places
        for shown in (
            Fraction(floor(value * scale + Fraction(1, 2)), scale),
            Fraction(floor(value * scale), scale),
            Fraction(ceil(value * scale), scale),
        ):
            if agrees(shown):
                return _percent_text(shown, places)
    return _percent_text(value, 7)  # unreachable for boundaries that are distinct decimals


def _percent_text(value: Fraction, places: int) -> str:
    shown = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{format(shown.quantize(Decimal(1).scaleb(-places)).normalize(), 'f')}%"


def size_label(size_class: str) -> str:
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
class Raise:
    """A risk flag the applicant declared, and how much it raises the threshold (a fraction of the
    weighted maximum, as the thresholds are: 0.05 is 5 percentage points)."""

    flag: str
    by: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", _decimal(self.by))
        if not Decimal(0) <= self.by <= Decimal(1):
            raise ValueError(f"The raise for {self.flag} must be a fraction from 0 to 1.")

    @property
    def label(self) -> str:
        """ "antidumping or countervailing duty goods"; an unknown flag by its code."""
        if self.flag not in RiskFlag.values:
            return self.flag
        label = str(RiskFlag(self.flag).label)
        return label[0].lower() + label[1:]

    def text(self) -> str:
        """ "5 points for antidumping or countervailing duty goods"."""
        points = format((self.by * 100).normalize(), "f")
        return f"{points} point{'' if points == '1' else 's'} for {self.label}"


@dataclass(frozen=True)
class Thresholds:
    """The share of the weighted maximum that meets a demonstration, by size class.

    A ratio at or above `for_size(size_class)` is met. A ratio below it by no more than
    `information_band` suggests asking the applicant for information rather than denying.
    Administrators manage these values; the caller passes them in. Floats are accepted and read
    through their decimal text (0.67 is exactly 0.67).

    "Adequate" (2 of 3) means a criterion meets what the Handbook expects of an importer of this
    size (each criterion states that expectation per size class), so "adequate" on every criterion
    earns 2/3 of the maximum and must meet every size class: the defaults are at or below 2/3.
    Large is 0.66, the highest two-decimal fraction that "all adequate" reaches; the smaller
    classes tolerate more criteria below "adequate". A threshold above 2/3 asks for more than
    "adequate" on average, which only an administrator's deliberate choice (or a risk flag's
    raise) should do.
    """

    micro: Decimal = Decimal("0.50")
    small: Decimal = Decimal("0.60")
    medium: Decimal = Decimal("0.63")
    large: Decimal = Decimal("0.66")
    information_band: Decimal = Decimal("0.15")
    # The raises for the application's own declared risk flags (never another's).
    raises: tuple[Raise, ...] = ()

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

    def base_for(self, size_class: SizeClass | str) -> Decimal:
        """The size class's threshold before any risk flag raises it."""
        return getattr(self, SizeClass(size_class).value)

    def for_size(self, size_class: SizeClass | str) -> Decimal:
        """The ratio at which a demonstration is met for this size class, raised by the risk
        flags' raises (never above the whole maximum)."""
        raised = self.base_for(size_class) + sum((r.by for r in self.raises), Decimal(0))
        return min(Decimal(1), raised)

    def information_from(self, size_class: SizeClass | str) -> Decimal:
        """The lowest ratio that still suggests asking for information (never below 0)."""
        return max(Decimal(0), self.for_size(size_class) - self.information_band)
