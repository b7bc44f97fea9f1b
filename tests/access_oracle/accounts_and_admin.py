"""The expectations for the routes we do not write: allauth's account and second-factor pages, and
the Django admin's, model by model. Part of the table in `expectations.py`."""

from tests.access_oracle.oracle import ADMIN_LOGIN, METHOD, NOT_FOUND, OK, REFUSED, SIGN_IN
from tests.access_oracle.routes import GET, Route, Rule, everyone, when


def admin_login(w, p, s, m) -> str:
    """The admin signs people in through allauth (second factor included), and turns away anyone
    signed in who is not admin staff."""
    if not p.signed_in:
        return SIGN_IN
    return OK if p.kind == "admin" else REFUSED


def confirm_email(w, p, s, m) -> str:
    # A link that is not (or no longer) valid says so on GET; there is nothing to confirm by POST.
    return OK if m == "GET" else NOT_FOUND


def signed_in_only(w, p, s, m) -> str:
    return OK


ACCOUNT_ROUTES = {
    "account_login": Route(everyone, login=False),
    "account_logout": Route(everyone, login=False),
    "account_inactive": Route(everyone, login=False, methods=GET),
    "account_signup": Route(everyone, login=False),
    "account_reauthenticate": Route(signed_in_only),
    "account_request_reauthentication_code": Route(signed_in_only),
    "account_confirm_reauthentication_code": Route(signed_in_only),
    "account_email": Route(signed_in_only),
    "account_email_verification_sent": Route(everyone, login=False, methods=GET),
    "account_change_password": Route(signed_in_only),
    "account_set_password": Route(signed_in_only),
    "account_reset_password": Route(everyone, login=False),
    # Only within a sign-in that sent a code; otherwise back to the sign-in.
    "account_confirm_login_code": Route(signed_in_only),
    "account_confirm_email": Route(confirm_email, "email-key", login=False),
    "account_reset_password_from_key_done": Route(everyone, login=False, methods=GET),
    "account_reset_password_from_key": Route(everyone, "reset-key", login=False),
    "account_reset_password_done": Route(everyone, login=False, methods=GET),
    "mfa_index": Route(signed_in_only, methods=GET),
    # Only within a sign-in that asks for the second factor; otherwise back to the sign-in.
    "mfa_authenticate": Route(signed_in_only),
    "mfa_reauthenticate": Route(signed_in_only),
    "mfa_activate_totp": Route(signed_in_only),
    "mfa_deactivate_totp": Route(when(lambda w, p, s: p.user.pk in w.with_totp)),
    "mfa_view_recovery_codes": Route(
        when(lambda w, p, s: p.user.pk in w.with_recovery_codes), methods=GET
    ),
    "mfa_generate_recovery_codes": Route(signed_in_only),
    "mfa_download_recovery_codes": Route(when(lambda w, p, s: p.user.pk in w.with_recovery_codes)),
}


def admin_only(w, p, s, m) -> str:
    return OK if p.kind == "admin" else ADMIN_LOGIN


# What the admin keeps as a record: never deleted (the audit log, applications and their letters,
# a letter template's versions, the settings rows, a published Handbook edition) and never edited
# there (applications move only through the workflow; letters, templates, published editions and
# thresholds are snapshots or versioned).
NEVER_DELETED = {
    "auditlog_logentry",
    "certification_application",
    "certification_letter",
    "certification_lettertemplate",
    "certification_workloadsettings",
    "reviews_scoringsettings",
    "participants_participantsettings",
    "reviews_reviewthresholds",
}
# Made only by the service (the workflow, the letters) or kept as one row of settings.
NEVER_ADDED = {
    "auditlog_logentry",
    "certification_application",
    "certification_letter",
    "certification_workloadsettings",
    "reviews_scoringsettings",
    "participants_participantsettings",
    "reviews_reviewthresholds",
}
NEVER_EDITED = {
    "auditlog_logentry",
    "certification_application",
    "certification_letter",
    "certification_lettertemplate",
    "certification_handbookedition",
    "reviews_reviewthresholds",
}


