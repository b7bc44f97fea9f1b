"""The expectations table: every URL pattern of the project, by name (or by route, for the admin's
unnamed redirects), with who may use it. A pattern missing from here fails the suite, so a new route
cannot be added without saying who may use it.

Each entry says which object its URL arguments name (`subject`), which methods the view takes, whether
it needs a signed-in person, and the rule: the outcome for a persona, an object and a method, once
the second factor, the sign-in and the method have been asked for (`expected` below).
"""

from participants.models import Removal
from tests.access_oracle import oracle as o
from tests.access_oracle.accounts_and_admin import ACCOUNT_ROUTES, ADMIN_ROUTES
from tests.access_oracle.oracle import NOT_FOUND, OK, REFUSED
from tests.access_oracle.routes import GET, POST, Route, everyone, when


def staff(w, p, s) -> bool:
    return p.kind in o.STAFF


def queue_staff(w, p, s) -> bool:
    return o.works_queue(p)


def member(w, p, s) -> bool:
    return p.kind in {"owner", "member"}


def own(w, p, s) -> bool:
    return s is not None and not s.missing and o.member_of(p, s.organisation_id)


def applicant_sees(w, p, s) -> bool:
    return o.sees_application(w, p, s)


def status(s) -> str:
    return o.application_of(s).status


def letter_download(w, p, s, m) -> str:
    # A letter is there to download once it is ready.
    ready = s is not None and not s.missing and s.obj.status == "ready"
    return OK if ready and o.sees_application(w, p, s) else NOT_FOUND


def withdraw(w, p, s, m) -> str:
    # Its people withdraw an application until it is decided; who else sees it may not.
    if not o.sees_application(w, p, s):
        return NOT_FOUND
    return OK if own(w, p, s) and status(s) in o.UNDECIDED else REFUSED


def answer_questions(w, p, s, m) -> str:
    if not o.sees_application(w, p, s):
        return NOT_FOUND
    return OK if own(w, p, s) and status(s) == "info_requested" else REFUSED


def wizard_step(w, p, s, m) -> str:
    # Past its draft an application has no steps: its page. Only its people edit a draft.
    if not o.sees_application(w, p, s):
        return NOT_FOUND
    return OK if status(s) != "draft" or own(w, p, s) else REFUSED


def replace_evidence(w, p, s, m) -> str:
    return OK if own(w, p, s) and status(s) == "draft" else NOT_FOUND


def claim(w, p, s, m) -> str:
    if not o.works_queue(p):
        return NOT_FOUND
    if not o.in_queue(w, p, s):
        return NOT_FOUND
    unassigned = o.application_of(s).assigned_reviewer_id is None
    return OK if p.kind == "reviewer" and unassigned else REFUSED


def assign(w, p, s, m) -> str:
    if not o.works_queue(p):
        return NOT_FOUND
    if p.kind != "supervisor":
        return REFUSED
    return OK if o.in_queue(w, p, s) else NOT_FOUND


def bulk_assign(w, p, s, m) -> str:
    if not o.works_queue(p):
        return NOT_FOUND
    return OK if p.kind == "supervisor" else REFUSED


def is_assigned(p, s) -> bool:
    return o.application_of(s).assigned_reviewer_id == p.user.pk


def acknowledge_answers(w, p, s, m) -> str:
    return OK if o.works_on(w, p, s) and is_assigned(p, s) else NOT_FOUND


def scoring(w, p, s, m) -> str:
    # Scores and the compliance finding are the assigned reviewer's, while the review is open.
    if not o.works_on(w, p, s):
        return NOT_FOUND
    return OK if is_assigned(p, s) and status(s) == "in_review" else REFUSED


def manage_members(w, p, s, m) -> str:
    # An organisation's owners manage its people; its other members see them.
    if not own(w, p, s):
        return NOT_FOUND
    return OK if p.kind == "owner" else REFUSED


def score_totals(w, p, s, m) -> str:
    if not o.works_on(w, p, s):
        return NOT_FOUND
    may_score = is_assigned(p, s) and status(s) == "in_review"
    return OK if may_score else REFUSED


