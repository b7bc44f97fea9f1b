"""What the federal statement includes (templates/includes/) need: the settings, read once a page."""

from django import template
from django.utils import timezone

from certification.statements import FALSE_STATEMENTS_WARNING, paperwork_statement, privacy_act_sorn
from recordkeepers.rules import is_cbp_admin

register = template.Library()


@register.simple_tag(takes_context=True)
def federal_statements(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    pra = paperwork_statement(today=timezone.localdate())
    return {
        "pra": pra,
        "sorn": privacy_act_sorn(),
        "false_statements_warning": FALSE_STATEMENTS_WARNING,
        # Applicants are told the dates as they stand; an admin is told what to do about them.
        "warn_staff": pra.expired
        and user is not None
        and user.is_authenticated
        and is_cbp_admin(user),
    }
