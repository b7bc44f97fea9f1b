"""The oracle's data and personas, built once for the package: the demo (every application state, and
the records that follow certification) and, for each of its organisations, the people who stand in
relation to it.

A person belongs to at most one organisation, and an organisation has at most one application in
flight, so "organisation A" is each demo organisation in turn: for an object of organisation O, the
owner of A is O's owner, the member of A is O's member, the owner of B is the owner of the next
organisation, and the conflicted reviewer is a reviewer whose email shares O's domain. Staff
personas are the same people for every object.

Every fact the oracle reads about an object (its organisation, status, reviewer, recusals, the
emails of its organisation's people) is read here from the rows, not from the access modules.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from certification.models import Application, Evidence, Letter, Notification
from participants.models import (
    Appeal,
    AppealFile,
    ComplianceReport,
    NoticeOfViolation,
    Participant,
    Removal,
)
from recordkeepers.models import Invitation, Membership, Organisation, StaffRole, User
from tests.factories import MembershipFactory, staff_user

ANONYMOUS = "anonymous"
OWNER_A = "owner of A"
MEMBER_A = "member of A"
OWNER_B = "owner of B"
ASSIGNED = "assigned reviewer"
UNASSIGNED = "unassigned reviewer"
CONFLICTED = "conflicted reviewer"
SUPERVISOR = "supervisor"
APPEALS = "appeals official"
ADMIN = "admin"
NO_SECOND_FACTOR = "admin without a second factor"
PERSONAS = [
    ANONYMOUS,
    OWNER_A,
    MEMBER_A,
    OWNER_B,
    ASSIGNED,
    UNASSIGNED,
    CONFLICTED,
    SUPERVISOR,
    APPEALS,
    ADMIN,
    NO_SECOND_FACTOR,
]
RECORDKEEPER_ROLES = {OWNER_A: "owner", MEMBER_A: "member", OWNER_B: "owner"}
STAFF_ROLES = {
    ASSIGNED: "reviewer",
    UNASSIGNED: "reviewer",
    CONFLICTED: "reviewer",
    SUPERVISOR: "supervisor",
    APPEALS: "appeals",
    ADMIN: "admin",
    NO_SECOND_FACTOR: "admin",
}
MISSING_PK = 987_654_321


@dataclass(frozen=True)
class Persona:
    label: str
    kind: str  # anonymous, owner, member, reviewer, supervisor, appeals, admin
    user: User | None = None
    organisation_id: int | None = None
    second_factor: bool = True
    session_key: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    @property
    def staff(self) -> bool:
        return self.kind in {"reviewer", "supervisor", "appeals", "admin"}


@dataclass(frozen=True)
class Subject:
    """One object a route is asked about, with the facts the oracle needs."""

    label: str
    kind: str
    kwargs: dict
    organisation_id: int | None = None
    obj: object = None
    application: Application | None = None
    missing: bool = False


@dataclass
class World:
    organisations: list[Organisation]
    personas: dict[tuple[str, int | None], Persona]  # (label, organisation of A) -> persona
    subjects: dict[str, list[Subject]] = field(default_factory=dict)
    # Facts about applications, by pk, read from the rows.
    member_emails: dict[int, set[str]] = field(default_factory=dict)
    recused: dict[int, set[int]] = field(default_factory=dict)
    certified: set[int] = field(default_factory=set)  # organisations on the register
    with_totp: set[int] = field(default_factory=set)  # people with an authenticator app
    with_recovery_codes: set[int] = field(default_factory=set)

    def persona(self, label: str, organisation_id: int | None) -> Persona:
        if label in RECORDKEEPER_ROLES or label == CONFLICTED:
            return self.personas[(label, organisation_id)]
        return self.personas[(label, None)]

    @property
    def home(self) -> Organisation:
        """The organisation A for routes that take no object: the certified one."""
        return next(o for o in self.organisations if o.pk in self.certified)


def _session(user: User) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "allauth.account.auth_backends.AuthenticationBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[1]


def build_world() -> World:
    with override_settings(DEBUG=True), TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo_participants", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organisations = list(
        Organisation.objects.filter(applications__isnull=False).distinct().order_by("pk")
    )
    staff = {
        ASSIGNED: User.objects.get(email="reviewer@cbp.example.gov"),
        UNASSIGNED: staff_user(StaffRole.REVIEWER, email="new-reviewer@cbp.example.gov"),
        SUPERVISOR: User.objects.get(email="supervisor@cbp.example.gov"),
        APPEALS: User.objects.get(email="appeals@cbp.example.gov"),
        ADMIN: User.objects.get(email="admin@cbp.example.gov"),
        NO_SECOND_FACTOR: staff_user(StaffRole.ADMIN, email="new-admin@cbp.example.gov"),
    }
    for label in (UNASSIGNED,):
        TOTP.activate(staff[label], generate_totp_secret())
    personas: dict[tuple[str, int | None], Persona] = {
        (ANONYMOUS, None): Persona(ANONYMOUS, "anonymous")
    }
    for label, user in staff.items():
        personas[(label, None)] = Persona(
            label,
            STAFF_ROLES[label],
            user,
            second_factor=label != NO_SECOND_FACTOR,
            session_key=_session(user),
        )
    owners = {}
    for organisation in organisations:
        owner = organisation.memberships.filter(role=Membership.Role.OWNER).first().user
        owners[organisation.pk] = owner
        domain = _domain(owner.email)
        member = (
            organisation.memberships.filter(role=Membership.Role.MEMBER).first()
            or MembershipFactory(organisation=organisation, user__email=f"clerk@{domain}")
        ).user
        linked = staff_user(StaffRole.REVIEWER, email=f"audit@{domain}")
        TOTP.activate(linked, generate_totp_secret())
        for label, user in ((OWNER_A, owner), (MEMBER_A, member)):
            personas[(label, organisation.pk)] = Persona(
                label, RECORDKEEPER_ROLES[label], user, organisation.pk, session_key=_session(user)
            )
        personas[(CONFLICTED, organisation.pk)] = Persona(
            CONFLICTED, "reviewer", linked, session_key=_session(linked)
        )
    for index, organisation in enumerate(organisations):
        other = organisations[(index + 1) % len(organisations)]
        owner_b = personas[(OWNER_A, other.pk)]
        personas[(OWNER_B, organisation.pk)] = Persona(
            OWNER_B, "owner", owner_b.user, other.pk, session_key=owner_b.session_key
        )
        # A pending invitation of each organisation, to withdraw or accept.
        invitation = Invitation(
            organisation=organisation,
            email=f"invitee@{_domain(owners[organisation.pk].email)}",
            invited_by=owners[organisation.pk],
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        invitation.token = invitation.set_new_token()
        invitation.save()
        organisation.invitation = invitation
    world = World(organisations, personas)
    _add_files(world)
    _collect_subjects(world)
    add_admin_subjects(world)
    for kind, people in (("totp", world.with_totp), ("recovery_codes", world.with_recovery_codes)):
        people.update(Authenticator.objects.filter(type=kind).values_list("user_id", flat=True))
    return world


def _add_files(world: World) -> None:
    """A file of evidence on each application, and one sent with each appeal, to download."""
    for application in Application.objects.all():
        Evidence.objects.create(
            application=application,
            demonstration="iii",
            file=ContentFile(b"records procedure\n", name="procedure.txt"),
            original_name="procedure.txt",
            content_type="text/plain",
            size=18,
            sha256="0" * 64,
            uploaded_by=application.created_by,
        )
    for appeal in Appeal.objects.all():
        AppealFile.objects.create(
            appeal=appeal,
            file=ContentFile(b"our new procedure\n", name="sop-08.txt"),
            original_name="sop-08.txt",
            content_type="text/plain",
            size=18,
            sha256="0" * 64,
            uploaded_by=appeal.filed_by,
        )


def _collect_subjects(world: World) -> None:
    def add(kind: str, label: str, kwargs: dict, organisation_id: int | None, obj=None) -> None:
        application = obj if isinstance(obj, Application) else getattr(obj, "application", None)
        if application is None and hasattr(obj, "participant"):
            application = obj.participant.application
        world.subjects.setdefault(kind, []).append(
            Subject(label, kind, kwargs, organisation_id, obj, application)
        )

    for organisation in world.organisations:
        emails = set(
            User.objects.filter(membership__organisation=organisation).values_list(
                "email", flat=True
            )
        )
        world.member_emails[organisation.pk] = emails
    applications = Application.objects.select_related("organisation").order_by("pk")
    for application in applications:
        world.recused[application.pk] = set(
            application.recusals.values_list("reviewer_id", flat=True)
        )
        org = application.organisation
        what = f"{org.legal_name}'s application ({application.status})"
        add("application", what, {"pk": application.pk}, org.pk, application)
        add("application-key", what, {"pk": application.url_key}, org.pk, application)
        for evidence in application.evidence.all():
            add("evidence", f"evidence of {what}", {"pk": evidence.pk}, org.pk, evidence)
            add(
                "application-evidence",
                f"evidence of {what}",
                {"pk": application.url_key, "evidence_pk": evidence.pk},
                org.pk,
                evidence,
            )
    for letter in Letter.objects.select_related("application__organisation").order_by("pk"):
        org = letter.application.organisation
        label = f"{org.legal_name}'s {letter.kind} letter ({letter.status})"
        add("letter", label, {"pk": letter.pk}, org.pk, letter)
    for participant in Participant.objects.select_related("organisation", "application"):
        org = participant.organisation
        world.certified.add(org.pk)
        add(
            "participant",
            f"{org.legal_name} ({participant.status})",
            {"pk": participant.pk},
            org.pk,
            participant,
        )
    for model, kind in (
        (ComplianceReport, "report"),
        (NoticeOfViolation, "notice"),
        (Removal, "removal"),
    ):
        for record in model.objects.select_related("participant__organisation"):
            org = record.participant.organisation
            label = f"{org.legal_name}'s {kind} ({record.status})"
            add(kind, label, {"pk": record.pk}, org.pk, record)
    for appeal in Appeal.objects.select_related("application__organisation"):
        org = appeal.application.organisation
        label = f"{org.legal_name}'s {appeal.kind} appeal ({appeal.status})"
        add("appeal", label, {"pk": appeal.pk}, org.pk, appeal)
        for record in appeal.files.all():
            add("appeal-file", f"file of {label}", {"pk": record.pk}, org.pk, appeal)
    for organisation in world.organisations:
        member = world.persona(MEMBER_A, organisation.pk).user
        membership = Membership.objects.get(user=member)
        add(
            "membership",
            f"{organisation.legal_name}'s member",
            {"pk": membership.pk},
            organisation.pk,
            membership,
        )
        invitation = organisation.invitation
        label = f"{organisation.legal_name}'s invitation"
        add("invitation", label, {"pk": invitation.pk}, organisation.pk, invitation)
        add("invitation-token", label, {"token": invitation.token}, organisation.pk, invitation)
    add_exports(add)
    # Messages: one of an owner's, one of a reviewer's.
    for email in ("owner@fairview-medical.example", "reviewer@cbp.example.gov"):
        notification = Notification.objects.filter(recipient__email=email).order_by("pk").first()
        if notification is not None:
            user = notification.recipient
            organisation_id = getattr(getattr(user, "membership", None), "organisation_id", None)
            add(
                "notification",
                f"a message to {email}",
                {"pk": notification.pk},
                organisation_id,
                notification,
            )


def add_exports(add) -> None:
    """An export each of a supervisor and an admin, ready with its file: only its reader opens
    it."""
    from django.core.files.storage import default_storage

    from reporting.models import ExportJob, ExportStatus

    for email in ("supervisor@cbp.example.gov", "admin@cbp.example.gov"):
        user = User.objects.get(email=email)
        name = default_storage.save("exports/oracle.csv", ContentFile(b"Reference\r\n"))
        now = timezone.now()
        job = ExportJob.objects.create(
            requested_by=user,
            dataset="queue",
            format="csv",
            filters={"start": "2026-01-01", "end": "2026-01-31"},
            status=ExportStatus.READY,
            file=name,
            sha256="0" * 64,
            rows_total=0,
            finished_at=now,
            expires_at=now + timedelta(hours=24),
        )
        add("export", f"an export of {email}", {"pk": job.pk}, None, job)


def add_admin_subjects(world: World) -> None:
    """For the Django admin: an object of each model it offers, and made-up keys for allauth's
    links."""
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    for model in admin.site._registry:
        key = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            world.subjects.setdefault(key, []).append(
                Subject(
                    f"a {model._meta.verbose_name}",
                    key,
                    {"object_id": obj.pk, "id": obj.pk, "pk": obj.pk},
                )
            )
    application = Application.objects.order_by("pk").first()
    content_type = ContentType.objects.get_for_model(Application)
    world.subjects["admin:view_on_site"] = [
        Subject(
            "an application",
            "admin:view_on_site",
            {"content_type_id": content_type.pk, "object_id": application.pk},
        )
    ]
    world.subjects["email-key"] = [Subject("a made-up key", "email-key", {"key": "made-up-key"})]
    world.subjects["reset-key"] = [
        Subject("a made-up key", "reset-key", {"uidb36": "1", "key": "made-up-key"})
    ]
    world.subjects["admin:nowhere"] = []


def missing_subject(kind: str, world: World) -> Subject | None:
    """The id of an object that does not exist, in the form the route takes."""
    if kind in {"email-key", "reset-key"}:
        return None
    reference = "RKCP-2026-987654"
    kwargs = {
        "application-key": {"pk": reference},
        "application-evidence": {"pk": reference, "evidence_pk": MISSING_PK},
        "invitation-token": {"token": "no-such-invitation"},
        "admin:view_on_site": {
            "content_type_id": world.subjects["admin:view_on_site"][0].kwargs["content_type_id"],
            "object_id": MISSING_PK,
        },
        "admin:nowhere": {"url": "no-such-page/"},
    }.get(kind, {"pk": MISSING_PK, "object_id": MISSING_PK, "id": MISSING_PK})
    return Subject("an id that does not exist", kind, kwargs, missing=True)