def sign_off(w, p, s, m) -> str:
    if p.kind != "supervisor" or not o.in_queue(w, p, s):
        return NOT_FOUND
    return OK if status(s) == "recommended" else NOT_FOUND


def sign_off_preview(w, p, s, m) -> str:
    if sign_off(w, p, s, m) != OK:
        return NOT_FOUND
    recommendation = o.application_of(s).recommendations.order_by("-pk").first()
    return OK if recommendation.reviewer_id != p.user.pk else NOT_FOUND


def record(w, p, s, m) -> str:
    return OK if o.works_queue(p) and o.staff_sees(w, p, o.application_of(s)) else NOT_FOUND


def my_certification(w, p, s, m) -> str:
    if p.kind in o.STAFF:
        return OK  # sent on to the register
    return OK if o.has_participant(w, p) else NOT_FOUND


def report_new(w, p, s, m) -> str:
    return OK if member(w, p, s) and o.has_participant(w, p) else NOT_FOUND


def staff_participant(w, p, s, m) -> str:
    return OK if p.kind in o.STAFF and o.sees_participant(w, p, s) else NOT_FOUND


def participant_record(w, p, s, m) -> str:
    """A report or a notice: the participant's people and the staff who see the participant."""
    return OK if o.sees_participant(w, p, s) else NOT_FOUND


def appeals_page(w, p, s, m) -> str:
    return OK if p.kind in {"appeals", "supervisor"} else NOT_FOUND


def appeal_new(w, p, s, m) -> str:
    # Only the organisation appeals, and only a denial or a removal within its window, once.
    application = o.application_of(s)
    if not own(w, p, s):
        return NOT_FOUND
    open_to_appeal = application.status == "denied" and not application.appeals.exists()
    open_to_appeal |= Removal.objects.filter(
        participant__application=application,
        status__in=["issued", "effective"],
        appeal__isnull=True,
    ).exists()
    return OK if open_to_appeal else NOT_FOUND


def members_page(w, p, s, m) -> str:
    if not member(w, p, s):
        return NOT_FOUND
    return OK if m == "GET" or p.kind == "owner" else REFUSED


def invitation_accept(w, p, s, m) -> str:
    if s.missing:
        return NOT_FOUND
    # The invitee has no account yet: a signed-in person is the wrong account.
    return OK if not p.signed_in else REFUSED


def notification(w, p, s, m) -> str:
    mine = s is not None and not s.missing and s.obj.recipient_id == getattr(p.user, "pk", None)
    return OK if mine else NOT_FOUND


def reads_reports(w, p, s) -> bool:
    # The program's figures and exports are for supervisors and administrators.
    return p.kind in {"supervisor", "admin"}


def own_export(w, p, s, m) -> str:
    mine = s is not None and not s.missing and s.obj.requested_by_id == getattr(p.user, "pk", None)
    return OK if mine and reads_reports(w, p, s) else NOT_FOUND


def not_for_staff(w, p, s, m) -> str:
    # An importer's organisation is registered by its own people, never by CBP's staff.
    return REFUSED if p.kind in o.STAFF else OK


def staff_only(w, p, s, m) -> str:
    return OK if p.kind in o.STAFF else NOT_FOUND


SUBJECTLESS_APP_ROUTES = {
    "home": Route(everyone, login=False),
    "dashboard": Route(everyone),
    "healthz": Route(everyone, login=False, methods=GET),
    "privacy-act-statement": Route(everyone, login=False),
    "paperwork-reduction-act-statement": Route(everyone, login=False),
    "certification:application-start": Route(when(member), methods=POST),
    "notifications:list": Route(everyone, methods=GET),
    "notifications:mark-all-read": Route(everyone, methods=POST),
    "notifications:email-choices": Route(staff_only),
    "reviews:dashboard": Route(staff_only),
    "reviews:queue": Route(when(queue_staff)),
    "reviews:bulk-assign": Route(bulk_assign, methods=POST),
    "participants:certification": Route(my_certification),
    "participants:report-new": Route(report_new),
    "participants:register": Route(staff_only),
    "participants:appeals": Route(appeals_page),
    # Anyone signed in without an organisation may register one; who has one is sent home.
    "recordkeepers:organisation-create": Route(not_for_staff),
    "recordkeepers:members": Route(members_page),
}

