"""A chart, its table and its export count the same rows: the outcomes by size class as the
dashboard draws them, lists them and the decisions export carries them."""

import csv
import io
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from recordkeepers.models import Membership
from reporting.exports import export_write
from reporting.filters import ReportFilters
from tests.factories import MembershipFactory, OrganisationFactory, decide

pytestmark = pytest.mark.django_db


def owner(name: str, *, entries: int):
    organisation = OrganisationFactory(legal_name=name, entries_per_year=entries)
    return MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user


@pytest.fixture
def decided(reviewer, other_reviewer, supervisor, handbook_in_force, letter_templates):
    """Three small importers (120 entries, $3.5M: small) and one large (6,000 entries): two small
    certified, one small denied, the large one certified; `other_reviewer` recommended the
    denial and the large one, `reviewer` the two small certifications."""
    for name, entries, outcome, recommender in (
        ("Alder Imports", 120, "certified", reviewer),
        ("Birch Trading", 120, "certified", reviewer),
        ("Cedar Goods", 120, "denied", other_reviewer),
        ("Dogwood Freight", 6000, "certified", other_reviewer),
    ):
        decide(
            owner=owner(name, entries=entries),
            reviewer=recommender,
            supervisor=supervisor,
            outcome=outcome,
        )


def test_the_chart_its_table_and_the_export_count_the_same_decisions(as_staff, supervisor, decided):
    today = timezone.localdate()
    start = today - timedelta(days=6)
    response = as_staff(supervisor).get(
        reverse("reporting:dashboard"), {"start": start.isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    (figure,) = tree.xpath('//section[@id="figure-outcomes-by-size-class"]')

    # The table: by hand, two small certified and one denied, one large certified.
    table = {
        row.xpath("string(th)").strip(): [cell.text_content().strip() for cell in row.xpath("td")]
        for row in figure.xpath(".//table/tbody/tr")
    }
    assert table["Small"] == ["2", "1"]
    assert table["Large"] == ["1", "0"]
    # The chart: every bar says what its table cell says.
    bars = {title.strip() for title in figure.xpath(".//svg//rect/title/text()")}
    assert "Small, Certified: 2 applications" in bars
    assert "Small, Denied: 1 application" in bars
    assert "Large, Certified: 1 application" in bars

    # The export of the same filters: the same decisions.
    out = io.BytesIO()
    filters = ReportFilters(start=start, end=today)
    export_write(user=supervisor, key="decisions", filters=filters, format="csv", out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    exported = Counter((row["Size class"], row["Outcome"]) for row in rows)
    assert exported == {
        ("Small", "Certified"): 2,
        ("Small", "Denied"): 1,
        ("Large", "Certified"): 1,
    }


def test_with_a_reviewer_chosen_the_chart_and_the_export_count_that_reviewers_decisions(
    as_staff, supervisor, other_reviewer, decided
):
    today = timezone.localdate()
    start = today - timedelta(days=6)
    response = as_staff(supervisor).get(
        reverse("reporting:dashboard"),
        {"start": start.isoformat(), "end": today.isoformat(), "reviewer": other_reviewer.pk},
    )
    assert response.status_code == 200
    (figure,) = html.fromstring(response.content).xpath(
        '//section[@id="figure-outcomes-by-size-class"]'
    )
    table = {
        row.xpath("string(th)").strip(): [cell.text_content().strip() for cell in row.xpath("td")]
        for row in figure.xpath(".//table/tbody/tr")
    }
    # By hand: other_reviewer recommended the small denial and the large certification.
    assert table["Small"] == ["0", "1"]
    assert table["Large"] == ["1", "0"]

    out = io.BytesIO()
    filters = ReportFilters(start=start, end=today, reviewer_id=other_reviewer.pk)
    export_write(user=supervisor, key="decisions", filters=filters, format="csv", out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    exported = Counter((row["Size class"], row["Outcome"]) for row in rows)
    assert exported == {("Small", "Denied"): 1, ("Large", "Certified"): 1}
