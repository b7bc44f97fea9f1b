"""Admins keep the scoring thresholds in the Django admin, and the workspace uses them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reviews.models import ScoringSettings

pytestmark = pytest.mark.django_db


def test_an_admin_changes_a_threshold_and_nobody_else_can(client, cbp_admin, reviewer, enrol_totp):
    settings = ScoringSettings.current()
    url = reverse("admin:reviews_scoringsettings_change", args=[settings.pk])
    enrol_totp(reviewer)
    client.force_login(reviewer)
    assert client.get(url).status_code in (302, 403)

    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "met_micro": "0.55",
            "met_small": "0.60",
            "met_medium": "0.67",
            "met_large": "0.80",
            "information_band": "0.10",
        },
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.met_for("large"), settings.information_band) == (
        Decimal("0.80"),
        Decimal("0.10"),
    )
    refused = client.post(
        url,
        {
            **{f"met_{s}": "1.5" for s in ("micro", "small", "medium", "large")},
            "information_band": "0.1",
        },
    )
    assert refused.status_code == 200  # the form again, with the error beside the field
    assert "Ensure this value is less than or equal to 1" in refused.text