def admin_view(model: str, view: str) -> Rule:
    def rule(w, p, s, m) -> str:
        if p.kind != "admin":
            return ADMIN_LOGIN
        if view == "delete":
            # The one edition in the demo is published: kept, as the rest of NEVER_DELETED.
            published = model == "certification_handbookedition" and not s.missing
            if model in NEVER_DELETED or published:
                return REFUSED
        if view == "change" and m == "POST" and model in NEVER_EDITED and not s.missing:
            return REFUSED
        # The admin answers for an id it does not hold by going back to its index with a message.
        return OK

    return rule


def admin_add(model: str) -> Rule:
    def rule(w, p, s, m) -> str:
        if p.kind != "admin":
            return ADMIN_LOGIN
        return REFUSED if model in NEVER_ADDED else OK

    return rule


def admin_get_only(found: bool = False) -> Rule:
    """An admin page read by GET alone: the admin's sign-in comes before the method."""

    def rule(w, p, s, m) -> str:
        if p.kind != "admin":
            return ADMIN_LOGIN
        if m != "GET":
            return METHOD
        return admin_found(w, p, s, m) if found else OK

    return rule


def admin_logout(w, p, s, m) -> str:
    # Signing out is a POST; anyone not in the admin is sent on.
    if p.kind == "admin" and m == "GET":
        return METHOD
    return OK


def admin_autocomplete(w, p, s, m) -> str:
    # Read by GET; without a field to complete, the admin refuses the request.
    if p.kind != "admin":
        return ADMIN_LOGIN
    return REFUSED if m == "GET" else METHOD


def admin_not_found(w, p, s, m) -> str:
    return NOT_FOUND if p.kind == "admin" else ADMIN_LOGIN


def admin_found(w, p, s, m) -> str:
    if p.kind != "admin":
        return ADMIN_LOGIN
    return NOT_FOUND if s is None or s.missing else OK


# The models the Django admin offers. A model registered there and not listed here leaves its
# routes without an entry, and the suite fails.
ADMIN_MODELS = [
    "auth_group",
    "account_emailaddress",
    "mfa_authenticator",
    "recordkeepers_user",
    "recordkeepers_organisation",
    "recordkeepers_invitation",
    "certification_application",
    "certification_workloadsettings",
    "certification_handbookedition",
    "certification_lettertemplate",
    "certification_letter",
    "reviews_scoringsettings",
    "participants_participantsettings",
    "reviews_reviewthresholds",
    "auditlog_logentry",
]
ADMIN_ROUTES = {
    "admin:index": Route(admin_only, admin=True),
    "admin:login": Route(admin_login, login=False),
    "admin:logout": Route(admin_logout, login=False),
    "admin:password_change": Route(admin_only, admin=True),
    "admin:password_change_done": Route(admin_get_only(), admin=True),
    "admin:autocomplete": Route(admin_autocomplete, admin=True),
    "admin:jsi18n": Route(admin_get_only(), admin=True),
    # An application has no page outside the admin to send its staff to.
    "admin:view_on_site": Route(admin_not_found, "admin:view_on_site", admin=True),
    "admin:app_list": Route(admin_only, admin=True, extra={"app_label": "certification"}),
    # Past every pattern: the admin's own "no such page", for its staff only.
    "admin/(?P<url>.*)$": Route(admin_found, "admin:nowhere", admin=True),
    "admin:auth_user_password_change": Route(admin_found, "admin:recordkeepers_user", admin=True),
    "admin:certification_handbookedition_preview": Route(
        admin_get_only(found=True), "admin:certification_handbookedition", admin=True
    ),
    "admin:certification_lettertemplate_preview": Route(
        admin_get_only(found=True), "admin:certification_lettertemplate", admin=True
    ),
}
for _model in ADMIN_MODELS:
    _app, _, _name = _model.partition("_")
    ADMIN_ROUTES[f"admin:{_model}_changelist"] = Route(admin_only, admin=True)
    ADMIN_ROUTES[f"admin:{_model}_add"] = Route(admin_add(_model), admin=True)
    for _view in ("history", "delete", "change"):
        ADMIN_ROUTES[f"admin:{_model}_{_view}"] = Route(
            admin_view(_model, _view), f"admin:{_model}", admin=True
        )
    # The old address of an object's page, sent on to its change page.
    ADMIN_ROUTES[f"admin/{_app}/{_name}/<path:object_id>/"] = Route(
        admin_only, f"admin:{_model}", admin=True
    )
