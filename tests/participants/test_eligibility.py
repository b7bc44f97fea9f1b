"""Eligibility for a notice of violation in lieu of a penalty, condition by condition, with the
expected outcomes written out."""

import pytest

from participants.eligibility import Facts, decide

ELIGIBLE = Facts(
    active=True,
    status_label="Active",
    willful=False,
    earlier_failures=0,
    repeat_after=1,
    window_days=365,
    overdue_corrective_actions=0,
    overdue_notice_answers=0,
)


def with_(**changes) -> Facts:
    return Facts(**(ELIGIBLE.__dict__ | changes))


def test_a_first_failure_of_an_active_participant_in_compliance_is_eligible():
    result = decide(ELIGIBLE)
    assert result.eligible
    assert [c.condition for c in result.conditions] == [
        "Certified and active in the program",
        "Generally in compliance",
        "Not willful",
        "Not a repeated violation",
    ]
    assert result.unmet == []


@pytest.mark.parametrize(
    ("changes", "unmet", "why"),
    [
        (
            {"active": False, "status_label": "Removed"},
            "Certified and active in the program",
            "The participant is removed.",
        ),
        ({"willful": True}, "Not willful", "CBP found the failure willful."),
        (
            {"earlier_failures": 1},
            "Not a repeated violation",
            "1 earlier failure to produce a record in the 365 days before this demand; 1 earlier "
            "failure within that window make a violation repeated.",
        ),
        (
            {"overdue_corrective_actions": 2},
            "Generally in compliance",
            "2 corrective actions and 0 answers to earlier notices are overdue.",
        ),
        (
            {"overdue_notice_answers": 1},
            "Generally in compliance",
            "0 corrective actions and 1 answer to earlier notices are overdue.",
        ),
    ],
)
def test_each_unmet_condition_makes_it_ineligible_and_says_why(changes, unmet, why):
    result = decide(with_(**changes))
    assert not result.eligible
    assert [(c.condition, c.why) for c in result.unmet] == [(unmet, why)]


def test_admins_may_allow_more_earlier_failures_before_one_is_repeated():
    assert decide(with_(earlier_failures=1, repeat_after=2)).eligible
    assert not decide(with_(earlier_failures=2, repeat_after=2)).eligible
