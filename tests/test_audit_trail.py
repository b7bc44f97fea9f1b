"""The audit trail: what people change in the program's configuration and in people's roles, the
evidence applicants remove, and sign-ins from new devices, each with who did it; CBP admins read it
in the Django admin, where nothing can be changed. The database's own refusals are in
test_audit_grants.py."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Criterion,
    Evidence,
    HandbookEdition,
    LetterKind,
    LetterTemplate,
    WorkloadSettings,
)
from certification.services.handbook import handbook_edition_create_draft
from certification.wizard import steps as wizard
from common.models import SingletonModel
from recordkeepers.models import StaffRole, User
from tests.certification.test_wizard_views import PDF, form_fields, page, step_url
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

AUDIT_LIST = reverse("admin:auditlog_logentry_changelist")


def admin_form(response) -> dict:
    """What a browser sends from an admin change form as the page shows it (no button pressed)."""
    form = next(f for f in page(response).iter("form") if f.get("id", "").endswith("_form"))
    data: dict[str, list[str]] = {}
    for element in form.iter():
        name, tag = element.get("name"), element.tag
        if not name:
            continue
        if tag == "input":
            kind = element.get("type", "text")
            if kind in {"submit", "button", "file"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in element.attrib:
                continue
            data.setdefault(name, []).append(element.get("value", "on"))
        elif tag == "textarea":
            data.setdefault(name, []).append(element.text or "")
        elif tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if "selected" in o.attrib]
            if not chosen and "multiple" not in element.attrib:
                chosen = options[:1]
            data.setdefault(name, []).extend(o.get("value", "") for o in chosen)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def entries_for(obj, action: int, *, after: int = 0) -> list[LogEntry]:
    found = LogEntry.objects.get_for_object(obj).filter(action=action, pk__gt=after)
    return list(found.order_by("pk"))


def last_entry() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def admin_client(as_staff, cbp_admin):
    """A CBP admin signed in with their second factor."""
    return as_staff(cbp_admin)


# --- What is recorded ------------------------------------------------------------------------------
def test_every_settings_row_and_the_admins_records_are_in_the_trail():
    settings_rows = {m for m in apps.get_models() if issubclass(m, SingletonModel)}
    assert {m._meta.label for m in settings_rows} >= {
        "certification.WorkloadSettings",
        "reviews.ScoringSettings",
        "participants.ParticipantSettings",
    }
    recorded = settings_rows | {HandbookEdition, Criterion, LetterTemplate, Evidence, User, Group}
    assert [m._meta.label for m in recorded if not auditlog.contains(m)] == []


def test_changing_a_criterion_records_the_admin_and_the_old_and_new_title(
    admin_client, cbp_admin, handbook_in_force
):
    draft = handbook_edition_create_draft(based_on=handbook_in_force, title="2027 draft")
    url = reverse("admin:certification_handbookedition_change", args=[draft.pk])
    data = admin_form(admin_client.get(url))
    first = next(k for k in data if k.startswith("criteria-") and k.endswith("-id"))
    prefix = first.removesuffix("-id")
    criterion = Criterion.objects.get(pk=data[first])
    old_title = criterion.title

    response = admin_client.post(url, {**data, f"{prefix}-title": "Records kept five years"})

    assert response.status_code == 302
    [entry] = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Criterion),
        action=LogEntry.Action.UPDATE,
    )
    assert entry.object_id == criterion.pk
    assert entry.actor == cbp_admin
    assert entry.changes_dict == {"title": [old_title, "Records kept five years"]}


def test_a_new_letter_template_version_records_the_admin_and_its_text(admin_client, cbp_admin):
    from certification.letters.versions import letter_template_in_use

    v1 = letter_template_in_use(kind=LetterKind.CERTIFICATION)
    body = v1.body + "\n\nA paragraph new in this version."
    response = admin_client.post(
        reverse("admin:certification_lettertemplate_add") + f"?copy_of={v1.pk}",
        {"kind": LetterKind.CERTIFICATION, "subject": v1.subject, "body": body, "_save": "Save"},
    )

    assert response.status_code == 302
    v2 = LetterTemplate.objects.get(kind=LetterKind.CERTIFICATION, version=v1.version + 1)
    [entry] = entries_for(v2, LogEntry.Action.CREATE)
    assert entry.actor == cbp_admin
    assert entry.changes_dict["body"] == ["None", body]
    assert entry.changes_dict["version"] == ["None", str(v1.version + 1)]


def test_changing_a_settings_row_records_the_admin_and_the_changed_value(admin_client, cbp_admin):
    row = WorkloadSettings.current()
    url = reverse("admin:certification_workloadsettings_change", args=[row.pk])
    data = admin_form(admin_client.get(url))
    old = data["appeal_days"]
    new = "61" if old != "61" else "62"

    response = admin_client.post(url, {**data, "appeal_days": new})

    assert response.status_code == 302
    [entry] = entries_for(row, LogEntry.Action.UPDATE)
    assert entry.actor == cbp_admin
    assert entry.changes_dict == {"appeal_days": [old, new]}
    assert entry.remote_addr == "127.0.0.1"


def test_the_address_recorded_is_not_the_one_a_client_writes_in_a_header(admin_client):
    row = WorkloadSettings.current()
    url = reverse("admin:certification_workloadsettings_change", args=[row.pk])
    data = admin_form(admin_client.get(url))
    capacity = str(int(data["reviewer_capacity"]) + 1)

    admin_client.post(
        url, {**data, "reviewer_capacity": capacity}, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    [entry] = entries_for(row, LogEntry.Action.UPDATE)
    assert entry.changes_dict == {"reviewer_capacity": [data["reviewer_capacity"], capacity]}
    assert entry.remote_addr == "127.0.0.1"  # no proxy is trusted (DJANGO_TRUSTED_PROXY_COUNT)


def test_changing_a_persons_groups_and_staff_flag_records_each_change(
    admin_client, cbp_admin, reviewer
):
    supervisor_group = Group.objects.get_or_create(name=StaffRole.SUPERVISOR.value)[0]
    url = reverse("admin:recordkeepers_user_change", args=[reviewer.pk])
    data = admin_form(admin_client.get(url))
    before = last_entry()  # the factory's own adding of the reviewer group is recorded too

    response = admin_client.post(
        url, {**data, "groups": [str(supervisor_group.pk)], "is_staff": "on"}
    )

    assert response.status_code == 302
    changes = [
        (e.actor, e.changes_dict)
        for e in entries_for(reviewer, LogEntry.Action.UPDATE, after=before)
    ]
    assert changes == [
        (cbp_admin, {"is_staff": ["False", "True"]}),
        (cbp_admin, {"groups": {"type": "m2m", "operation": "delete", "objects": ["reviewer"]}}),
        (cbp_admin, {"groups": {"type": "m2m", "operation": "add", "objects": ["supervisor"]}}),
    ]


def test_a_person_added_in_the_admin_is_recorded_without_their_password_hash(
    admin_client, cbp_admin
):
    response = admin_client.post(
        reverse("admin:recordkeepers_user_add"),
        {
            "email": "new.reviewer@cbp.example.gov",
            "full_name": "Nadia New",
            "password1": "Long-Enough-Passphrase-77",
            "password2": "Long-Enough-Passphrase-77",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="new.reviewer@cbp.example.gov")
    [entry] = entries_for(person, LogEntry.Action.CREATE)
    assert entry.actor == cbp_admin
    assert entry.changes_dict["email"] == ["None", "new.reviewer@cbp.example.gov"]
    assert "password" not in entry.changes_dict
    assert person.password not in str(entry.changes) + entry.changes_text


def test_an_applicant_removing_evidence_in_the_wizard_is_the_actor_of_its_entry(
    client, owner_a, django_capture_on_commit_callbacks
):
    draft = draft_application(owner=owner_a, complete=False, attested=False)
    client.force_login(owner_a)
    url = step_url(draft, wizard.RECORDS)
    upload = SimpleUploadedFile("procedures.pdf", PDF, content_type="application/pdf")
    client.post(
        url, {**form_fields(client.get(url), url), "evidence": upload, "action": "continue"}
    )
    evidence = Evidence.objects.get(application=draft)

    data = {**form_fields(client.get(url), url), "remove_evidence": str(evidence.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)

    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    [entry] = entries_for(evidence, LogEntry.Action.DELETE)
    assert entry.actor == owner_a
    assert entry.object_repr == "procedures.pdf"
    assert entry.changes_dict["sha256"][0] == evidence.sha256


# --- Who reads it --------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["reviewer", "supervisor", "owner_a"])
def test_only_cbp_admins_open_the_audit_trail(request, client, enrol_totp, persona):
    person = request.getfixturevalue(persona)
    if persona != "owner_a":
        enrol_totp(person)
    client.force_login(person)

    response = client.get(AUDIT_LIST)

    # As for every admin page: the admin's sign-in, which refuses a person it will not let in.
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_staff_flag_without_the_admin_role_does_not_open_it(client, supervisor, enrol_totp):
    supervisor.is_staff = True
    supervisor.save()
    enrol_totp(supervisor)
    client.force_login(supervisor)
    assert client.get(AUDIT_LIST).status_code == 403


def test_cbp_admins_and_superusers_read_it(admin_client, as_staff):
    WorkloadSettings.current()
    assert admin_client.get(AUDIT_LIST).status_code == 200
    root = User.objects.create_superuser(email="root@cbp.example.gov", password="x")
    response = as_staff(root).get(AUDIT_LIST)
    assert response.status_code == 200
    assert "Workload settings" in response.text


def test_the_list_filters_by_action_resource_type_actor_and_date(admin_client, cbp_admin, owner_a):
    row = WorkloadSettings.current()
    admin_client.post(
        reverse("admin:certification_workloadsettings_change", args=[row.pk]),
        {
            **admin_form(
                admin_client.get(
                    reverse("admin:certification_workloadsettings_change", args=[row.pk])
                )
            ),
            "reviewer_capacity": str(row.reviewer_capacity + 1),
        },
    )
    by_admin = LogEntry.objects.get(actor=cbp_admin)
    criterion = Criterion.objects.first()
    old = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Criterion),
        object_pk=str(criterion.pk),
        object_id=criterion.pk,
        object_repr=str(criterion),
        action=LogEntry.Action.DELETE,
        actor=owner_a,
        timestamp=timezone.now() - timedelta(days=40),
    )

    def listed(query: str) -> set[int]:
        response = admin_client.get(f"{AUDIT_LIST}?{query}")
        assert response.status_code == 200
        return {entry.pk for entry in response.context["cl"].result_list}

    settings_type = ContentType.objects.get_for_model(WorkloadSettings).pk
    criterion_type = ContentType.objects.get_for_model(Criterion).pk
    assert {by_admin.pk, old.pk} <= listed("")
    assert listed(f"action__exact={LogEntry.Action.DELETE}") == {old.pk}
    assert by_admin.pk in listed(f"resource_type={settings_type}")
    assert old.pk not in listed(f"resource_type={settings_type}")
    assert listed(f"resource_type={criterion_type}") == {old.pk}
    assert listed(f"actor__id__exact={cbp_admin.pk}") == {by_admin.pk}
    assert listed(f"actor__id__exact={owner_a.pk}") == {old.pk}
    changelist = admin_client.get(AUDIT_LIST).context["cl"]
    dates = next(spec for spec in changelist.filter_specs if spec.title == "timestamp")
    past_week = next(c for c in dates.choices(changelist) if c["display"] == "Past 7 days")
    assert by_admin.pk in listed(past_week["query_string"].lstrip("?"))
    assert old.pk not in listed(past_week["query_string"].lstrip("?"))

    shown = " ".join(page(admin_client.get(AUDIT_LIST)).itertext())
    for title in ("By action", "By resource type", "By actor", "By timestamp"):
        assert title in shown


def test_no_entry_can_be_added_changed_or_deleted_through_the_admin(admin_client):
    row = WorkloadSettings.current()
    row.appeal_days += 1
    row.save()
    entry = LogEntry.objects.get_for_object(row).latest("timestamp")
    before = LogEntry.objects.filter(pk=entry.pk).values().get()
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])

    added = admin_client.post(reverse("admin:auditlog_logentry_add"), {"action": "0"})
    changed = admin_client.post(change, {"object_repr": "rewritten", "action": "2"})
    deleted = admin_client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = admin_client.post(
        AUDIT_LIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    shown = admin_client.get(change)

    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert bulk.status_code == 200  # the list again: there is no such action
    assert "delete_selected" not in admin_client.get(AUDIT_LIST).text
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.text
    assert LogEntry.objects.filter(pk=entry.pk).values().get() == before


def test_a_person_named_as_an_actor_cannot_be_deleted_in_the_admin(
    admin_client, cbp_admin, enrol_totp
):
    from django.test import Client

    row = WorkloadSettings.current()
    url = reverse("admin:certification_workloadsettings_change", args=[row.pk])
    data = admin_form(admin_client.get(url))
    admin_client.post(url, {**data, "appeal_days": str(int(data["appeal_days"]) + 1)})
    # A superuser: a CBP admin lacks the right to delete the allauth rows every account has.
    root = User.objects.create_superuser(email="root@cbp.example.gov", password="x")
    enrol_totp(root)
    superuser = Client()
    superuser.force_login(root)
    delete = reverse("admin:recordkeepers_user_delete", args=[cbp_admin.pk])

    confirm = superuser.get(delete)
    superuser.post(delete, {"post": "yes"})

    assert "named as the actor of 1 audit trail entries" in confirm.text
    assert User.objects.filter(pk=cbp_admin.pk).exists()
