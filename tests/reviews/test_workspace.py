"""The review workspace: scoring every criterion, the compliance finding, asking for information,
recommending, and the supervisor's sign-off, through the test client."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import ApplicationStatus, Decision, Event
from reviews.models import CriterionScore
from reviews.selectors import applicable_criteria
from reviews.services import (
    review_assign,
    review_recommend,
    review_save_scores,
    review_sign_off,
)
from tests.factories import draft_application


def score_everything(client, application, score: int) -> None:
    """Every criterion given `score`, in the one save the rubric has."""
    data = {f"score_{c.pk}": str(score) for c in applicable_criteria(application=application)}
    response = client.post(reverse("reviews:save-scores", args=[application.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


# The reviewer's reason for (iii), in the words the letter prints.
FOUND_III = "You did not show how you would find and send records CBP asks for."
MEET_III = "A written procedure naming who answers a CBP request and how soon."
DENY_III = {"outcome": "denied", "found_iii": FOUND_III, "meet_iii": MEET_III}


def test_a_reviewer_scores_recommends_and_a_supervisor_certifies(
    as_staff, claimed, reviewer, supervisor
):
    client = as_staff(reviewer)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert page.status_code == 200
    assert "The scoring suggests: Scoring incomplete" in page.text
    score_everything(client, claimed, 3)
    criteria = applicable_criteria(application=claimed)
    assert CriterionScore.objects.filter(application=claimed).count() == len(criteria)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert "The scoring suggests: Certify under the general recordkeeping requirements" in page.text
    response = client.post(
        reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "certified"}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.RECOMMENDED
    # The recommending reviewer is no supervisor: the sign-off page does not exist for them.
    assert client.get(reverse("reviews:sign-off", args=[claimed.pk])).status_code == 404

    client = as_staff(supervisor)
    assert client.get(reverse("reviews:sign-off", args=[claimed.pk])).status_code == 200
    response = client.post(
        reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "certified"}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.CERTIFIED
    assert Decision.objects.get(application=claimed).decided_by == supervisor


def test_recommending_against_the_suggestion_needs_a_reason(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    score_everything(client, claimed, 3)
    url = reverse("reviews:recommend", args=[claimed.pk])
    refused = client.post(url, {"outcome": "denied"})
    assert refused.status_code == 400
    assert "Say why you recommend otherwise" in refused.text
    no_reason = client.post(url, {"outcome": "denied", "differs_reason": "Site visit."})
    assert no_reason.status_code == 400
    assert "A denial sets out at least one reason" in no_reason.text
    response = client.post(
        url,
        {
            "outcome": "denied",
            "differs_reason": "The site visit found no records room.",
            "reason_ground": "163.13(b)(1)(i)",
            "reason_demonstration": "v",
            "reason_text": "The original records are not kept as described.",
            "reason_remedy": "Keep the originals in the records room your procedure names.",
        },
    )
    assert response.status_code == 302
    event = Event.objects.filter(application=claimed, verb="review.recommended").get()
    assert event.data["differs_reason"] == "The site visit found no records room."
    assert event.data["reasons"] == [
        {
            "ground": "163.13(b)(1)(i)",
            "demonstration": "v",
            "text": "The original records are not kept as described.",
            "remedy": "Keep the originals in the records room your procedure names.",
        }
    ]


def test_a_denial_gives_the_reviewers_reasons_and_keeps_the_scorings_apart(
    as_staff, claimed, reviewer, supervisor
):
    client = as_staff(reviewer)
    score_everything(client, claimed, 0)
    response = client.post(reverse("reviews:recommend", args=[claimed.pk]), DENY_III)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(application=claimed, verb="review.recommended")
    assert event.data["reasons"] == [
        {"ground": "163.13(b)(1)(i)", "demonstration": "iii", "text": FOUND_III, "remedy": MEET_III}
    ]
    # The scoring's reasons are kept for CBP's record, apart from the letter's.
    grounds = {(r["ground"], r["demonstration"]) for r in event.data["scoring_notes"]}
    assert ("163.13(b)(1)(i)", "iii") in grounds
    client = as_staff(supervisor)
    client.post(reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "denied"})
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.DENIED
    assert claimed.decision.reasons == event.data["reasons"]


def test_the_reviewer_asks_for_information_and_the_answer_is_flagged(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    url = reverse("reviews:request-information", args=[claimed.pk])
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + timedelta(days=20)).strftime("%m/%d/%Y")
    response = client.post(
        url, {"due": due, "demonstration_1": "iii", "question_1": "Send your SOP-08."}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.INFO_REQUESTED
    item = claimed.information_requests.get().items.get()
    assert (item.demonstration, item.question) == ("iii", "Send your SOP-08.")


def test_others_cannot_open_or_score(as_staff, claimed, other_reviewer, owner_a):
    client = as_staff(other_reviewer)
    assert client.get(reverse("reviews:workspace", args=[claimed.pk])).status_code == 404
    response = client.post(reverse("reviews:save-scores", args=[claimed.pk]), {})
    assert response.status_code == 404
    client.force_login(owner_a)
    for name in ["workspace", "request-information", "sign-off"]:
        assert client.get(reverse(f"reviews:{name}", args=[claimed.pk])).status_code == 404


def test_a_supervisor_cannot_sign_off_their_own_recommendation(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    score_everything(client, claimed, 3)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "certified"})
    # Promoted to supervisor afterwards: still not the one to sign their own recommendation off.
    reviewer.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    response = client.post(
        reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "certified"}
    )
    assert response.status_code == 400
    assert "cannot also sign the decision off" in response.text
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.RECOMMENDED


def test_a_supervisor_returns_a_recommendation_with_comments(
    as_staff, claimed, reviewer, supervisor
):
    client = as_staff(reviewer)
    score_everything(client, claimed, 3)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "certified"})
    with pytest.raises(ValidationError, match="Say what the reviewer should look at again"):
        review_sign_off(application=claimed, actor=supervisor, decision="return", comments=" ")
    client = as_staff(supervisor)
    response = client.post(
        reverse("reviews:sign-off", args=[claimed.pk]),
        {"decision": "return", "comments": "Check (v) against SOP-08."},
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.IN_REVIEW
    event = claimed.events.latest("pk")
    assert (event.actor, event.data["comments"]) == (supervisor, "Check (v) against SOP-08.")
    assert not Decision.objects.filter(application=claimed).exists()


# --- Live totals: what htmx asks for while the reviewer chooses scores ------------------------------


def totals_url(application, demonstration="i") -> str:
    return reverse("reviews:score-totals", args=[application.pk, demonstration])


def criteria_of(application, demonstration="i") -> dict[str, int]:
    return {
        c.code: c.pk
        for c in applicable_criteria(application=application)
        if c.demonstration == demonstration
    }


def test_the_totals_follow_the_scores_chosen_and_nothing_is_saved(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    # Without JavaScript the page shows the saved totals; with it, each change asks for them.
    assert f'hx-post="{totals_url(claimed)}"' in page.text
    totals = page.text.split('id="totals-i" aria-live="polite"')[1].split("</div>")[0]
    assert "Scoring incomplete</strong>: 0 of 24 weighted points (0%)" in totals
    ids = criteria_of(claimed)
    assert list(ids) == ["i.1", "i.2", "i.3"]  # weights 3 and 3 (both must pass), and 2
    events, version = claimed.events.count(), claimed.version

    response = client.post(
        totals_url(claimed),
        {f"score_{ids['i.1']}": "3", f"score_{ids['i.2']}": "1", f"score_{ids['i.3']}": "na"},
    )

    assert response.status_code == 200
    # 3×3 + 3×1 of 3×3 + 3×3, i.3 left out as N/A: above the 60% a small importer needs, but i.2
    # must pass and is only partly shown, so at best ask for information.
    assert (
        "<strong>Needs information</strong>: 12 of 18 weighted points (66.7%); 60% is expected "
        "of a small importer." in response.text
    )
    assert "Must-pass criteria scored absent or partial: i.2." in response.text
    assert "would suggest: <strong>Scoring incomplete</strong>. They are not saved yet." in (
        response.text
    )
    assert 'id="explanation-i" hx-swap-oob="innerHTML"' in response.text
    explained = (
        "i.2 Retention periods known and applied (must pass): partial (1) × weight 3 = 3 of 9"
    )
    assert explained in response.text
    assert "<html" not in response.text
    assert not CriterionScore.objects.filter(application=claimed).exists()
    claimed.refresh_from_db()
    assert (claimed.events.count(), claimed.version) == (events, version)


def test_the_totals_weigh_the_chosen_scores_with_the_saved_ones(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    score_everything(client, claimed, 3)
    ids = criteria_of(claimed)

    # (i) strong as saved, but for i.3 chosen absent: still met, and the suggestion still certifies.
    response = client.post(
        totals_url(claimed),
        {f"score_{ids['i.1']}": "3", f"score_{ids['i.2']}": "3", f"score_{ids['i.3']}": "0"},
    )
    assert "<strong>Met</strong>: 18 of 24 weighted points (75%)" in response.text
    assert "would suggest: <strong>Certify under the general" in response.text
    # i.1 chosen absent and the others cleared ("Not scored yet"): incomplete, whatever was saved.
    response = client.post(
        totals_url(claimed),
        {f"score_{ids['i.1']}": "0", f"score_{ids['i.2']}": "none", f"score_{ids['i.3']}": "none"},
    )
    assert "<strong>Scoring incomplete</strong>: 0 of 24 weighted points" in response.text
    assert "would suggest: <strong>Scoring incomplete</strong>" in response.text
    # i.1 absent: a must-pass criterion at 0 fails the demonstration whatever the total.
    response = client.post(
        totals_url(claimed),
        {f"score_{ids['i.1']}": "0", f"score_{ids['i.2']}": "3", f"score_{ids['i.3']}": "3"},
    )
    assert "<strong>Not met</strong>: 15 of 24 weighted points (62.5%)" in response.text
    assert "Must-pass criteria scored absent or partial: i.1." in response.text
    assert "would suggest: <strong>Deny</strong>" in response.text
    # The saved scores are as they were.
    saved = CriterionScore.objects.filter(application=claimed, demonstration="i")
    assert set(saved.values_list("score", flat=True)) == {3}


def test_bad_scores_get_a_400_fragment_that_says_why(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    ids = criteria_of(claimed)
    out_of_range = client.post(totals_url(claimed), {f"score_{ids['i.3']}": "7"})
    assert out_of_range.status_code == 400
    assert "The total cannot be worked out from these scores" in out_of_range.text
    assert "Score i.3 from 0 to 3, or N/A." in out_of_range.text
    must_pass = client.post(totals_url(claimed), {f"score_{ids['i.1']}": "na"})
    assert must_pass.status_code == 400
    assert "Score i.1 from 0 to 3." in must_pass.text
    assert not CriterionScore.objects.filter(application=claimed).exists()


def test_only_the_declared_assigned_reviewer_gets_totals(
    as_staff, claimed, reviewer, other_reviewer, supervisor, owner_a, owner_b
):
    scores = {f"score_{criteria_of(claimed)['i.1']}": "2"}
    client = as_staff(other_reviewer)
    assert client.post(totals_url(claimed), scores).status_code == 404
    # Assigned by a supervisor, but not yet declared free of conflict: nothing to see either.
    assigned = draft_application(owner=owner_b)
    workflow.application_submit(application=assigned, actor=owner_b)
    review_assign(application=assigned, actor=supervisor, reviewer=other_reviewer)
    assert client.post(totals_url(assigned), scores).status_code == 404
    # A supervisor opens the workspace but does not score.
    client = as_staff(supervisor)
    assert client.post(totals_url(claimed), scores).status_code == 403
    client.force_login(owner_a)
    assert client.post(totals_url(claimed), scores).status_code == 404
    client = as_staff(reviewer)
    assert client.post(totals_url(claimed, "vii"), scores).status_code == 404
    assert client.get(totals_url(claimed)).status_code == 405
    assert not CriterionScore.objects.exists()


def test_a_denial_asks_each_failing_demonstration_for_the_reviewers_words_not_the_scorings(
    as_staff, claimed, reviewer
):
    client = as_staff(reviewer)
    score_everything(client, claimed, 0)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    form = page.text[page.text.index('id="recommend-heading"') :]
    # A pair of empty fields for each demonstration found not met, the scoring's note beside them.
    for demonstration in ["i", "ii", "iii", "iv", "v", "vi"]:
        assert f'name="found_{demonstration}"' in form
        assert f'name="meet_{demonstration}"' in form
    assert "The scoring's note (not printed):" in form
    assert "weighted points" in form  # the guidance...
    assert "weighted points</textarea>" not in form  # ...is not typed into the reasons


def test_a_denial_without_both_texts_is_refused_beside_the_field_keeping_what_was_typed(
    as_staff, claimed, reviewer
):
    client = as_staff(reviewer)
    score_everything(client, claimed, 0)
    url = reverse("reviews:recommend", args=[claimed.pk])
    refused = client.post(url, {"outcome": "denied", "found_iii": FOUND_III})
    assert refused.status_code == 400
    assert "Say what would meet the requirement" in refused.text
    assert FOUND_III in refused.text  # kept in its field
    only_meet = client.post(url, {"outcome": "denied", "meet_iii": MEET_III})
    assert only_meet.status_code == 400
    assert "Say what you found" in only_meet.text
    assert MEET_III in only_meet.text
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.IN_REVIEW
    assert not Event.objects.filter(application=claimed, verb="review.recommended").exists()


def test_the_service_refuses_a_denial_reason_without_what_would_meet_it(claimed, reviewer):
    review_save_scores(
        application=claimed,
        actor=reviewer,
        scores={
            criterion.pk: {"score": 0, "not_applicable": False, "notes": ""}
            for criterion in applicable_criteria(application=claimed)
        },
    )
    with pytest.raises(ValidationError, match="what would meet the requirement"):
        review_recommend(
            application=claimed,
            actor=reviewer,
            outcome="denied",
            reasons=[{"ground": "163.13(b)(1)(i)", "demonstration": "iii", "text": FOUND_III}],
        )


# --- One sheet: the whole rubric saved at once, nothing lost ----------------------------------------


def test_one_save_keeps_the_choices_of_every_demonstration(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    criteria = applicable_criteria(application=claimed)
    first_i = next(c for c in criteria if c.demonstration == "i")
    first_iii = next(c for c in criteria if c.demonstration == "iii")
    first_vi = next(c for c in criteria if c.demonstration == "vi")
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    # One form for the rubric, its buttons in every panel.
    assert page.text.count(f'action="{reverse("reviews:save-scores", args=[claimed.pk])}"') == 1
    assert page.text.count(">Save all scores</button>") == 6

    # Choices in (i), (iii) and (vi), saved from (iii)'s button.
    response = client.post(
        reverse("reviews:save-scores", args=[claimed.pk]),
        {
            f"score_{first_i.pk}": "2",
            f"score_{first_iii.pk}": "1",
            f"notes_{first_iii.pk}": "No SOP for producing records.",
            f"score_{first_vi.pk}": "3",
            "panel": "iii",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:workspace", args=[claimed.pk]) + "#demonstration-iii"
    saved = {
        s.criterion_id: (s.score, s.notes)
        for s in CriterionScore.objects.filter(application=claimed)
    }
    assert saved == {
        first_i.pk: (2, ""),
        first_iii.pk: (1, "No SOP for producing records."),
        first_vi.pk: (3, ""),
    }
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert "Your scores are saved, in every demonstration." in page.text


def test_a_refused_sheet_saves_nothing_and_shows_every_choice_again(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    criteria = applicable_criteria(application=claimed)
    must_pass_i = next(c for c in criteria if c.demonstration == "i" and c.must_pass)
    first_v = next(c for c in criteria if c.demonstration == "v")

    response = client.post(
        reverse("reviews:save-scores", args=[claimed.pk]),
        {
            f"score_{must_pass_i.pk}": "na",  # a must-pass criterion cannot be N/A
            f"score_{first_v.pk}": "2",
            f"notes_{first_v.pk}": "Backups tested monthly.",
        },
    )

    assert response.status_code == 400
    assert not CriterionScore.objects.filter(application=claimed).exists()
    # One error summary, linking to the field; the choice in (v) and its notes are still there.
    assert response.text.count("data-error-summary") == 1
    assert (
        f'<a class="usa-link" href="#id_score_{must_pass_i.pk}_0">'
        f"Score {must_pass_i.code} from 0 to 3.</a>"
    ) in response.text
    assert re.search(rf'value="2"[^>]*id="id_score_{first_v.pk}_2"[^>]*checked', response.text)
    assert "Backups tested monthly." in response.text