APPLICATION_ROUTES = {
    "certification:evidence-download": Route(when(applicant_sees), "evidence", GET),
    "certification:letter-download": Route(letter_download, "letter", GET),
    "certification:application-detail": Route(when(applicant_sees), "application-key"),
    "certification:application-continue": Route(when(applicant_sees), "application-key"),
    "certification:application-withdraw": Route(withdraw, "application-key"),
    "certification:information-request-answer": Route(answer_questions, "application-key"),
    "certification:evidence-replace": Route(replace_evidence, "application-evidence"),
    "certification:wizard-step": Route(
        wizard_step, "application-key", extra={"slug": "organization"}
    ),
    "reporting:dashboard": Route(when(reads_reports), None, GET),
    "reporting:export-request": Route(when(reads_reports), None, POST),
    "reporting:export-queue": Route(when(reads_reports), None, POST),
    "reporting:export": Route(own_export, "export", GET),
    "reporting:export-download": Route(own_export, "export", GET),
    "notifications:detail": Route(notification, "notification", GET),
    "notifications:mark-read": Route(notification, "notification", POST),
    "reviews:claim": Route(claim, "application"),
    "reviews:assign": Route(assign, "application"),
    "reviews:recuse": Route(when(lambda w, p, s: o.in_queue(w, p, s)), "application"),
    "reviews:workspace": Route(when(o.works_on), "application"),
    "reviews:record": Route(record, "application", GET),
    "reviews:declare": Route(when(o.works_on), "application", POST),
    "reviews:importer-numbers": Route(when(o.works_on), "application", POST),
    "reviews:acknowledge-answers": Route(acknowledge_answers, "application", POST),
    "reviews:save-scores": Route(scoring, "application", POST),
    "reviews:score-totals": Route(
        score_totals, "application", POST, extra={"demonstration": "iii"}
    ),
    "reviews:record-finding": Route(scoring, "application", POST),
    "reviews:recommend": Route(when(o.works_on), "application", POST),
    "reviews:request-information": Route(when(o.works_on), "application"),
    "reviews:sign-off": Route(sign_off, "application"),
    "reviews:sign-off-preview": Route(sign_off_preview, "application", GET),
    "reviews:letter-retry": Route(lambda w, p, s, m: record(w, p, s, m), "letter", POST),
    "participants:report": Route(participant_record, "report"),
    "participants:report-acknowledge": Route(participant_record, "report", POST),
    "participants:report-request-action": Route(participant_record, "report", POST),
    "participants:report-respond": Route(participant_record, "report", POST),
    "participants:report-close": Route(participant_record, "report", POST),
    "participants:participant": Route(staff_participant, "participant"),
    "participants:notice-new": Route(staff_participant, "participant"),
    "participants:removal-new": Route(staff_participant, "participant"),
    "participants:removal": Route(staff_participant, "removal"),
    "participants:appeal-new": Route(appeal_new, "application"),
    "participants:appeal": Route(when(o.sees_appeal), "appeal"),
    "participants:appeal-decide": Route(when(o.sees_appeal), "appeal", POST),
    "participants:appeal-delay": Route(when(o.sees_appeal), "appeal", POST),
    "participants:appeal-file": Route(when(o.sees_appeal), "appeal-file", GET),
    "participants:notice": Route(participant_record, "notice"),
    "participants:notice-answer": Route(participant_record, "notice", POST),
    "participants:notice-close": Route(participant_record, "notice", POST),
    "recordkeepers:member-remove": Route(manage_members, "membership", POST),
    "recordkeepers:invitation-withdraw": Route(manage_members, "invitation", POST),
    "recordkeepers:invitation-accept": Route(invitation_accept, "invitation-token", login=False),
}


TABLE: dict[str, Route] = {
    **SUBJECTLESS_APP_ROUTES,
    **APPLICATION_ROUTES,
    **ACCOUNT_ROUTES,
    **ADMIN_ROUTES,
}
