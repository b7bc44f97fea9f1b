"""The order of the review queue: one score per application, and the reasons shown beside it.

Pure functions, no database. The queue's database annotation mirrors `priority()` with the
constants below, and a test holds the two to the same numbers.

The score, highest first, adds four parts:

- **Waiting** against the target review days for the applicant's size class. With
  age = waiting days ÷ target days, waiting earns ``AGE_WEIGHT × age``, and once the target has
  passed (age above ``OVERDUE_AFTER``) a further ``OVERDUE_EXTRA_WEIGHT × (age − OVERDUE_AFTER)``:
  the slope doubles, so an overdue application climbs twice as fast. Age is measured against the
  applicant's own target, so a micro importer (30 days by default) ages three times as fast as a
  large one (90 days).
- **Import volume**, represented by the size class: ``VOLUME_POINTS`` (micro 0, small 1,
  medium 2, large 3).
- **Risk profile**: ``RISK_POINTS_PER_FLAG`` (1.5) per risk flag, counting at most
  ``RISK_FLAGS_COUNTED`` (4) flags.
- **Answers just arrived**: ``ANSWERED_POINTS`` (5) when the applicant has just answered CBP's
  request for information, so the reviewer picks the thread up while it is fresh.

Only waiting is unbounded; volume, risk and answers together add at most ``MAX_BONUS_POINTS``
(3 + 6 + 5 = 14). Hence the guarantee that small importers are never starved:

1. The score rises strictly with waiting days, everything else equal.
2. An application whose waiting points exceed another's by more than ``MAX_BONUS_POINTS``
   outranks it, whatever either's size, flags or answers.
3. In particular, an application that has waited more than ``never_starved_after()`` times its own
   target (1.7 with the default weights) outranks every application still within its own target,
   whatever that one's size, flags or answers, and whatever the target days are set to. A micro
   importer with no risk flags waiting 52 days of its 30 outranks a large importer with every flag
   whose answers arrived this morning, 85 days into its 90.

CBP's workload shapes this order only; it is never a reason in a decision (see
`reviews/scoring.py`). `waiting_days` is whatever the caller counts as the application waiting
for CBP; the queue counts from submission.

Mirroring it in the database: divide as floating point (``waiting / target`` of two integers is
integer division in PostgreSQL and SQLite), ``Greatest(age - OVERDUE_AFTER, 0)`` for the overdue
part, ``Case(When(size_class=…, then=…))`` over ``VOLUME_POINTS``, and
``Least(flag_count, RISK_FLAGS_COUNTED)`` for risk.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from recordkeepers.models import SizeClass

AGE_WEIGHT = 10.0
OVERDUE_AFTER = 1.0  # age (waiting ÷ target) after which waiting counts double
OVERDUE_EXTRA_WEIGHT = 10.0
VOLUME_POINTS: Mapping[str, float] = MappingProxyType(
    {
        SizeClass.MICRO.value: 0.0,
        SizeClass.SMALL.value: 1.0,
        SizeClass.MEDIUM.value: 2.0,
        SizeClass.LARGE.value: 3.0,
    }
)
RISK_POINTS_PER_FLAG = 1.5
RISK_FLAGS_COUNTED = 4
ANSWERED_POINTS = 5.0


@dataclass(frozen=True)
class Weights:
    """The formula's constants; the defaults are the module's constants."""

    age_weight: float = AGE_WEIGHT
    overdue_after: float = OVERDUE_AFTER
    overdue_extra_weight: float = OVERDUE_EXTRA_WEIGHT
    volume_points: Mapping[str, float] = field(default_factory=lambda: VOLUME_POINTS)
    risk_points_per_flag: float = RISK_POINTS_PER_FLAG
    risk_flags_counted: int = RISK_FLAGS_COUNTED
    answered_points: float = ANSWERED_POINTS

    def __post_init__(self) -> None:
        # Waiting must earn points, or nothing would stop a small importer being starved.
        if self.age_weight <= 0:
            raise ValueError("age_weight must be positive.")
        if self.overdue_after <= 0:
            raise ValueError("overdue_after must be positive.")
        bounded = (
            self.overdue_extra_weight,
            self.risk_points_per_flag,
            self.risk_flags_counted,
            self.answered_points,
            *self.volume_points.values(),
        )
        if min(bounded) < 0:
            raise ValueError("Weights cannot be negative.")
        if set(self.volume_points) != set(SizeClass.values):
            raise ValueError(f"volume_points needs exactly the size classes {SizeClass.values}.")

    @property
    def max_bonus_points(self) -> float:
        """The most that volume, risk and answers can add together."""
        return (
            max(self.volume_points.values())
            + self.risk_points_per_flag * self.risk_flags_counted
            + self.answered_points
        )

    def waiting_points(self, age: float) -> float:
        """Points for waiting `age` times the target: the slope doubles once overdue."""
        overdue = max(0.0, age - self.overdue_after)
        return self.age_weight * age + self.overdue_extra_weight * overdue


MAX_BONUS_POINTS = Weights().max_bonus_points


@dataclass(frozen=True)
class PriorityInput:
    """What the queue knows about one application."""

    waiting_days: float
    target_days: int
    size_class: str
    risk_flag_count: int
    information_answered: bool

    def __post_init__(self) -> None:
        if self.waiting_days < 0:
            raise ValueError("waiting_days cannot be negative.")
        if self.target_days < 1:
            raise ValueError("target_days must be at least 1.")
        if self.risk_flag_count < 0:
            raise ValueError("risk_flag_count cannot be negative.")
        SizeClass(self.size_class)  # an unknown size class is an error, not 0 points

    @property
    def age(self) -> float:
        """Waiting days as a multiple of the target: 1.0 on the target day."""
        return self.waiting_days / self.target_days


@dataclass(frozen=True)
class Priority:
    """A queue position's score and its parts, each labelled for "why this is here".

    `value` is exact, for sorting; `score` and the parts are rounded to 2 places for display.
    """

    value: float
    score: float
    parts: list[tuple[str, float]]

    # The words the queue shows, made here once rather than by template filters in every row.
    @property
    def score_text(self) -> str:
        return points_text(self.score, noun="priority point")

    @property
    def summary(self) -> str:
        """Why it is here, in one sentence of the parts' labels."""
        return "; ".join(label for label, _ in self.parts) + "."

    @property
    def explained(self) -> list[tuple[str, str]]:
        """Each part's label with what it adds: "adds 2.5 points", or "adds nothing yet"."""
        return [
            (label, f"adds {points_text(points)}" if points else "adds nothing yet")
            for label, points in self.parts
        ]


