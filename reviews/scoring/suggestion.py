"""The six demonstrations and the compliance finding combined into one suggestion for the
application, with its reasons (rule 5 of the package's docstring), and whether a recommendation
departs from it."""

from collections.abc import Mapping
from dataclasses import dataclass

from certification.models import Demonstration
from reviews.scoring.demonstrations import DemonstrationResult
from reviews.scoring.scores import (
    GROUND_NOT_IN_COMPLIANCE,
    GROUND_REQUIREMENT_NOT_MET,
    ROUTE_LABELS,
    ROUTES,
    Finding,
    Outcome,
)


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
    for code, filed in results.items():
        if filed.demonstration and filed.demonstration != code:
            raise ValueError(f"The result for {filed.demonstration!r} is filed under {code!r}")

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
