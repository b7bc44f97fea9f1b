"""System checks for the federal statements (certification/statements.py).

An expired OMB approval is a warning wherever checks run (runserver, migrate, `check`), because
from that day the application may not lawfully be required of anyone (5 CFR 1320.5(b)); missing
numbers are a deployment warning (`check --deploy`), as a development copy has none.
"""

from django.core import checks
from django.utils import timezone

from certification.statements import SORN_NOT_SET, paperwork_statement, privacy_act_sorn


@checks.register()
def omb_approval_current(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    statement = paperwork_statement(today=timezone.localdate())
    if not statement.expired:
        return []
    return [
        checks.Warning(
            f"The OMB approval of the application (control number "
            f"{statement.control_number or 'not set'}) expired on "
            f"{statement.expires_on:%B %-d, %Y}.",
            hint="Set RKCP_OMB_CONTROL_NUMBER and RKCP_OMB_EXPIRATION_DATE to the renewed "
            "approval (docs/operations.md, Federal statements).",
            id="rkcp.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def federal_statements_set(
    app_configs: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    statement = paperwork_statement(today=timezone.localdate())
    missing = []
    if not statement.control_number:
        missing.append("RKCP_OMB_CONTROL_NUMBER")
    if statement.expires_on is None:
        missing.append("RKCP_OMB_EXPIRATION_DATE")
    if privacy_act_sorn() == SORN_NOT_SET:
        missing.append("RKCP_PRIVACY_ACT_SORN")
    if not missing:
        return []
    return [
        checks.Warning(
            f"The application's federal statements are incomplete: {', '.join(missing)} not set.",
            hint="The Paperwork Reduction Act and Privacy Act statements show these to every "
            "applicant (docs/operations.md, Federal statements).",
            id="rkcp.W002",
        )
    ]