def points_text(points: float, *, noun: str = "point") -> str:
    """ "2.5 points", "1.0 point", "1,234.5 points": one decimal, thousands separated."""
    return f"{points:,.1f} {noun}{'' if points == 1 else 's'}"


def _days(days: float) -> str:
    whole = int(days)  # whole days waited, as a person counts them
    return f"{whole} day" if whole == 1 else f"{whole} days"


def priority(p: PriorityInput, weights: Weights = Weights()) -> Priority:
    """The application's place in the queue: the higher the score, the sooner it is reviewed.

    See the module docstring for the formula and the guarantee that nobody is starved.
    """
    age = p.age
    age_points = weights.age_weight * age
    overdue_points = weights.waiting_points(age) - age_points
    volume_points = weights.volume_points[SizeClass(p.size_class).value]
    counted = min(p.risk_flag_count, weights.risk_flags_counted)
    risk_points = weights.risk_points_per_flag * counted
    answered_points = weights.answered_points if p.information_answered else 0.0

    parts: list[tuple[str, float]] = [
        (f"Waited {int(p.waiting_days)} of {p.target_days} target days", age_points)
    ]
    if overdue_points > 0:
        overdue_days = p.waiting_days - weights.overdue_after * p.target_days
        parts.append((f"Overdue by {_days(overdue_days)}: waiting counts double", overdue_points))
    if volume_points:
        parts.append((f"{SizeClass(p.size_class).label} importer", volume_points))
    if risk_points:
        label = "1 risk flag" if p.risk_flag_count == 1 else f"{p.risk_flag_count} risk flags"
        if p.risk_flag_count > counted:
            label += f" ({counted} counted)"
        parts.append((label, risk_points))
    if answered_points:
        parts.append(("Answers to CBP's questions just arrived", answered_points))

    value = age_points + overdue_points + volume_points + risk_points + answered_points
    return Priority(
        value=value,
        score=round(value, 2),
        parts=[(label, round(points, 2)) for label, points in parts],
    )


def never_starved_after(weights: Weights = Weights()) -> float:
    """The age (multiple of its own target) past which an application with no bonus points
    outranks every application still within its own target, whatever that one's bonus points.

    The best such an application can score is ``age_weight × overdue_after + max_bonus_points``;
    waiting beyond the target earns ``age_weight + overdue_extra_weight`` per unit of age.
    With the defaults: 1 + 14 ÷ 20 = 1.7.
    """
    slope = weights.age_weight + weights.overdue_extra_weight
    return weights.overdue_after + weights.max_bonus_points / slope
