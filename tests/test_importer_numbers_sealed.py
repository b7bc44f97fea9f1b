"""An importer number in Social Security number form is sealed at rest and masked on every page but
the one that opens it for a reviewer (recordkeepers.importer_numbers): through the applicant's
form, the snapshot, the search text, the register, letters, searches and key rotation."""

import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from certification import workflow
from certification.demo import DEMO_SOCIAL_SECURITY_NUMBER, demo_profile, fill_application
from certification.events import EventVerb
from certification.letters import content as letters
from certification.models import Application, Event
from certification.services.drafts import application_attest
from certification.wizard import steps as wizard
from common.sealing import is_sealed_with_newest_key
from participants.models import Participant
from participants.selectors import register
from recordkeepers.forms import BusinessProfileForm
from recordkeepers.models import Organisation
from reviews.selectors import QueueFilters, queue
from reviews.services import review_claim
from tests.certification.test_wizard_views import field_error, form_fields, step_url
from tests.factories import decide

pytestmark = pytest.mark.django_db

SSN = DEMO_SOCIAL_SECURITY_NUMBER  # 536-22-1947
# Every way the number could sit in a row or a page: as written, and as digits only.
IN_CLEAR = (SSN, "536221947", "536 22 1947")
EIN = "27-100000100"


def assert_nowhere(text: str) -> None:
    assert not [form for form in IN_CLEAR if form in text]


def individual_application(owner) -> Application:
    """A draft of an importer with an IRS number and a Social Security number, complete and
    signed, as the wizard leaves it."""
    application = Application.objects.create(
        organisation=owner.membership.organisation, created_by=owner
    )
    profile = {**demo_profile(importer_number=EIN, ports=["2704"]), "importer_numbers": [EIN, SSN]}
    fill_application(application=application, actor=owner, profile=profile)
    application_attest(
        application=application,
        actor=owner,
        signer_name="Owner",
        signer_title="Proprietor",
        expected_version=application.version,
    )
    return application


@pytest.fixture
def certified(owner_a, reviewer, supervisor, handbook_in_force):
    application = individual_application(owner_a)
    return decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, application=application)


