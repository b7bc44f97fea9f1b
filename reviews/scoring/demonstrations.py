"""One demonstration's scores added up and judged met, needs information or not met (rules 2 to 4
of the package's docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from certification.models import Demonstration
from recordkeepers.models import SizeClass
from reviews.scoring.scores import (
    CriterionScore,
    Finding,
    Raise,
    Thresholds,
    percent,
    shown_percent,
    size_label,
)


@dataclass(frozen=True)
class DemonstrationResult:
    """What one demonstration's scores add up to, and why, line by line."""

    demonstration: str
    size_class: str
    suggestion: Finding
    points: int
    maximum: int
    ratio: Fraction | None
    met_at: Decimal
    information_from: Decimal
    unscored: list[str]
    failed_must_pass: list[str]
    explanation: list[str]
    criteria: tuple[CriterionScore, ...] = field(default=(), repr=False)
    # The size class's own threshold, and the risk flags that raised it to `met_at`.
    met_base: Decimal | None = None
    raises: tuple[Raise, ...] = ()

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

    @property
    def shown_ratio(self) -> str:
        """The ratio as shown on every screen and in letters: "66.7%", rounded so that it never
        contradicts the exact comparison with either threshold shown beside it ("–" when no
        criterion applies)."""
        if self.ratio is None:
            return "–"
        return shown_percent(self.ratio, boundaries=(self.met_at, self.information_from))

    def raised_text(self) -> str:
        """ " (66%, raised by 5 points for antidumping or countervailing duty goods)", or ""."""
        return _raised_text(self.met_base, self.raises)

    def ratio_text(self) -> str:
        """For a reason: "16 of 27 weighted points (59.3%); 63% is expected of a medium importer"."""
        if self.ratio is None:
            return "no criterion applies"
        return (
            f"{self.points} of {self.maximum} weighted points ({self.shown_ratio}); "
            f"{percent(self.met_at)} is expected of a {size_label(self.size_class)} importer"
            f"{self.raised_text()}"
        )


def _and(parts: Iterable[str]) -> str:
    items = list(parts)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _raised_text(met_base: Decimal | None, raises: tuple[Raise, ...]) -> str:
    if not raises or met_base is None:
        return ""
    return f" ({percent(met_base)}, raised by {_and(r.text() for r in raises)})"


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
    met_base = thresholds.base_for(size_class)
    information_from = thresholds.information_from(size_class)

    applicable = [c for c in criteria if c.applicable]
    points = sum(c.points for c in applicable)
    maximum = sum(c.maximum for c in applicable)
    # Exact: a Fraction of whole points, never a rounded or truncated decimal.
    ratio = Fraction(points, maximum) if maximum else None
    unscored = [c.code for c in applicable if c.score is None]
    failed_must_pass = [c.code for c in applicable if c.must_pass and c.score in (0, 1)]
    absent_must_pass = [c.code for c in applicable if c.must_pass and c.score == 0]

    explanation = [c.explain() for c in criteria]
    if not criteria:
        explanation.append("No criteria to score for this demonstration in this Handbook edition.")

    # Exact: points ≥ threshold × maximum, both sides rational, never a rounded ratio.
    reaches_met = points >= Fraction(met_at) * maximum
    reaches_band = points >= Fraction(information_from) * maximum

    if unscored:
        suggestion = Finding.INCOMPLETE
        explanation.append(f"Not scored yet: {', '.join(unscored)}.")
    elif not applicable:
        suggestion = Finding.NOT_APPLICABLE
        if criteria:
            explanation.append("Every criterion is not applicable.")
    else:
        shown = (
            "–" if ratio is None else shown_percent(ratio, boundaries=(met_at, information_from))
        )
        explanation.append(
            f"Total: {points} of {maximum} weighted points ({shown}). "
            f"A {size_label(size_class)} importer meets this demonstration at "
            f"{percent(met_at)}{_raised_text(met_base, thresholds.raises)} or more; from {percent(information_from)} CBP asks for "
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
        met_base=met_base,
        raises=thresholds.raises,
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
