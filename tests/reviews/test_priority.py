"""reviews/priority.py: the review queue's order and its "why this is here". No database here."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.models import WorkloadSettings
from recordkeepers.models import SizeClass
from reviews.priority import (
    AGE_WEIGHT,
    ANSWERED_POINTS,
    MAX_BONUS_POINTS,
    OVERDUE_AFTER,
    OVERDUE_EXTRA_WEIGHT,
    RISK_FLAGS_COUNTED,
    RISK_POINTS_PER_FLAG,
    VOLUME_POINTS,
    Priority,
    PriorityInput,
    Weights,
    never_starved_after,
    priority,
)

# The admin-managed defaults, read from the model so the two cannot drift apart.
DEFAULT_TARGET_DAYS = {
    size: WorkloadSettings._meta.get_field(f"target_days_{size}").default
    for size in SizeClass.values
}


def application(
    waiting_days: float,
    target_days: int,
    size_class: str = "micro",
    risk_flag_count: int = 0,
    information_answered: bool = False,
) -> PriorityInput:
    return PriorityInput(
        waiting_days=waiting_days,
        target_days=target_days,
        size_class=size_class,
        risk_flag_count=risk_flag_count,
        information_answered=information_answered,
    )


def test_default_target_days_are_those_the_guarantee_was_stated_for():
    assert DEFAULT_TARGET_DAYS == {"micro": 30, "small": 45, "medium": 60, "large": 90}


def test_constants_a_database_expression_reuses():
    assert (AGE_WEIGHT, OVERDUE_AFTER, OVERDUE_EXTRA_WEIGHT) == (10.0, 1.0, 10.0)
    assert dict(VOLUME_POINTS) == {"micro": 0.0, "small": 1.0, "medium": 2.0, "large": 3.0}
    assert (RISK_POINTS_PER_FLAG, RISK_FLAGS_COUNTED, ANSWERED_POINTS) == (1.5, 4, 5.0)
    assert MAX_BONUS_POINTS == 3.0 + 1.5 * 4 + 5.0 == 14.0
    assert never_starved_after() == pytest.approx(1.7)
    with pytest.raises(TypeError):
        VOLUME_POINTS["micro"] = 10.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("p", "score", "parts"),
    [
        (
            application(12, 45, "large", 2, True),
            13.67,
            [
                ("Waited 12 of 45 target days", 2.67),
                ("Large importer", 3.0),
                ("2 risk flags", 3.0),
                ("Answers to CBP's questions just arrived", 5.0),
            ],
        ),
        (application(0, 30), 0.0, [("Waited 0 of 30 target days", 0.0)]),
        (application(30, 30), 10.0, [("Waited 30 of 30 target days", 10.0)]),
        (
            application(60, 30),
            30.0,
            [
                ("Waited 60 of 30 target days", 20.0),
                ("Overdue by 30 days: waiting counts double", 10.0),
            ],
        ),
        (
            application(46.5, 45, "small"),
            11.67,
            [
                ("Waited 46 of 45 target days", 10.33),
                ("Overdue by 1 day: waiting counts double", 0.33),
                ("Small importer", 1.0),
            ],
        ),
        (
            application(90, 90, "medium", 1),
            13.5,
            [("Waited 90 of 90 target days", 10.0), ("Medium importer", 2.0), ("1 risk flag", 1.5)],
        ),
        (
            application(45, 45, "small", 6),
            17.0,
            [
                ("Waited 45 of 45 target days", 10.0),
                ("Small importer", 1.0),
                ("6 risk flags (4 counted)", 6.0),
            ],
        ),
    ],
)
def test_priority_formula(p, score, parts):
    result = priority(p)
    assert result.score == score
    assert result.parts == parts


def test_the_example_in_the_docstring():
    micro = priority(application(52, 30))
    large = priority(application(85, 90, "large", 6, True))
    assert micro.score == 24.67
    assert large.score == 23.44
    assert micro.value > large.value


@pytest.mark.parametrize(
    "kwargs",
    [
        {"waiting_days": -1},
        {"target_days": 0},
        {"risk_flag_count": -1},
        {"size_class": "huge"},
    ],
)
def test_impossible_inputs_are_refused(kwargs):
    with pytest.raises(ValueError):
        application(**{"waiting_days": 1, "target_days": 30, **kwargs})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"age_weight": 0},
        {"overdue_after": 0},
        {"answered_points": -1},
        {"volume_points": {"micro": 0, "small": 1, "medium": 2}},
    ],
)
def test_weights_that_would_break_the_guarantee_are_refused(kwargs):
    with pytest.raises(ValueError):
        Weights(**kwargs)


def test_custom_weights_are_used():
    weights = Weights(answered_points=20.0, volume_points=dict.fromkeys(SizeClass.values, 0.0))
    result = priority(application(0, 30, "large", 0, True), weights)
    assert result == Priority(
        value=20.0,
        score=20.0,
        parts=[
            ("Waited 0 of 30 target days", 0.0),
            ("Answers to CBP's questions just arrived", 20.0),
        ],
    )
    assert never_starved_after(weights) == pytest.approx(1 + (6 + 20) / 20)


# --- Properties ------------------------------------------------------------------------------------
size_classes = st.sampled_from(SizeClass.values)
waiting = st.floats(min_value=0, max_value=3650, allow_nan=False)
targets = st.integers(min_value=1, max_value=365)
flags = st.integers(min_value=0, max_value=6)


@st.composite
def applications(draw, *, waiting_days=waiting, target_days=targets):
    return application(
        draw(waiting_days), draw(target_days), draw(size_classes), draw(flags), draw(st.booleans())
    )


@given(p=applications())
def test_the_parts_add_up_to_the_score(p):
    result = priority(p)
    assert math.fsum(points for _, points in result.parts) == pytest.approx(
        result.value, abs=0.01 * len(result.parts)
    )
    assert result.score == round(result.value, 2)


@given(p=applications(), extra=st.floats(min_value=0.01, max_value=3650))
def test_priority_strictly_increases_with_waiting_days(p, extra):
    later = application(
        p.waiting_days + extra,
        p.target_days,
        p.size_class,
        p.risk_flag_count,
        p.information_answered,
    )
    assert priority(later).value > priority(p).value
    assert priority(later).score >= priority(p).score


@given(p=applications(), days=st.integers(min_value=1, max_value=3650))
def test_each_whole_day_waited_shows_on_screen(p, days):
    later = application(
        p.waiting_days + days,
        p.target_days,
        p.size_class,
        p.risk_flag_count,
        p.information_answered,
    )
    assert priority(later).score > priority(p).score


@given(data=st.data(), a_target_factor=st.floats(min_value=2, max_value=20, exclude_min=True))
def test_a_micro_importer_past_twice_its_target_outranks_anyone_within_theirs(
    data, a_target_factor
):
    """The brief's statement, with the default target days."""
    a_target = DEFAULT_TARGET_DAYS["micro"]
    a = application(a_target * a_target_factor, a_target)
    b_size = data.draw(size_classes)
    b_target = DEFAULT_TARGET_DAYS[b_size]
    b = application(
        data.draw(st.floats(min_value=0, max_value=b_target)),
        b_target,
        b_size,
        data.draw(flags),
        data.draw(st.booleans()),
    )
    assert priority(a).value > priority(b).value
    assert priority(a).score > priority(b).score


