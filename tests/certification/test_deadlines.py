"""The program's deadlines: computed from the day something happened and the window the admins set,
and one source for each window."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification import deadlines
from certification.letters import lifecycle as letter_lifecycle
from certification.models import Letter, WorkloadSettings
from tests.factories import decide


def test_an_appeal_is_due_the_window_after_issuance_across_months_and_years():
    assert deadlines.appeal_deadline(issued=date(2026, 1, 31), window_days=30) == date(2026, 3, 2)
    assert deadlines.appeal_deadline(issued=date(2026, 12, 15), window_days=30) == date(2027, 1, 14)
    assert deadlines.appeal_deadline(issued=date(2028, 2, 1), window_days=29) == date(2028, 3, 1)


def test_answers_are_due_the_window_after_the_request():
    assert deadlines.information_response_due(requested=date(2026, 11, 20), window_days=30) == date(
        2026, 12, 20
    )


def _us_date(day: date) -> str:
    return day.strftime("%B ") + str(day.day) + day.strftime(", %Y")


@pytest.mark.django_db
def test_the_admins_appeal_window_sets_the_deadline_a_new_denial_letter_prints(
    as_staff, cbp_admin, owner_a, reviewer, supervisor
):
    WorkloadSettings.current()
    admin = as_staff(cbp_admin)
    response = admin.post(
        reverse("admin:certification_workloadsettings_change", args=[1]),
        {
            "reviewer_capacity": 8,
            "target_days_micro": 30,
            "target_days_small": 45,
            "target_days_medium": 60,
            "target_days_large": 90,
            "information_request_days": 30,
            "appeal_days": 45,
        },
    )
    assert response.status_code == 302
    assert WorkloadSettings.current().appeal_days == 45

    denied = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    expected = timezone.localdate() + timedelta(days=45)
    assert denied.appeal_deadline == expected
    letter = letter_lifecycle.letter_render(letter_id=Letter.objects.get(decision=denied).pk)
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(BytesIO(letter.file.read())).pages
        ).split()
    )
    assert _us_date(expected) in text
    # The window in force when the denial was issued stays with it.
    WorkloadSettings.objects.update(appeal_days=10)
    denied.refresh_from_db()
    assert denied.appeal_deadline == expected
