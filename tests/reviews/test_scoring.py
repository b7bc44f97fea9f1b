"""reviews/scoring.py: how scores become a suggestion. Pure functions, so no database here."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from certification.models import Decision, Demonstration
from recordkeepers.models import SizeClass
from reviews.scoring import (
    FINDING_RANK,
    GROUND_NOT_IN_COMPLIANCE,
    GROUND_REQUIREMENT_NOT_MET,
    CriterionScore,
    DemonstrationResult,
    Finding,
    Outcome,
    Reason,
    Suggestion,
    Thresholds,
    demonstration_result,
    differs_from_suggestion,
    overall,
    results_by_demonstration,
    shown_percent,
)
from reviews.scoring.scores import percent

DEFAULT = Thresholds.default()


def criterion(
    code: str = "iii.1",
    score: int | None = 3,
    *,
    weight: int = 1,
    must_pass: bool = False,
    not_applicable: bool = False,
    title: str = "",
    demonstration: str | None = None,
) -> CriterionScore:
    return CriterionScore(
        code=code,
        demonstration=demonstration or code.split(".")[0],
        weight=weight,
        must_pass=must_pass,
        score=score,
        not_applicable=not_applicable,
        title=title,
    )


def sheet(points: int, maximum: int, demonstration: str = "iii") -> list[CriterionScore]:
    """Weight-1 criteria adding up to exactly `points` of `maximum` (a multiple of 3)."""
    assert maximum % 3 == 0 and 0 <= points <= maximum
    scores = []
    for n in range(maximum // 3):
        score = min(3, points)
        points -= score
        scores.append(criterion(f"{demonstration}.{n + 1}", score))
    return scores


def result(scores, size_class=SizeClass.MEDIUM, thresholds=DEFAULT) -> DemonstrationResult:
    return demonstration_result(scores, size_class=size_class, thresholds=thresholds)


# --- Thresholds by size class ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("size_class", "points", "maximum", "expected"),
    [
        # exactly at the threshold: met
        ("micro", 3, 6, Finding.MET),
        ("small", 9, 15, Finding.MET),
        ("medium", 189, 300, Finding.MET),
        ("large", 99, 150, Finding.MET),
        # just below, within the band: ask for information
        ("micro", 29, 60, Finding.NEEDS_INFORMATION),
        ("small", 179, 300, Finding.NEEDS_INFORMATION),
        ("medium", 188, 300, Finding.NEEDS_INFORMATION),
        ("large", 197, 300, Finding.NEEDS_INFORMATION),
        # exactly at the bottom of the band (threshold − 0.15): still ask for information
        ("micro", 21, 60, Finding.NEEDS_INFORMATION),
        ("small", 135, 300, Finding.NEEDS_INFORMATION),
        ("medium", 144, 300, Finding.NEEDS_INFORMATION),
        ("large", 153, 300, Finding.NEEDS_INFORMATION),
        # below the band: not met
        ("micro", 20, 60, Finding.NOT_MET),
        ("small", 134, 300, Finding.NOT_MET),
        ("medium", 143, 300, Finding.NOT_MET),
        ("large", 152, 300, Finding.NOT_MET),
        # the extremes
        ("micro", 0, 30, Finding.NOT_MET),
        ("large", 30, 30, Finding.MET),
    ],
)
def test_ratio_against_size_class_threshold(size_class, points, maximum, expected):
    outcome = result(sheet(points, maximum), size_class)
    assert outcome.suggestion == expected
    assert (outcome.points, outcome.maximum) == (points, maximum)
    assert outcome.ratio == Fraction(points, maximum)


@pytest.mark.parametrize(
    ("size_class", "expected"),
    [
        ("micro", Finding.MET),  # 15/30 = 50% ≥ 50%
        ("small", Finding.NEEDS_INFORMATION),  # 45% ≤ 50% < 60%
        ("medium", Finding.NEEDS_INFORMATION),  # 48% ≤ 50% < 63%
        ("large", Finding.NOT_MET),  # 50% < 51%
    ],
)
def test_the_same_scores_are_met_by_a_micro_importer_but_not_a_large_one(size_class, expected):
    assert result(sheet(15, 30), size_class).suggestion == expected


def test_default_thresholds():
    assert [DEFAULT.for_size(size) for size in SizeClass.values] == [
        Decimal("0.50"),
        Decimal("0.60"),
        Decimal("0.63"),
        Decimal("0.66"),
    ]
    assert DEFAULT.information_band == Decimal("0.15")
    assert DEFAULT.for_size(SizeClass.LARGE) == Decimal("0.66")
    assert DEFAULT.information_from("medium") == Decimal("0.48")


def test_float_thresholds_are_read_as_their_decimal_text():
    thresholds = Thresholds(medium=0.67, information_band=0.15)
    assert thresholds.medium == Decimal("0.67")
    assert result(sheet(201, 300), thresholds=thresholds).suggestion == Finding.MET


def test_the_extremes_an_admin_may_set_are_accepted():
    lenient = Thresholds(micro=Decimal("0"), information_band=Decimal("1"))
    assert result(sheet(0, 3), "micro", lenient).suggestion == Finding.MET
    assert result(sheet(0, 3), "large", lenient).suggestion == Finding.NEEDS_INFORMATION
    failed = [criterion("iii.1", 0, must_pass=True)]
    assert result(failed, "micro", lenient).suggestion == Finding.NOT_MET


def test_information_band_never_goes_below_zero():
    thresholds = Thresholds(micro=Decimal("0.10"), information_band=Decimal("0.50"))
    assert thresholds.information_from("micro") == 0
    assert result(sheet(0, 3), "micro", thresholds).suggestion == Finding.NEEDS_INFORMATION


def test_admin_thresholds_are_used():
    strict = Thresholds(micro=Decimal("0.90"), information_band=Decimal("0"))
    assert result(sheet(26, 30), "micro", strict).suggestion == Finding.NOT_MET
    assert result(sheet(27, 30), "micro", strict).suggestion == Finding.MET


@pytest.mark.parametrize(
    "kwargs",
    [
        {"large": Decimal("1.01")},
        {"small": Decimal("-0.5")},
        {"information_band": Decimal("-0.01")},
        {"information_band": Decimal("1.5")},
    ],
)
def test_thresholds_refuse_impossible_values(kwargs):
    with pytest.raises(ValueError):
        Thresholds(**kwargs)


def test_unknown_size_class_is_an_error():
    with pytest.raises(ValueError):
        result(sheet(3, 3), "huge")


# --- N/A -------------------------------------------------------------------------------------------
def test_not_applicable_is_left_out_of_points_and_maximum():
    scores = [
        criterion("iii.1", 2, weight=3),
        criterion("iii.2", None, weight=2, not_applicable=True),
        criterion("iii.3", 0, weight=5, not_applicable=True),  # a stale score is ignored too
    ]
    outcome = result(scores)
    assert (outcome.points, outcome.maximum) == (6, 9)
    assert outcome.unscored == []
    assert outcome.suggestion == Finding.MET  # 6/9: adequate on the one criterion that applies


def test_a_must_pass_criterion_marked_not_applicable_does_not_fail():
    scores = [criterion("iii.1", 0, must_pass=True, not_applicable=True), criterion("iii.2", 3)]
    outcome = result(scores, "large")
    assert outcome.failed_must_pass == []
    assert outcome.suggestion == Finding.MET


def test_every_criterion_not_applicable_makes_the_demonstration_not_applicable():
    scores = [criterion("v.1", None, not_applicable=True), criterion("v.2", 1, not_applicable=True)]
    outcome = result(scores)
    assert outcome.suggestion == Finding.NOT_APPLICABLE
    assert (outcome.points, outcome.maximum, outcome.ratio) == (0, 0, None)
    assert outcome.demonstration == "v"


def test_a_demonstration_without_criteria_is_not_applicable():
    outcome = demonstration_result(
        [], size_class="small", thresholds=DEFAULT, demonstration=Demonstration.V
    )
    assert outcome.suggestion == Finding.NOT_APPLICABLE
    assert outcome.demonstration == "v"
    assert outcome.ratio is None


# --- Must-pass criteria ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("must_pass_score", "others", "expected", "failed"),
    [
        (0, [3, 3, 3, 3, 3], Finding.NOT_MET, ["iii.1"]),  # 45/48 = 94%, still not met
        (1, [3, 3, 3, 3, 3], Finding.NEEDS_INFORMATION, ["iii.1"]),  # 48/48 would be met
        (1, [0, 0, 0, 0, 0], Finding.NOT_MET, ["iii.1"]),  # below the band anyway
        (2, [3, 3, 3, 3, 3], Finding.MET, []),
        (3, [3, 3, 3, 3, 3], Finding.MET, []),
    ],
)
def test_must_pass_criteria(must_pass_score, others, expected, failed):
    scores = [criterion("iii.1", must_pass_score, weight=1, must_pass=True)]
    scores += [criterion(f"iii.{n + 2}", s, weight=3) for n, s in enumerate(others)]
    outcome = result(scores, "micro")
    assert outcome.suggestion == expected
    assert outcome.failed_must_pass == failed


# --- Incomplete ------------------------------------------------------------------------------------
def test_an_unscored_applicable_criterion_makes_it_incomplete():
    scores = [criterion("iii.1", 3), criterion("iii.2", None), criterion("iii.3", None, weight=2)]
    outcome = result(scores)
    assert outcome.suggestion == Finding.INCOMPLETE
    assert outcome.unscored == ["iii.2", "iii.3"]
    assert (outcome.points, outcome.maximum) == (3, 12)


def test_incomplete_wins_over_a_failed_must_pass():
    scores = [criterion("iii.1", 0, must_pass=True), criterion("iii.2", None)]
    assert result(scores).suggestion == Finding.INCOMPLETE


def test_an_unscored_criterion_marked_not_applicable_is_not_incomplete():
    scores = [criterion("iii.1", 3), criterion("iii.2", None, not_applicable=True)]
    assert result(scores).suggestion == Finding.MET


# --- Explanation -----------------------------------------------------------------------------------
def test_every_score_is_explained_line_by_line():
    scores = [
        criterion("iii.1", 3, weight=2, must_pass=True, title="Written SOPs"),
        criterion("iii.2", 2, weight=3, title="Retrieval procedure"),
        criterion("iii.3", None, not_applicable=True, title="Broker oversight"),
    ]
    outcome = result(scores, "large")
    assert outcome.explanation == [
        "iii.1 Written SOPs (must pass): strong (3) × weight 2 = 6 of 6",
        "iii.2 Retrieval procedure: adequate (2) × weight 3 = 6 of 9",
        "iii.3 Broker oversight: not applicable, left out of the points and the maximum",
        "Total: 12 of 15 weighted points (80%). A large importer meets this demonstration at 66% "
        "or more; from 51% CBP asks for information rather than deny.",
        "Suggestion: met.",
    ]


def test_a_ratio_just_below_the_threshold_never_displays_as_the_threshold():
    # 197/300 = 65.67%: rounded to 65.7%, still below the 66% it does not reach.
    outcome = result(sheet(197, 300), "large")
    assert outcome.suggestion == Finding.NEEDS_INFORMATION
    assert "(65.7%)" in outcome.explanation[-2]
    assert "at 66% or more" in outcome.explanation[-2]
    # 0.6299 rounds to 63.0% at one decimal: shown as 62.9%, below the 63% it does not reach.
    close = demonstration_result(
        sheet(6299 * 3, 10000 * 3),
        size_class="medium",
        thresholds=DEFAULT,
    )
    assert close.suggestion == Finding.NEEDS_INFORMATION
    assert close.shown_ratio == "62.9%"


@pytest.mark.parametrize("size_class", SizeClass.values)
def test_adequate_on_every_criterion_meets_every_size_class(size_class):
    scores = [
        criterion("iii.1", 2, weight=3, must_pass=True),
        criterion("iii.2", 2, weight=2),
        criterion("iii.3", 2, weight=5),
    ]
    outcome = result(scores, size_class)
    assert (outcome.points, outcome.maximum) == (20, 30)
    assert outcome.ratio == Fraction(2, 3)
    assert outcome.suggestion == Finding.MET
    assert outcome.shown_ratio == "66.7%"


def test_a_medium_importer_adequate_on_every_criterion_is_certified():
    adequate = {code: sheet(20, 30, code) for code in Demonstration.values}
    results = {code: result(scores, "medium") for code, scores in adequate.items()}
    assert overall(results, route="general", compliance_concern=False).outcome == Outcome.CERTIFY
    assert results["iii"].ratio_text() == (
        "20 of 30 weighted points (66.7%); 63% is expected of a medium importer"
    )


@pytest.mark.parametrize(
    ("ratio", "boundaries", "shown"),
    [
        (Fraction(2, 3), [], "66.7%"),
        (Fraction(4, 5), [], "80%"),
        (Fraction(0), [Decimal("0")], "0%"),
        (Fraction(1), [Decimal("1")], "100%"),
        (Fraction(6299, 10000), [Decimal("0.63")], "62.9%"),  # not "63%"
        (Fraction(63, 100), [Decimal("0.63")], "63%"),
        (Fraction(66999, 100000), [Decimal("0.67")], "66.9%"),
        (Fraction(66549, 100000), [Decimal("0.6654")], "66.6%"),  # at or above: rounded up
        # between two boundaries less than 0.1 point apart: a second decimal is needed
        (Fraction(6655, 10000), [Decimal("0.6651"), Decimal("0.6659")], "66.55%"),
    ],
)
def test_shown_percent_never_crosses_a_boundary(ratio, boundaries, shown):
    assert shown_percent(ratio, boundaries=boundaries) == shown


def test_explanation_names_unscored_and_failed_must_pass_criteria():
    incomplete = result([criterion("iii.1", None, weight=4)])
    assert incomplete.explanation == [
        "iii.1: not scored yet (weight 4, up to 12)",
        "Not scored yet: iii.1.",
        "Suggestion: scoring incomplete.",
    ]
    failed = result([criterion("iii.1", 0, must_pass=True), criterion("iii.2", 3, weight=5)])
    assert "Must-pass criteria scored absent (0): iii.1: not met whatever the total." in (
        failed.explanation
    )
    partial = result([criterion("iii.1", 1, must_pass=True), criterion("iii.2", 3, weight=5)])
    assert (
        "Must-pass criteria only partly shown (1): iii.1: at best, ask for information."
        in partial.explanation
    )


# --- Input checks ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"weight": 0},
        {"weight": 6},
        {"score": 4},
        {"score": -1},
        {"demonstration": "vii"},
    ],
)
def test_criterion_scores_refuse_impossible_values(kwargs):
    with pytest.raises(ValueError):
        criterion(**kwargs)


def test_scores_from_two_demonstrations_are_refused():
    with pytest.raises(ValueError):
        result([criterion("iii.1"), criterion("iv.1")])


def test_results_by_demonstration_covers_all_six_in_order():
    results = results_by_demonstration(
        [criterion("iv.1", 3), criterion("i.1", 0), criterion("i.2", 3)],
        size_class="micro",
        thresholds=DEFAULT,
    )
    assert list(results) == ["i", "ii", "iii", "iv", "v", "vi"]
    assert results["i"].suggestion == Finding.MET  # 3/6 = 50%
    assert results["iv"].suggestion == Finding.MET
    assert results["ii"].suggestion == Finding.NOT_APPLICABLE


# --- Overall ---------------------------------------------------------------------------------------
def results_with(**overrides: list[CriterionScore]) -> dict[str, DemonstrationResult]:
    """Six demonstrations for a large importer, each met (27 of 30) unless overridden."""
    return {
        code: result(overrides.get(code) or sheet(27, 30, code), "large")
        for code in Demonstration.values
    }


NOT_MET_III = [
    criterion("iii.1", 3, weight=3, title="Written SOPs"),
    criterion("iii.2", 0, weight=3, must_pass=True, title="Retrieval procedure"),
    criterion("iii.3", 1, weight=3, must_pass=True, title="Entry to payment linkage"),
]
NOT_MET_V = sheet(9, 30, "v")
NEEDS_INFORMATION_II = sheet(19, 30, "ii")  # 63.3% for a large importer: within the band
INCOMPLETE_VI = [criterion("vi.1", 3), criterion("vi.2", None, title="Corrective-action log")]


@pytest.mark.parametrize("route", ["general", "alternative"])
def test_everything_met_suggests_certifying_under_the_route(route):
    suggestion = overall(results_with(), route=route, compliance_concern=False)
    assert suggestion == Suggestion(outcome=Outcome.CERTIFY, route=route, reasons=[])


def test_headline_names_the_route():
    general = overall(results_with(), route="general", compliance_concern=False)
    alternative = overall(results_with(), route="alternative", compliance_concern=False)
    assert general.headline == "Certify under the general recordkeeping requirements"
    assert alternative.headline == "Certify under a negotiated alternative program"


def test_not_met_demonstrations_each_give_a_reason_under_b1i():
    suggestion = overall(
        results_with(iii=NOT_MET_III, v=NOT_MET_V, ii=NEEDS_INFORMATION_II),
        route="general",
        compliance_concern=False,
    )
    assert suggestion.outcome == Outcome.DENY
    assert [(r.ground, r.demonstration) for r in suggestion.reasons] == [
        (GROUND_REQUIREMENT_NOT_MET, "iii"),
        (GROUND_REQUIREMENT_NOT_MET, "v"),
    ]
    assert suggestion.reasons[0].text == (
        "(iii) Procedures to prepare, maintain and produce records: not demonstrated. "
        "Must-pass criteria shown to be absent: iii.2 Retrieval procedure. "
        "Must-pass criteria only partly shown: iii.3 Entry to payment linkage. "
        "The criteria scored 12 of 27 weighted points (44.4%); "
        "66% is expected of a large importer."
    )
    assert suggestion.reasons[1].text == (
        "(v) Record maintenance, or an alternative method under 163.5(b): not demonstrated. "
        "The criteria scored 9 of 30 weighted points (30%); 66% is expected of a large importer."
    )


def test_a_compliance_concern_denies_under_b1iii_even_when_every_demonstration_is_met():
    suggestion = overall(results_with(), route="general", compliance_concern=True)
    assert suggestion.outcome == Outcome.DENY
    assert suggestion.reasons == [
        Reason(
            GROUND_NOT_IN_COMPLIANCE,
            "",
            "In CBP's judgment the applicant appears not to comply with the customs laws and "
            "regulations, as set out in the compliance finding.",
        )
    ]


def test_a_compliance_concern_comes_after_the_demonstrations_not_met():
    suggestion = overall(results_with(v=NOT_MET_V), route="general", compliance_concern=True)
    assert [(r.ground, r.demonstration) for r in suggestion.reasons] == [
        ("163.13(b)(1)(i)", "v"),
        ("163.13(b)(1)(iii)", ""),
    ]


def test_needing_information_suggests_a_request_naming_the_demonstrations():
    suggestion = overall(
        results_with(ii=NEEDS_INFORMATION_II), route="alternative", compliance_concern=False
    )
    assert suggestion.outcome == Outcome.REQUEST_INFORMATION
    assert suggestion.route == "alternative"
    assert suggestion.reasons == [
        Reason(
            "",
            "ii",
            "(ii) Procedures to explain the requirements to employees: more information needed. "
            "The criteria scored 19 of 30 weighted points (63.3%); "
            "66% is expected of a large importer.",
        )
    ]


def test_an_incomplete_demonstration_wins_over_denial_and_compliance():
    suggestion = overall(
        results_with(iii=NOT_MET_III, vi=INCOMPLETE_VI), route="general", compliance_concern=True
    )
    assert suggestion.outcome == Outcome.INCOMPLETE
    assert suggestion.reasons == [
        Reason(
            "",
            "vi",
            "(vi) Reporting variances and violations, and corrective action: not scored yet: "
            "vi.2 Corrective-action log.",
        )
    ]


def test_a_demonstration_missing_from_the_results_is_incomplete():
    results = results_with()
    del results["iv"]
    suggestion = overall(results, route="general", compliance_concern=False)
    assert suggestion.outcome == Outcome.INCOMPLETE
    assert [(r.demonstration, r.text) for r in suggestion.reasons] == [
        ("iv", "(iv) Designated dependable individuals: not assessed yet.")
    ]


def test_not_applicable_demonstrations_do_not_block_certification():
    results = results_with(v=[criterion("v.1", None, not_applicable=True)])
    assert results["v"].suggestion == Finding.NOT_APPLICABLE
    suggestion = overall(results, route="general", compliance_concern=False)
    assert suggestion.outcome == Outcome.CERTIFY


@pytest.mark.parametrize(
    ("results", "route"),
    [
        ({}, "negotiated"),
        ({"vii": None}, "general"),
    ],
)
def test_overall_refuses_unknown_routes_and_demonstrations(results, route):
    with pytest.raises(ValueError):
        overall(results, route=route, compliance_concern=False)


def test_overall_refuses_a_result_filed_under_another_demonstration():
    results = results_with()
    results["i"] = results["ii"]
    with pytest.raises(ValueError):
        overall(results, route="general", compliance_concern=False)


def test_a_suggestion_plugs_into_the_recommendation():
    suggestion = overall(results_with(v=NOT_MET_V), route="general", compliance_concern=False)
    assert suggestion.outcome in Decision.Outcome.values
    assert Outcome.CERTIFY.value == Decision.Outcome.CERTIFIED.value
    assert suggestion.reasons_as_dicts() == [
        {"ground": "163.13(b)(1)(i)", "demonstration": "v", "text": suggestion.reasons[0].text}
    ]


@pytest.mark.parametrize(
    ("outcome", "recommended", "differs"),
    [
        (Outcome.CERTIFY, "certified", False),
        (Outcome.CERTIFY, Decision.Outcome.CERTIFIED, False),
        (Outcome.CERTIFY, "certify", False),
        (Outcome.CERTIFY, "denied", True),
        (Outcome.DENY, "denied", False),
        (Outcome.DENY, Outcome.DENY, False),
        (Outcome.DENY, "certified", True),
        (Outcome.REQUEST_INFORMATION, "request_information", False),
        (Outcome.REQUEST_INFORMATION, "certified", True),
        (Outcome.REQUEST_INFORMATION, "denied", True),
        (Outcome.INCOMPLETE, "certified", True),
        (Outcome.INCOMPLETE, "denied", True),
    ],
)
def test_differs_from_suggestion(outcome, recommended, differs):
    suggestion = Suggestion(outcome=outcome, route="general", reasons=[])
    assert differs_from_suggestion(suggestion, recommended) is differs


def test_differs_from_suggestion_refuses_an_unknown_outcome():
    with pytest.raises(ValueError):
        differs_from_suggestion(Suggestion(Outcome.CERTIFY, "general", []), "approved")


# --- Properties ------------------------------------------------------------------------------------
@st.composite
def criteria(draw, *, allow_unscored: bool = False, demonstration: str = "iii"):
    count = draw(st.integers(min_value=1, max_value=8))
    score = st.integers(min_value=0, max_value=3)
    if allow_unscored:
        score = st.none() | score
    return [
        CriterionScore(
            code=f"{demonstration}.{n + 1}",
            demonstration=demonstration,
            weight=draw(st.integers(min_value=1, max_value=5)),
            must_pass=draw(st.booleans()),
            score=draw(score),
            not_applicable=draw(st.booleans()),
        )
        for n in range(count)
    ]


fractions = st.decimals(min_value="0", max_value="1", places=2)
thresholds_strategy = st.builds(
    Thresholds,
    micro=fractions,
    small=fractions,
    medium=fractions,
    large=fractions,
    information_band=fractions,
)
size_classes = st.sampled_from(SizeClass.values)


@given(
    scores=criteria(),
    size_class=size_classes,
    thresholds=st.just(DEFAULT) | thresholds_strategy,
    data=st.data(),
)
def test_raising_a_score_never_makes_a_demonstration_worse(scores, size_class, thresholds, data):
    raisable = [i for i, c in enumerate(scores) if c.applicable and c.score < 3]
    assume(raisable)
    index = data.draw(st.sampled_from(raisable))
    old = scores[index]
    new_score = data.draw(st.integers(min_value=old.score + 1, max_value=3))
    raised = [*scores[:index], replace(old, score=new_score), *scores[index + 1 :]]

    before = result(scores, size_class, thresholds)
    after = result(raised, size_class, thresholds)
    assert after.maximum == before.maximum
    assert after.points > before.points
    assert after.ratio > before.ratio
    assert FINDING_RANK[after.suggestion] >= FINDING_RANK[before.suggestion]
    if before.suggestion == Finding.MET:
        assert after.suggestion == Finding.MET


@given(scores=criteria(allow_unscored=True), size_class=size_classes)
def test_points_stay_within_the_maximum_and_match_the_ratio(scores, size_class):
    outcome = result(scores, size_class)
    assert 0 <= outcome.points <= outcome.maximum
    applicable = [c for c in scores if c.applicable]
    assert outcome.maximum == sum(3 * c.weight for c in applicable)
    if outcome.maximum:
        assert outcome.ratio == Fraction(outcome.points, outcome.maximum)
    else:
        assert outcome.ratio is None
        assert outcome.suggestion == Finding.NOT_APPLICABLE
    assert len(outcome.explanation) >= len(scores) + 1


@given(scores=criteria(allow_unscored=True), size_class=size_classes)
def test_a_criterion_marked_not_applicable_counts_as_if_it_were_not_there(scores, size_class):
    present = [c for c in scores if c.applicable]
    with_na = result(scores, size_class)
    without = demonstration_result(
        present, size_class=size_class, thresholds=DEFAULT, demonstration="iii"
    )
    assert (with_na.points, with_na.maximum, with_na.ratio) == (
        without.points,
        without.maximum,
        without.ratio,
    )
    assert with_na.suggestion == without.suggestion
    assert with_na.unscored == without.unscored
    assert with_na.failed_must_pass == without.failed_must_pass


demonstration_sheets = st.fixed_dictionaries(
    {code: criteria(allow_unscored=True, demonstration=code) for code in Demonstration.values}
)


@given(
    sheets=demonstration_sheets,
    size_class=size_classes,
    route=st.sampled_from(["general", "alternative"]),
    compliance_concern=st.booleans(),
)
def test_overall_reasons_follow_the_rules_and_never_mention_workload(
    sheets, size_class, route, compliance_concern
):
    results = {code: result(scores, size_class) for code, scores in sheets.items()}
    suggestion = overall(results, route=route, compliance_concern=compliance_concern)
    findings = {r.suggestion for r in results.values()}

    assert suggestion.route == route
    for reason in suggestion.reasons:
        assert "workload" not in reason.text.lower()
    if Finding.INCOMPLETE in findings:
        assert suggestion.outcome == Outcome.INCOMPLETE
    elif Finding.NOT_MET in findings or compliance_concern:
        assert suggestion.outcome == Outcome.DENY
        assert {r.ground for r in suggestion.reasons} <= {
            GROUND_REQUIREMENT_NOT_MET,
            GROUND_NOT_IN_COMPLIANCE,
        }
        # In the demonstrations' order, which the reasons follow (not the order drawn).
        not_met = [c for c in Demonstration.values if results[c].suggestion == Finding.NOT_MET]
        assert [
            r.demonstration for r in suggestion.reasons if r.ground == GROUND_REQUIREMENT_NOT_MET
        ] == not_met
        assert (
            any(r.ground == GROUND_NOT_IN_COMPLIANCE for r in suggestion.reasons)
            is compliance_concern
        )
    elif Finding.NEEDS_INFORMATION in findings:
        assert suggestion.outcome == Outcome.REQUEST_INFORMATION
        assert all(r.ground == "" for r in suggestion.reasons)
    else:
        assert suggestion.outcome == Outcome.CERTIFY
        assert suggestion.reasons == []


def _shown(text: str) -> Decimal:
    return Decimal(text.rstrip("%"))


@given(
    weights_and_scores=st.lists(
        st.tuples(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=3)),
        min_size=1,
        max_size=6,
    ),
    size_class=size_classes,
    thresholds=st.just(DEFAULT) | thresholds_strategy,
)
def test_the_figure_shown_and_the_finding_never_disagree(
    weights_and_scores, size_class, thresholds
):
    scores = [
        criterion(f"iii.{n + 1}", score, weight=weight)
        for n, (weight, score) in enumerate(weights_and_scores)
    ]
    outcome = result(scores, size_class, thresholds)
    shown = _shown(outcome.shown_ratio)
    met_at = _shown(percent(outcome.met_at))
    information_from = _shown(percent(outcome.information_from))
    # Read as a reviewer reads the screen: the figure against the percentages printed beside it.
    assert (shown >= met_at) == (outcome.suggestion == Finding.MET)
    assert (shown >= information_from) == (outcome.suggestion != Finding.NOT_MET)
    assert f"({outcome.shown_ratio})" in outcome.ratio_text()
    # And as the arithmetic decides it: points against threshold × maximum, in whole numbers.
    met_exactly = outcome.points * 100 >= outcome.met_at * 100 * outcome.maximum
    assert met_exactly == (outcome.suggestion == Finding.MET)