@given(
    a=applications(target_days=targets),
    b=applications(target_days=targets),
    a_age=st.floats(min_value=never_starved_after() + 1e-6, max_value=50),
    b_age=st.floats(min_value=0, max_value=OVERDUE_AFTER),
)
def test_past_never_starved_after_anyone_outranks_everyone_within_their_target(a, b, a_age, b_age):
    """The tight form: any application (even micro with no flags) past 1.7× its own target, against
    any application within its own, for any target days."""
    a = application(a.target_days * a_age, a.target_days)  # no bonus points at all
    b = application(
        b.target_days * b_age,
        b.target_days,
        b.size_class,
        b.risk_flag_count,
        b.information_answered,
    )
    assert priority(a).value > priority(b).value


@given(
    weights=st.builds(
        Weights,
        age_weight=st.floats(min_value=0.1, max_value=50),
        overdue_after=st.floats(min_value=0.5, max_value=3),
        overdue_extra_weight=st.floats(min_value=0, max_value=50),
        volume_points=st.fixed_dictionaries(
            {s: st.floats(min_value=0, max_value=10) for s in SizeClass.values}
        ),
        risk_points_per_flag=st.floats(min_value=0, max_value=5),
        risk_flags_counted=st.integers(min_value=0, max_value=6),
        answered_points=st.floats(min_value=0, max_value=20),
    ),
    b=applications(),
    b_age=st.floats(min_value=0, max_value=1),
    a_target=targets,
)
def test_never_starved_after_holds_for_any_weights(weights, b, b_age, a_target):
    a_age = never_starved_after(weights) + 1e-3
    a = application(a_target * a_age, a_target)
    b = application(
        b.target_days * b_age * weights.overdue_after,
        b.target_days,
        b.size_class,
        b.risk_flag_count,
        b.information_answered,
    )
    assert priority(a, weights).value > priority(b, weights).value


@given(a=applications(), b=applications())
def test_waiting_points_ahead_by_more_than_the_bonus_always_outrank(a, b):
    weights = Weights()
    gap = weights.waiting_points(a.age) - weights.waiting_points(b.age)
    if gap > MAX_BONUS_POINTS + 1e-9:
        assert priority(a).value > priority(b).value
