"""A review keeps the scoring thresholds in force when it started, as an application keeps its
Handbook edition; a declared risk flag may raise them, by as much as admins set."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification import workflow
from certification.demo import demo_profile, fill_application
from certification.models import Application
from certification.services.drafts import application_attest
from reviews import scoring
from reviews.models import ReviewThresholds, ScoringSettings
from reviews.selectors import applicable_criteria, suggestion_for
from reviews.services import (
    review_assign,
    review_claim,
    review_declare_no_conflict,
    review_save_scores,
)
from tests.factories import draft_application, start_review

pytestmark = pytest.mark.django_db

ADCVD_RAISE = "antidumping or countervailing duty goods"


def submitted_with_flags(owner, flags: list[str]) -> Application:
    application = Application.objects.create(
        organisation=owner.membership.organisation, created_by=owner
    )
    profile = demo_profile(importer_number="27-100000100", ports=["2704"])
    fill_application(application=application, actor=owner, profile=profile | {"risk_flags": flags})
    application_attest(
        application=application,
        actor=owner,
        signer_name="Owner",
        signer_title="Compliance manager",
        expected_version=application.version,
    )
    workflow.application_submit(application=application, actor=owner)
    application.refresh_from_db()
    assert application.profile_snapshot["risk_flags"] == flags
    return application


def score_all(application, reviewer, score: int) -> None:
    criteria = applicable_criteria(application=application)
    review_save_scores(
        application=application,
        actor=reviewer,
        scores={c.pk: {"score": score, "not_applicable": False} for c in criteria},
    )


def admin_sets(client, cbp_admin, enrol_totp, *, met: str, raises: dict[str, str] | None = None):
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    settings = ScoringSettings.current()
    data = {f"met_{size}": met for size in ("micro", "small", "medium", "large")}
    data["information_band"] = "0.15"
    data |= {f"raise_{flag}": by for flag, by in (raises or {}).items()}
    response = client.post(
        reverse("admin:reviews_scoringsettings_change", args=[settings.pk]), data
    )
    assert response.status_code == 302, response.text[:2000]


def test_an_admins_change_after_the_review_started_does_not_change_its_suggestion(
    client, owner_a, owner_b, reviewer, cbp_admin, enrol_totp
):
    started = submitted_with_flags(owner_a, [])
    review_claim(application=started, actor=reviewer, no_conflict=True)
    score_all(started, reviewer, 2)
    assert suggestion_for(application=started)[1].outcome == scoring.Outcome.CERTIFY

    admin_sets(client, cbp_admin, enrol_totp, met="0.90")

    # The review under way keeps the bar it started with: all adequate still certifies.
    results, suggestion = suggestion_for(application=started)
    assert suggestion.outcome == scoring.Outcome.CERTIFY
    assert (
        results["i"].met_at == ScoringSettings._meta.get_field(f"met_{started.size_class}").default
    )
    # A review that starts after the change is judged by the new bar.
    later = submitted_with_flags(owner_b, [])
    review_claim(application=later, actor=reviewer, no_conflict=True)
    score_all(later, reviewer, 2)
    results, suggestion = suggestion_for(application=later)
    assert results["i"].met_at == Decimal("0.90")
    assert suggestion.outcome == scoring.Outcome.DENY  # 66.7% is more than 15 points below 90%


def test_a_raise_applies_only_to_applications_declaring_the_flag(
    client, owner_a, owner_b, reviewer, cbp_admin, enrol_totp
):
    admin_sets(client, cbp_admin, enrol_totp, met="0.60", raises={"adcvd": "0.10"})
    flagged = submitted_with_flags(owner_a, ["adcvd", "fta"])
    plain = submitted_with_flags(owner_b, ["fta"])
    for application in (flagged, plain):
        review_claim(application=application, actor=reviewer, no_conflict=True)
        score_all(application, reviewer, 2)

    flagged_results, flagged_suggestion = suggestion_for(application=flagged)
    plain_results, plain_suggestion = suggestion_for(application=plain)
    assert flagged_results["i"].met_at == Decimal("0.70")
    assert plain_results["i"].met_at == Decimal("0.60")
    assert flagged_suggestion.outcome == scoring.Outcome.REQUEST_INFORMATION
    assert plain_suggestion.outcome == scoring.Outcome.CERTIFY
    size = flagged.size_class
    assert flagged_suggestion.reasons[0].text.endswith(
        f"The criteria scored {flagged_results['i'].points} of {flagged_results['i'].maximum} "
        f"weighted points (66.7%); 70% is expected of a {size} importer "
        f"(60%, raised by 10 points for {ADCVD_RAISE})."
    )
    assert ReviewThresholds.objects.get(application=flagged).raises == [
        {"flag": "adcvd", "by": "0.10"}
    ]
    assert ReviewThresholds.objects.get(application=plain).raises == []


def test_the_reviewer_sees_the_raise_explained(
    as_staff, client, owner_a, reviewer, cbp_admin, enrol_totp
):
    admin_sets(client, cbp_admin, enrol_totp, met="0.60", raises={"adcvd": "0.05"})
    flagged = submitted_with_flags(owner_a, ["adcvd"])
    review_claim(application=flagged, actor=reviewer, no_conflict=True)
    score_all(flagged, reviewer, 2)
    page = as_staff(reviewer).get(reverse("reviews:workspace", args=[flagged.pk]))
    assert (
        f"meets this demonstration at 65% (60%, raised by 5 points for {ADCVD_RAISE}) or more"
        in page.text
    )


def test_assigning_pins_the_thresholds_once(owner_a, reviewer, other_reviewer, supervisor):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_assign(application=application, actor=supervisor, reviewer=reviewer)
    pinned = ReviewThresholds.objects.get(application=application)
    ScoringSettings.objects.filter(pk=1).update(met_micro=Decimal("0.99"))
    review_assign(application=application, actor=supervisor, reviewer=other_reviewer)
    assert ReviewThresholds.objects.get(application=application) == pinned
    assert pinned.met_micro == Decimal("0.50")


def test_a_review_begun_before_pinning_pins_at_its_first_scores(owner_a, reviewer):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)  # the workflow alone: no pin
    review_declare_no_conflict(application=application, actor=reviewer)
    assert not ReviewThresholds.objects.filter(application=application).exists()
    score_all(application, reviewer, 2)
    assert ReviewThresholds.objects.filter(application=application).exists()
