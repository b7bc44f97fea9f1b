"""Who among CBP's staff may see an application: one rule, for the queue, the workspace, the
application's pages and every download.

- CBP admins see every application, drafts included, as they do in the Django admin.
- Supervisors see every submitted application.
- A reviewer sees an application assigned to them, and one nobody has that is waiting for CBP (which
  they may claim), but never past a conflict of interest: not one they stepped aside from
  (`Recusal`), and not one where a link to the organisation is detected (a membership, a shared
  non-public email domain: `recordkeepers.conflicts`) unless a supervisor assigned it to them with a
  recorded reason.
- Nobody else on staff sees a draft.

The rule is written twice, side by side: as a predicate on one application (`staff_may_see`, which the
object permissions use) and as a query over all of them (`applications_visible_to_staff`, which the
queue uses). `tests/reviews/test_visibility_oracle.py` holds the two, and every page and download, to
one independently written oracle.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from certification.models import Application, ApplicationStatus
from certification.workflow import AWAITING_CBP
from recordkeepers.conflicts import conflict_links, linked_organisations
from recordkeepers.models import User
from recordkeepers.rules import is_cbp_admin, is_reviewer, is_supervisor
from reviews.models import ConflictDeclaration, Recusal


def sees_everything(user: User) -> bool:
    return user.is_superuser or is_cbp_admin(user)


def sees_everything_submitted(user: User) -> bool:
    return sees_everything(user) or is_supervisor(user)


def _override_recorded(user: User, application: Application) -> bool:
    """A supervisor assigned the application to `user` over a detected link, saying why."""
    return (
        ConflictDeclaration.objects.filter(application=application, reviewer=user)
        .exclude(override_reason="")
        .exists()
    )


@rules.predicate
def staff_may_see(user: User, application: Application | None) -> bool:
    if application is None or not user.is_authenticated:
        return False
    if sees_everything(user):
        return True
    if application.status == ApplicationStatus.DRAFT:
        return False
    if sees_everything_submitted(user):
        return True
    if not is_reviewer(user):
        return False
    if Recusal.objects.filter(application=application, reviewer=user).exists():
        return False
    assigned = application.assigned_reviewer_id == user.pk
    claimable = application.assigned_reviewer_id is None and application.status in AWAITING_CBP
    if not (assigned or claimable):
        return False
    links = conflict_links(reviewer=user, organisation=application.organisation)
    return not links or (assigned and _override_recorded(user, application))


def applications_visible_to_staff(*, user: User) -> QuerySet[Application]:
    """Every application `user` may see under the rule above, as one query."""
    if sees_everything(user):
        return Application.objects.all()
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if sees_everything_submitted(user):
        return submitted
    if not is_reviewer(user):
        return Application.objects.none()
    recused = Exists(Recusal.objects.filter(application=OuterRef("pk"), reviewer=user))
    overridden = Exists(
        ConflictDeclaration.objects.filter(application=OuterRef("pk"), reviewer=user).exclude(
            override_reason=""
        )
    )
    linked = linked_organisations(user=user)
    assigned = Q(assigned_reviewer=user) & (~linked | Q(overridden))
    claimable = Q(assigned_reviewer__isnull=True, status__in=AWAITING_CBP) & ~linked
    return submitted.filter(assigned | claimable).exclude(recused)
