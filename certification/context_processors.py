from functools import cache

from django.conf import settings

from certification.notifications.selectors import unread_notification_count
from common.middleware import session_seconds_left
from recordkeepers.rules import (
    is_appeals_official,
    is_cbp_admin,
    is_cbp_staff,
    is_reviewer,
    is_supervisor,
)
from recordkeepers.selectors import membership_for_user


def navigation(request) -> dict:
    """What the header needs to show the navigation for this person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_role": "anonymous",
            "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        }
    staff = is_cbp_staff(user)
    context = {
        "nav_role": "staff" if staff else "recordkeeper",
        "nav_is_admin": is_cbp_admin(user),
        "nav_reviews": staff and (is_reviewer(user) or is_supervisor(user)),
        "nav_appeals": staff and (is_appeals_official(user) or is_supervisor(user)),
        # The program's figures and exports (reporting.rules.sees_reports).
        "nav_reports": staff and (is_supervisor(user) or is_cbp_admin(user)),
        "nav_membership": None if staff else membership_for_user(user=user),
        # What is left of the session, which the page counts down from (common.middleware).
        "session_idle_seconds": session_seconds_left(request),
    }
    # Everyone signed in has messages: applicants about their applications, staff about their work.
    # A callable: templates call it only where they show it (a page without the header, or an
    # htmx fragment, never counts), and the cache keeps it to one query however often it is shown.
    context["unread_messages"] = cache(lambda: unread_notification_count(user=user))
    return context
