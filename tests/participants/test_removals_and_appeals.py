"""Removal (19 CFR 163.13(c)) and appeals (163.13(d)): a reviewer proposes, a supervisor who is not
the proposer removes or declines; the notice gives the reasons and the appeal right; it takes
effect as (c)(3) says; the recordkeeper appeals within the window; an appeals official who did
not decide the case upholds or reverses, and a reversal reinstates. The expected outcomes are
written out, not read from the moves table."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification.letters import lifecycle as letter_lifecycle
from certification.models import Application, Event, WorkloadSettings
from participants import services
from participants.models import Appeal, Participant, Removal
from recordkeepers.models import StaffRole, User
from tests.factories import decide, staff_user
from tests.pdfs import plain_pdf


@pytest.fixture
def other_supervisor(db):
    return staff_user(StaffRole.SUPERVISOR, email="supervisor2@cbp.example.gov")


def letter_text(letter) -> str:
    rendered = letter_lifecycle.letter_render(letter_id=letter.pk)
    pages = PdfReader(BytesIO(rendered.file.read())).pages
    return " ".join("".join(page.extract_text() for page in pages).split())


def propose(participant, reviewer, **changes) -> Removal:
    data = {
        "grounds": ["c1iii"],
        "reasons": "Records for three entries were not produced when demanded in 2026.",
        "immediate": "",
    } | changes
    return services.removal_propose(participant=participant, actor=reviewer, **data)


def test_a_supervisor_not_the_proposer_removes_and_the_notice_says_why_and_how_to_appeal(
    participant_a, reviewer, supervisor
):
    WorkloadSettings.objects.update_or_create(pk=1, defaults={"appeal_days": 30})
    removal = propose(participant_a, reviewer)
    participant_a.refresh_from_db()
    assert participant_a.status == "removal_proposed"
    assert not Event.objects.get(verb="participant.removal_proposed").applicant_visible

    services.removal_issue(removal=removal, actor=supervisor)

    removal.refresh_from_db()
    participant_a.refresh_from_db()
    today = timezone.localdate()
    assert (removal.status, removal.decided_on, removal.notice_received_on) == (
        "issued",
        today,
        today,
    )
    assert removal.appeal_deadline == today + timedelta(days=30)
    # Not at once: the participant stays in the program until the appeal time ends.
    assert removal.effective_on is None and participant_a.status == "removal_proposed"
    text = letter_text(removal.letter)
    assert "19 CFR 163.13(c)(1)(iii)" in text
    assert "Records for three entries were not produced" in text
    assert "right to appeal" in text.lower()
    deadline = removal.appeal_deadline
    assert f"{deadline:%B} {deadline.day}, {deadline.year}" in text
    first_day = deadline + timedelta(days=1)
    assert f"{first_day:%B} {first_day.day}, {first_day.year}" in text


def test_the_proposer_cannot_decide_their_own_proposal(participant_a, supervisor, other_supervisor):
    removal = propose(participant_a, supervisor)
    with pytest.raises(PermissionDenied, match="another supervisor"):
        services.removal_issue(removal=removal, actor=supervisor)
    # The database holds the rule too.
    with transaction.atomic(), pytest.raises(IntegrityError):
        Removal.objects.filter(pk=removal.pk).update(decided_by=supervisor)
    services.removal_issue(removal=removal, actor=other_supervisor)


def test_a_reviewer_cannot_decide_and_a_declined_proposal_restores_the_participant(
    participant_a, reviewer, other_reviewer, supervisor
):
    removal = propose(participant_a, reviewer)
    with pytest.raises(PermissionDenied):
        services.removal_issue(removal=removal, actor=other_reviewer)
    with pytest.raises(ValidationError):
        services.removal_decline(removal=removal, actor=supervisor, reason=" ")
    services.removal_decline(removal=removal, actor=supervisor, reason="One late record only.")
    participant_a.refresh_from_db()
    assert participant_a.status == "active"
    assert Removal.objects.get().status == "declined"


def test_willfulness_takes_effect_at_once(participant_a, reviewer, supervisor):
    removal = propose(participant_a, reviewer, grounds=["c1iv"], immediate="willful")
    services.removal_issue(removal=removal, actor=supervisor)
    removal.refresh_from_db()
    participant_a.refresh_from_db()
    assert (removal.status, removal.effective_on) == ("effective", timezone.localdate())
    assert participant_a.status == "removed"
    assert "takes effect at once" in letter_text(removal.letter)


def test_without_an_appeal_it_takes_effect_the_day_after_the_deadline(
    participant_a, reviewer, supervisor
):
    removal = propose(participant_a, reviewer)
    services.removal_issue(removal=removal, actor=supervisor)
    removal.refresh_from_db()
    deadline = removal.appeal_deadline
    assert services.removals_take_effect(today=deadline) == 0
    assert services.removals_take_effect(today=deadline + timedelta(days=1)) == 1
    removal.refresh_from_db()
    participant_a.refresh_from_db()
    assert (removal.status, removal.effective_on) == ("effective", deadline + timedelta(days=1))
    assert participant_a.status == "removed"
    assert services.removals_take_effect(today=deadline + timedelta(days=2)) == 0


def test_a_removal_appealed_and_reversed_reinstates_the_participant(
    participant_a, owner_a, reviewer, supervisor, appeals_official
):
    removal = propose(participant_a, reviewer)
    services.removal_issue(removal=removal, actor=supervisor)
    appeal = services.appeal_file(
        application=participant_a.application,
        actor=owner_a,
        statement="The records were produced within the time CBP allowed.",
    )
    assert (appeal.kind, appeal.removal, appeal.original_decider) == (
        "removal",
        removal,
        supervisor,
    )
    assert appeal.decision_due == appeal.received_on + timedelta(days=30)
    # An appeal in time holds the removal back, even past the deadline.
    assert services.removals_take_effect(today=removal.appeal_deadline + timedelta(days=5)) == 0
    # A removal's appeal cannot be delayed.
    with pytest.raises(ValidationError, match="cannot be delayed"):
        services.appeal_delay(
            appeal=appeal, actor=appeals_official, reasons="x", expected=appeal.decision_due
        )

    services.appeal_decide(
        appeal=appeal,
        actor=appeals_official,
        outcome="reversed",
        reasons="The three records were produced on time; the port's log shows it.",
    )

    participant_a.refresh_from_db()
    removal.refresh_from_db()
    assert participant_a.status == "reinstated"
    assert removal.status == "reversed"
    text = letter_text(Appeal.objects.get().letter)
    assert "the removal is reversed and your certification is reinstated" in text
    assert "The three records were produced on time" in text
    verbs = list(
        Event.objects.filter(verb__in=["participant.appeal_decided", "participant.reinstated"])
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["participant.appeal_decided", "participant.reinstated"]


def test_an_upheld_removal_takes_effect_when_decided(
    participant_a, owner_a, reviewer, supervisor, appeals_official
):
    removal = propose(participant_a, reviewer)
    services.removal_issue(removal=removal, actor=supervisor)
    appeal = services.appeal_file(
        application=participant_a.application, actor=owner_a, statement="Please reconsider."
    )
    services.appeal_decide(
        appeal=appeal, actor=appeals_official, outcome="upheld", reasons="Three failures."
    )
    removal.refresh_from_db()
    participant_a.refresh_from_db()
    assert (removal.status, removal.effective_on) == ("effective", timezone.localdate())
    assert participant_a.status == "removed"


def test_the_original_decider_never_decides_the_appeal(
    participant_a, owner_a, reviewer, supervisor, appeals_official
):
    removal = propose(participant_a, reviewer)
    services.removal_issue(removal=removal, actor=supervisor)
    # The supervisor who removed is made an appeals official too: still not theirs to decide.
    supervisor.groups.add(Group.objects.get(name="appeals_official"))
    supervisor = User.objects.get(pk=supervisor.pk)
    appeal = services.appeal_file(
        application=participant_a.application, actor=owner_a, statement="x"
    )
    with pytest.raises(PermissionDenied, match="another appeals official"):
        services.appeal_decide(appeal=appeal, actor=supervisor, outcome="reversed", reasons="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Appeal.objects.filter(pk=appeal.pk).update(decided_by=supervisor)
    services.appeal_decide(appeal=appeal, actor=appeals_official, outcome="upheld", reasons="x")


def test_a_denial_is_appealed_delayed_with_a_notice_and_reversed_into_the_register(
    owner_b, reviewer, supervisor, appeals_official, handbook_in_force
):
    decision = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    application = decision.application
    appeal = services.appeal_file(
        application=application, actor=owner_b, statement="We now have SOP-08."
    )
    assert (appeal.kind, appeal.original_decider) == ("denial", supervisor)
    with pytest.raises(ValidationError, match="There is nothing to appeal"):
        services.appeal_file(application=application, actor=owner_b, statement="Again.")
    with pytest.raises(ValidationError):
        services.appeal_delay(
            appeal=appeal, actor=appeals_official, reasons="x", expected=appeal.decision_due
        )
    expected = appeal.decision_due + timedelta(days=20)
    services.appeal_delay(
        appeal=appeal,
        actor=appeals_official,
        reasons="We are waiting for the port's records.",
        expected=expected,
    )
    text = letter_text(Appeal.objects.get().delay_letter)
    assert "We are waiting for the port's records." in text
    assert f"{expected:%B} {expected.day}, {expected.year}" in text

    services.appeal_decide(
        appeal=appeal, actor=appeals_official, outcome="reversed", reasons="SOP-08 meets (iii)."
    )
    application.refresh_from_db()
    assert application.status == "certified"
    participant = Participant.objects.get(application=application)
    assert (participant.status, participant.certified_on) == ("active", timezone.localdate())
    assert Event.objects.filter(verb="application.certified_on_appeal").exists()


def test_an_appeal_after_the_window_is_refused(owner_b, reviewer, supervisor, handbook_in_force):
    decision = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    type(decision).objects.filter(pk=decision.pk).update(
        appeal_deadline=timezone.localdate() - timedelta(days=1)
    )
    application = Application.objects.get(pk=decision.application_id)
    with pytest.raises(ValidationError, match="the time to appeal has passed"):
        services.appeal_file(application=application, actor=owner_b, statement="Late.")


def test_the_pages_of_a_removal_and_its_appeal(
    client, as_staff, participant_a, owner_a, owner_b, reviewer, supervisor, appeals_official
):
    staff = as_staff(reviewer)
    url = reverse("participants:removal-new", args=[participant_a.pk])
    refused = staff.post(url, {"reasons": "", "immediate": ""})
    assert refused.status_code == 400
    assert "Choose at least one ground" in refused.text
    response = staff.post(
        url, {"grounds": ["c1iii", "c1v"], "reasons": "Three failures to produce.", "immediate": ""}
    )
    removal = Removal.objects.get()
    assert response.status_code == 302 and removal.grounds == ["c1iii", "c1v"]
    # The reviewer cannot decide it; the page does not offer it.
    assert "Decide" not in staff.get(reverse("participants:removal", args=[removal.pk])).text
    client.force_login(supervisor)
    as_staff(supervisor)
    decline = client.post(
        reverse("participants:removal", args=[removal.pk]), {"decision": "decline", "reason": ""}
    )
    assert decline.status_code == 400 and "Say why the removal is declined." in decline.text
    client.post(reverse("participants:removal", args=[removal.pk]), {"decision": "issue"})
    removal.refresh_from_db()
    assert removal.status == "issued"

    # The participant sees the removal and appeals it; another organisation cannot.
    client.force_login(owner_a)
    page = client.get(reverse("participants:certification"))
    assert "Appeal the removal" in page.text
    appeal_url = reverse("participants:appeal-new", args=[participant_a.application.pk])
    assert client.post(appeal_url, {"statement": ""}).status_code == 400
    response = client.post(appeal_url, {"statement": "The records were produced on time."})
    appeal = Appeal.objects.get()
    assert response.url == reverse("participants:appeal", args=[appeal.pk])
    client.force_login(owner_b)
    assert client.get(reverse("participants:appeal", args=[appeal.pk])).status_code == 404
    assert client.get(appeal_url).status_code == 404

    # The appeals official decides it from the appeals page.
    official = as_staff(appeals_official)
    assert "Appeal of a removal" in official.get(reverse("participants:appeals")).text
    bad = official.post(reverse("participants:appeal-decide", args=[appeal.pk]), {"outcome": ""})
    assert bad.status_code == 400
    official.post(
        reverse("participants:appeal-decide", args=[appeal.pk]),
        {"outcome": "reversed", "reasons": "Produced on time."},
    )
    participant_a.refresh_from_db()
    assert participant_a.status == "reinstated"
    assert Application.objects.get(pk=participant_a.application_id).status == "certified"


PDF = plain_pdf()  # evidence checks read it: a real one-page PDF


def test_an_appeal_carries_its_documents_and_a_refused_file_keeps_nothing(
    client, as_staff, owner_b, reviewer, supervisor, appeals_official, handbook_in_force
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    decision = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    url = reverse("participants:appeal-new", args=[decision.application_id])
    client.force_login(owner_b)
    disguised = SimpleUploadedFile("sop.pdf", b"<html><script>alert(1)</script></html>")
    refused = client.post(url, {"statement": "We now have SOP-08.", "files": [disguised]})
    assert refused.status_code == 400
    assert "sop.pdf" in refused.text and "We now have SOP-08." in refused.text
    assert not Appeal.objects.exists()

    sop = SimpleUploadedFile("SOP-08.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"statement": "We now have SOP-08.", "files": [sop]})
    appeal = Appeal.objects.get()
    stored = appeal.files.get()
    assert (stored.original_name, stored.content_type, stored.size) == (
        "SOP-08.pdf",
        "application/pdf",
        len(PDF),
    )
    page = client.get(response.url)
    link = reverse("participants:appeal-file", args=[stored.pk])
    assert link in page.text
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # The appeals official reads it; another organisation gets nothing.
    official = as_staff(appeals_official)
    assert official.get(link).status_code == 200
    client.logout()
    from tests.factories import MembershipFactory

    stranger = MembershipFactory().user
    client.force_login(stranger)
    assert client.get(link).status_code == 404
