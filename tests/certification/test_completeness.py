"""What a complete application is, decided over its saved contents alone: no database, no forms."""

import pytest

from certification.completeness import (
    ALTERNATIVE_STANDARDS,
    QUESTIONS,
    REQUIRED,
    ApplicationContent,
    missing,
)
from certification.wizard import steps as wizard
from certification.wizard.demonstrations import RecordMaintenanceForm

COMPLETE_ANSWERS = {
    "i": {"record_types": ["entry"], "retention_schedule": "5 years", "policy": "RK-1"},
    "ii": {
        "training_audience": "Clerks",
        "training_frequency": "annual",
        "last_training": "2026-03-01",
    },
    "iii": {
        "procedures": "SOP-3",
        "record_linking": "By entry number",
        "storage": "DMS",
        "retrieval_days": 10,
    },
    "iv": {"staying_current": "CSMS"},
    "v": {"method": "paper"},
    "vi": {
        "detection": "Audits",
        "escalation": "To the manager",
        "reporting": "Compliance lead, 10 days",
        "corrective_action": "Logged",
    },
}


def content(**changes) -> ApplicationContent:
    fields = {
        "proposes_alternative": False,
        "answers": COMPLETE_ANSWERS,
        "individual_kinds": frozenset({"primary"}),
        "size_class": "small",
    }
    return ApplicationContent(**(fields | changes))


def test_a_complete_application_lacks_nothing():
    lacking = missing(content())
    assert list(lacking) == ["profile", "business", "i", "ii", "iii", "iv", "v", "vi"]
    assert not any(lacking.values())


def test_an_empty_application_lacks_every_answer_in_the_words_the_applicant_saw():
    lacking = missing(
        content(
            answers={},
            individual_kinds=frozenset(),
            profile_missing=("Legal name",),
            business_missing=("The number of entries per year",),
        )
    )
    assert lacking["profile"] == ["Legal name"]
    assert lacking["business"] == ["The number of entries per year"]
    assert lacking["i"] == [
        "Which kinds of records do you keep?",
        "Your retention schedule",
        "Your written recordkeeping policy",
    ]
    assert lacking["iv"] == [
        "At least one primary designated individual",
        "How they keep current with CBP's requirements",
    ]
    assert lacking["v"] == ["How do you keep your records?"]


@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_a_blank_answer_is_missing(blank):
    answers = COMPLETE_ANSWERS | {"iii": COMPLETE_ANSWERS["iii"] | {"storage": blank}}
    assert missing(content(answers=answers))["iii"] == ["Where records are stored"]


def test_the_alternative_route_needs_its_terms():
    assert missing(content(proposes_alternative=True))["terms"] == ["The terms you propose"]
    assert missing(content(proposes_alternative=True, proposed_terms="Scans kept"))["terms"] == []
    assert "terms" not in missing(content(proposed_terms=""))


def test_an_alternative_method_needs_its_dates_and_every_standard():
    alternative = {"method": "alternative", "standards": ["procedures", "indexing", "legible"]}
    lacking = missing(content(answers=COMPLETE_ANSWERS | {"v": alternative}))["v"]
    assert lacking == [
        "The alternative method",
        "Date of your notice to CBP",
        "Date you started, or will start, using it",
        "An alternative method must meet every standard of 163.5(b)(2)",
    ]
    met = alternative | {
        "standards": ["procedures", "indexing", "legible", "originals_kept"],
        "alternative_description": "Scans",
        "notice_date": "2026-01-02",
        "implementation_date": "2026-02-02",
    }
    assert missing(content(answers=COMPLETE_ANSWERS | {"v": met}))["v"] == []


@pytest.mark.parametrize(
    ("size_class", "expects_backup"),
    [("micro", False), ("small", False), ("medium", True), ("large", True), (None, False)],
)
def test_medium_and_large_importers_name_a_backup(size_class, expects_backup):
    lacking = missing(content(size_class=size_class))["iv"]
    assert lacking == (
        ["A backup designated individual (expected of medium and large importers)"]
        if expects_backup
        else []
    )
    assert (
        missing(content(size_class=size_class, individual_kinds=frozenset({"primary", "backup"})))[
            "iv"
        ]
        == []
    )


def test_every_required_answer_is_a_question_of_its_steps_form_with_the_same_words():
    for demonstration, names in REQUIRED.items():
        form = wizard.step_for_demonstration(demonstration).form_class()
        for name in names:
            assert str(form.fields[name].label) == QUESTIONS[name]


def test_the_standards_the_form_offers_are_those_completeness_requires():
    assert [value for value, _ in RecordMaintenanceForm.STANDARDS] == list(ALTERNATIVE_STANDARDS)
