"""Every time shown carries its zone: stored in UTC, shown in Eastern time with EST or EDT."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from certification.models import Application
from certification.wizard import steps
from tests.factories import draft_application

# 14:30 UTC on December 5 is 9:30 a.m. Eastern Standard Time; on July 5, 10:30 a.m. daylight time.
WINTER = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 5, 14, 30, tzinfo=UTC)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_datetime_format_ends_with_the_zone_in_winter_and_summer():
    assert render('{{ t|date:"DATETIME_FORMAT" }}', t=WINTER) == "Dec. 5, 2026, 9:30 a.m. EST"
    assert render('{{ t|date:"DATETIME_FORMAT" }}', t=SUMMER) == "July 5, 2026, 10:30 a.m. EDT"


def test_a_time_shown_without_a_filter_carries_its_zone_too():
    assert render("{{ t }}", t=WINTER) == "Dec. 5, 2026, 9:30 a.m. EST"
    assert render("{{ t|time }}", t=WINTER) == "9:30 a.m. EST"


def test_dates_alone_stay_as_they_were():
    assert render("{{ d }}", d=date(2026, 12, 5)) == "Dec. 5, 2026"
    assert render('{{ d|date:"F j, Y" }}', d=WINTER) == "December 5, 2026"


def test_another_zone_is_named_by_its_own_abbreviation():
    with timezone.override("America/Los_Angeles"):
        assert render('{{ t|date:"DATETIME_FORMAT" }}', t=WINTER) == "Dec. 5, 2026, 6:30 a.m. PST"


@pytest.mark.django_db
def test_the_wizard_says_when_the_draft_was_saved_with_the_zone(client, owner_a):
    application = draft_application(owner=owner_a, attested=False)
    Application.objects.filter(pk=application.pk).update(updated_at=WINTER)
    client.force_login(owner_a)
    url = reverse("certification:wizard-step", args=[application.pk, steps.PROFILE])
    text = client.get(url).text
    assert "Last saved" in text
    assert "Dec. 5, 2026, 9:30 a.m. EST" in text


@pytest.mark.django_db
def test_the_dashboard_says_when_a_draft_was_last_saved_with_the_zone(client, owner_a):
    application = draft_application(owner=owner_a, attested=False)
    Application.objects.filter(pk=application.pk).update(updated_at=SUMMER)
    client.force_login(owner_a)
    assert "Last saved July 5, 2026, 10:30 a.m. EDT" in client.get(reverse("dashboard")).text
