"""Reviewers' open applications against their capacity, as the workload panel counts them. In the
`march_2026` fixture (tests/reporting/conftest.py), on Apr 1 Avery holds A9 (small), Blake holds A5
(large), and A8 (micro) and A7 (small) wait for a reviewer."""

from datetime import date

from certification import workflow
from certification.models import WorkloadSettings
from reporting.figures import reviewer_load
from reporting.filters import ReportFilters

MARCH = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 29))


def test_each_reviewers_open_applications_against_the_capacity(march_2026):
    figure = reviewer_load(filters=MARCH)

    assert figure.columns == ("Reviewer", "Open applications")
    assert figure.rows == (("Avery Reviewer", 1), ("Blake Reviewer", 1))
    assert figure.reference == ("Capacity", 8)
    assert figure.summary == (
        "2 reviewers hold 2 open applications, against a capacity of 8 each; none is over "
        "capacity. 2 applications wait for a reviewer."
    )


def test_a_reviewer_over_capacity_is_named(march_2026, avery, supervisor):
    settings = WorkloadSettings.current()
    settings.reviewer_capacity = 1
    settings.save()
    workflow.application_assign(application=march_2026.a7, actor=supervisor, reviewer=avery)

    figure = reviewer_load(filters=MARCH)

    assert figure.rows == (("Avery Reviewer", 2), ("Blake Reviewer", 1))
    assert figure.reference == ("Capacity", 1)
    assert figure.summary == (
        "2 reviewers hold 3 open applications, against a capacity of 1 each; 1 is over capacity "
        "(Avery Reviewer). 1 application waits for a reviewer."
    )
    # Shown one size class, Avery is still over capacity: the capacity counts everything held.
    large = reviewer_load(filters=ReportFilters(MARCH.start, MARCH.end, size_class="large"))
    assert large.rows == (("Avery Reviewer", 0), ("Blake Reviewer", 1))
    assert large.summary == (
        "2 reviewers hold 1 open large application, against a capacity of 1 each; 1 is over "
        "capacity (Avery Reviewer). No large applications wait for a reviewer."
    )


def test_load_of_one_size_class_and_of_one_reviewer(march_2026, avery, blake, supervisor):
    workflow.application_assign(application=march_2026.a7, actor=supervisor, reviewer=avery)

    small = reviewer_load(filters=ReportFilters(MARCH.start, MARCH.end, size_class="small"))
    assert small.rows == (("Avery Reviewer", 2), ("Blake Reviewer", 0))
    assert small.summary == (
        "2 reviewers hold 2 open small applications, against a capacity of 8 each; none is over "
        "capacity. No small applications wait for a reviewer."
    )
    assert any("only the chosen size class" in note for note in small.notes)

    blakes = reviewer_load(filters=ReportFilters(MARCH.start, MARCH.end, reviewer_id=blake.pk))
    assert blakes.rows == (("Blake Reviewer", 1),)
