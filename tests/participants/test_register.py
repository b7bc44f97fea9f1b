"""CBP's register: who on staff sees which participant (the queue's conflict rule), search and
filters, overdue corrective actions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from participants.models import ComplianceReport, CorrectiveAction
from recordkeepers.models import StaffRole
from tests.factories import MembershipFactory, staff_user


def _report(participant, user, *, due_days: int | None = None) -> ComplianceReport:
    report = ComplianceReport.objects.create(
        participant=participant,
        kind="violation",
        involves_failure=True,
        what_happened="Lost invoices.",
        found_on=timezone.localdate(),
        records_concerned="Invoices.",
        action_taken="Asked the supplier.",
        filed_by=user,
    )
    if due_days is not None:
        CorrectiveAction.objects.create(
            report=report,
            request="Revise SOP-08.",
            due=timezone.localdate() + timedelta(days=due_days),
            requested_by=user,
        )
    return report


def test_the_register_lists_searches_and_filters(as_staff, participant_a, supervisor, owner_a):
    staff = as_staff(supervisor)
    number = participant_a.importer_numbers[0]
    page = staff.get(reverse("participants:register"))
    assert page.status_code == 200
    assert participant_a.legal_name in page.text
    # An importer number typed without its dashes still finds it.
    bare = "".join(c for c in number if c.isalnum())
    assert participant_a.legal_name in staff.get(reverse("participants:register"), {"q": bare}).text
    assert (
        participant_a.legal_name
        not in (
            staff.get(reverse("participants:register"), {"q": "Nobody Trading"}).text.split(
                "participant"
            )[-1]
        )
    )
    assert (
        "0 participants" in staff.get(reverse("participants:register"), {"status": "removed"}).text
    )
    assert "0 participants" in staff.get(reverse("participants:register"), {"overdue": "on"}).text
    _report(participant_a, owner_a, due_days=-1)
    overdue = staff.get(reverse("participants:register"), {"overdue": "on"})
    assert "1 participant" in overdue.text and "Corrective action overdue" in overdue.text
    bad = staff.get(reverse("participants:register"), {"status": "nonsense"})
    assert bad.status_code == 400


def test_a_reviewer_linked_to_the_organisation_does_not_see_it(
    as_staff, participant_a, reviewer, organisation_a
):
    staff = as_staff(reviewer)
    assert (
        staff.get(reverse("participants:participant", args=[participant_a.pk])).status_code == 200
    )
    linked = staff_user(StaffRole.REVIEWER, email="colleague@acme.example")
    MembershipFactory(organisation=organisation_a, user__email="someone@acme.example")
    staff = as_staff(linked)
    assert (
        staff.get(reverse("participants:participant", args=[participant_a.pk])).status_code == 404
    )
    assert participant_a.legal_name not in staff.get(reverse("participants:register")).text


def test_applicants_and_strangers_do_not_reach_the_register(
    client, participant_a, owner_a, owner_b
):
    client.force_login(owner_b)
    assert client.get(reverse("participants:register")).status_code == 404
    assert (
        client.get(reverse("participants:participant", args=[participant_a.pk])).status_code == 404
    )
    client.force_login(owner_a)
    assert client.get(reverse("participants:register")).status_code == 404
    client.logout()
    assert client.get(reverse("participants:register")).status_code == 302  # to sign in
