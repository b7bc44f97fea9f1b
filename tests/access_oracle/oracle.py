"""What each person should get, written from the program's rules (docs/DESIGN, the Handbook's roles)
and never from `reviews.access`, `participants.access` or the `rules` predicates:

- An organisation's people see its applications, its participant records and its appeals, and
  nothing of any other organisation: another organisation's object is simply not found.
- CBP admins see every application; supervisors every submitted one; a reviewer a submitted one
  assigned to them, or one nobody has that waits for CBP, never one they stepped aside from nor one
  whose organisation they are linked to (a membership, a shared email domain). Appeals officials
  decide appeals: they see appeals and participants, not the review of applications.
- Participants are seen by their people, by admins, supervisors and appeals officials, and by any
  reviewer not linked to them; appeals by the appellant's people, admins, supervisors and appeals
  officials.
- The review's pages are for reviewers and supervisors; to anyone else they do not exist.
- Staff reach nothing but their account pages before they have a second factor.
"""

from tests.access_oracle.world import Persona, Subject, World

# The classes of outcome.
OK = "allowed"  # 2xx; a redirect within the service; 400/409 for a POST whose body is refused
METHOD = "method not allowed"  # 405
REFUSED = "refused"  # 403: only for a person who may see what the page is about
SIGN_IN = "sign-in required"  # 302 to the sign-in page
MFA = "second factor required"  # 302 to the authenticator enrolment
NOT_FOUND = "not found"  # 404
ADMIN_LOGIN = (
    "the admin's sign-in"  # 302 to the admin's login, which turns away all but admin staff
)

WAITING = {"submitted", "in_review", "info_requested", "recommended"}
UNDECIDED = WAITING | {"draft"}
STAFF = {"reviewer", "supervisor", "appeals", "admin"}


def member_of(p: Persona, organisation_id: int | None) -> bool:
    return p.kind in {"owner", "member"} and p.organisation_id == organisation_id


def linked(world: World, p: Persona, organisation_id: int | None) -> bool:
    """A link between a reviewer and an organisation: theirs, or a shared email domain."""
    if p.user is None or organisation_id is None:
        return False
    emails = world.member_emails.get(organisation_id, set())
    domain = p.user.email.rsplit("@", 1)[1]
    return p.user.email in emails or any(e.endswith("@" + domain) for e in emails)


def application_of(s: Subject | None):
    return None if s is None or s.missing else s.application


def staff_sees(world: World, p: Persona, application) -> bool:
    if application is None or p.kind not in STAFF:
        return False
    if p.kind == "admin":
        return True
    if application.status == "draft":
        return False
    if p.kind == "supervisor":
        return True
    if p.kind != "reviewer" or p.user.pk in world.recused.get(application.pk, set()):
        return False
    if linked(world, p, application.organisation_id):
        return False
    if application.assigned_reviewer_id == p.user.pk:
        return True
    return application.assigned_reviewer_id is None and application.status in WAITING


def sees_application(world: World, p: Persona, s: Subject | None) -> bool:
    application = application_of(s)
    if application is None:
        return False
    return member_of(p, application.organisation_id) or staff_sees(world, p, application)


def works_queue(p: Persona) -> bool:
    return p.kind in {"reviewer", "supervisor"}


def in_queue(world: World, p: Persona, s: Subject | None) -> bool:
    application = application_of(s)
    return (
        works_queue(p)
        and application is not None
        and application.status in WAITING
        and staff_sees(world, p, application)
    )


def works_on(world: World, p: Persona, s: Subject | None) -> bool:
    """May open the application's workspace: its supervisor, or the reviewer it is assigned to."""
    application = application_of(s)
    return in_queue(world, p, s) and (
        p.kind == "supervisor" or application.assigned_reviewer_id == p.user.pk
    )


def sees_participant(world: World, p: Persona, s: Subject | None) -> bool:
    if s is None or s.missing:
        return False
    if member_of(p, s.organisation_id) or p.kind in {"admin", "supervisor", "appeals"}:
        return True
    return p.kind == "reviewer" and not linked(world, p, s.organisation_id)


def sees_appeal(world: World, p: Persona, s: Subject | None) -> bool:
    if s is None or s.missing:
        return False
    return member_of(p, s.organisation_id) or p.kind in {"admin", "supervisor", "appeals"}


def has_participant(world: World, p: Persona) -> bool:
    return p.organisation_id is not None and p.organisation_id in world.certified