@pytest.fixture
def in_review(owner_a, reviewer, handbook_in_force):
    application = individual_application(owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    application.refresh_from_db()
    return application


def every_row_as_text() -> str:
    """Every row of every table in the database, as PostgreSQL writes it out."""
    with connection.cursor() as cursor:
        texts = []
        for table in connection.introspection.table_names(cursor):
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT string_agg(t::text, chr(10)) FROM {name} t")  # noqa: S608 (names)
            texts.append(cursor.fetchone()[0] or "")
    return "\n".join(texts)


def test_the_number_is_in_no_row_of_any_table_in_clear_once_certified(certified):
    application = certified.application
    stored = every_row_as_text()
    assert_nowhere(stored)
    assert "XXX-XX-1947" in stored
    # What is kept opens to the number: sealed, not lost.
    assert application.organisation.importer_numbers_in_full() == [EIN, SSN]
    assert application.profile_snapshot["importer_numbers"] == [EIN, "XXX-XX-1947"]
    assert Participant.objects.get(application=application).importer_numbers == [
        EIN,
        "XXX-XX-1947",
    ]


def test_the_certification_letter_carries_the_masked_number(certified):
    context = letters.decision_context(certified, certified.effective_date)
    assert context["importer_numbers"] == f"{EIN}, XXX-XX-1947"
    assert context["importer_numbers_phrase"] == f"importer numbers {EIN}, XXX-XX-1947"
    assert_nowhere(str(context))


def test_pages_show_the_number_masked(client, certified, owner_a, as_staff, supervisor):
    application = certified.application
    participant = Participant.objects.get(application=application)
    client.force_login(owner_a)
    pages = [client.get(reverse("certification:application-detail", args=[application.pk]))]
    staff = as_staff(supervisor)
    pages += [
        staff.get(reverse("reviews:record", args=[application.pk])),
        staff.get(reverse("participants:register")),
        staff.get(reverse("participants:participant", args=[participant.pk])),
    ]
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "XXX-XX-1947" in response.content.decode(), response.request["PATH_INFO"]
        assert_nowhere(response.content.decode())


def test_the_reviewer_opens_the_whole_numbers_by_post_and_the_look_is_recorded(
    in_review, reviewer, as_staff
):
    staff = as_staff(reviewer)
    workspace = staff.get(reverse("reviews:workspace", args=[in_review.pk]))
    assert workspace.status_code == 200
    assert "XXX-XX-1947" in workspace.content.decode()
    assert_nowhere(workspace.content.decode())
    url = reverse("reviews:importer-numbers", args=[in_review.pk])
    assert f'action="{url}"' in workspace.content.decode()

    assert staff.get(url).status_code == 405  # no link, prefetch or history entry opens them
    shown = staff.post(url)
    assert shown.status_code == 200
    assert f"<bdi>{SSN}</bdi>" in shown.content.decode()
    assert f"<bdi>{EIN}</bdi>" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    (event,) = Event.objects.filter(application=in_review, verb=EventVerb.IMPORTER_NUMBERS_SHOWN)
    assert event.actor == reviewer and not event.applicant_visible


def test_a_supervisor_may_open_them_and_no_one_else(
    in_review, supervisor, other_reviewer, appeals_official, owner_a, as_staff, client
):
    url = reverse("reviews:importer-numbers", args=[in_review.pk])
    assert as_staff(supervisor).post(url).status_code == 200
    for person in (other_reviewer, appeals_official):
        assert as_staff(person).post(url).status_code == 404, person
    client.force_login(owner_a)
    assert client.post(url).status_code == 404
    assert Event.objects.filter(verb=EventVerb.IMPORTER_NUMBERS_SHOWN).count() == 1


def test_the_queue_and_the_register_find_the_whole_number(certified, in_review, supervisor):
    def queue_finds(text):
        return [row.pk for row in queue(user=supervisor, filters=QueueFilters(search=text))]

    # The one in review is in the queue; the certified one is in the register.
    assert queue_finds(SSN) == [in_review.pk]
    assert queue_finds("536 22 1947") == [in_review.pk]
    assert queue_finds("536-22-1948") == []
    found = register(user=supervisor, q=SSN)
    assert [p.application_id for p in found] == [certified.application_id]
    assert list(register(user=supervisor, q="536-22-1948")) == []


def test_the_applicant_sends_the_masked_line_back_and_keeps_the_number(client, owner_a):
    application = individual_application(owner_a)
    client.force_login(owner_a)
    url = step_url(application, wizard.PROFILE)
    shown = form_fields(client.get(url), url)
    assert shown["importer_numbers"] == f"{EIN}\nXXX-XX-1947"

    response = client.post(url, {**shown, "city": "Carson", "action": "continue"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert organisation.city == "Carson"
    assert organisation.importer_numbers_in_full() == [EIN, SSN]


def test_a_masked_line_that_masks_nothing_saved_is_an_error_beside_the_field(client, owner_a):
    application = individual_application(owner_a)
    client.force_login(owner_a)
    url = step_url(application, wizard.PROFILE)
    shown = form_fields(client.get(url), url)
    response = client.post(
        url, {**shown, "importer_numbers": f"{EIN}\nXXX-XX-2000", "action": "continue"}
    )
    assert response.status_code == 400
    assert "no saved number ends in 2000" in field_error(response, "id_importer_numbers")
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert organisation.importer_numbers_in_full() == [EIN, SSN]  # nothing saved is lost


def test_a_number_taken_out_leaves_nothing_sealed(client, owner_a):
    application = individual_application(owner_a)
    client.force_login(owner_a)
    url = step_url(application, wizard.PROFILE)
    shown = form_fields(client.get(url), url)
    response = client.post(url, {**shown, "importer_numbers": EIN, "action": "continue"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert (organisation.importer_numbers, organisation.sealed_importer_numbers) == ([EIN], "")


def test_rows_in_clear_are_sealed_and_a_new_key_reseals_everything(certified, settings, owner_b):
    # Rows written before numbers were sealed: the number in clear everywhere.
    organisation = owner_b.membership.organisation
    Organisation.objects.filter(pk=organisation.pk).update(importer_numbers=[SSN])
    legacy = Application.objects.create(organisation=organisation, created_by=owner_b)
    Application.objects.filter(pk=legacy.pk).update(
        reference="RKCP-2026-999999",
        profile_snapshot={"legal_name": "Legacy", "importer_numbers": [SSN]},
        search_text=f"rkcp-2026-999999 legacy {SSN} 536221947",
    )
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]

    out = io.StringIO()
    call_command("reseal_importer_numbers", "--digests", stdout=out)
    # Both organisations; the certified application and the one written before sealing.
    assert out.getvalue() == "2 organization(s) and 2 application(s) sealed again\n"

    assert_nowhere(every_row_as_text())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can go: nothing needs it
    for owner in (owner_b.membership.organisation, certified.application.organisation):
        owner.refresh_from_db()
        assert is_sealed_with_newest_key(owner.sealed_importer_numbers)
    assert Organisation.objects.get(pk=organisation.pk).importer_numbers_in_full() == [SSN]
    legacy.refresh_from_db()
    assert legacy.profile_snapshot["importer_numbers"] == ["XXX-XX-1947"]
    assert legacy.search_text.startswith("rkcp-2026-999999 legacy ")


def test_the_register_migration_masks_its_copies(certified):
    participant = Participant.objects.get(application=certified.application)
    Participant.objects.filter(pk=participant.pk).update(
        importer_numbers=[EIN, SSN], search_text=f"x {SSN} 536221947"
    )
    migration = importlib.import_module("participants.migrations.0006_importer_numbers_masked")
    migration.mask(apps, None)
    participant.refresh_from_db()
    assert participant.importer_numbers == [EIN, "XXX-XX-1947"]
    assert_nowhere(participant.search_text)


def test_the_admin_form_saves_numbers_masked_and_sealed_and_keeps_a_masked_line(owner_a):
    """The admin saves BusinessProfileForm itself (recordkeepers.admin.OrganisationAdmin)."""
    organisation = individual_application(owner_a).organisation
    organisation.refresh_from_db()
    form = BusinessProfileForm(
        instance=organisation,
        data={
            "legal_name": organisation.legal_name,
            "importer_numbers": "XXX-XX-1947\n95-234567800",
        },
        fields=("legal_name", "importer_numbers"),
    )
    assert form.is_valid(), form.errors
    form.save()
    organisation.refresh_from_db()
    assert organisation.importer_numbers == ["XXX-XX-1947", "95-234567800"]
    assert organisation.importer_numbers_in_full() == [SSN, "95-234567800"]
