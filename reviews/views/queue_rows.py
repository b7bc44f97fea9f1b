"""A queue page's rows as the template shows them: every word and link worked out here, once, so
that the template only places them.

The template used to work each out itself, from the application and the person (whose row it is,
whether the workspace may be opened, the size in words, the dates and counts formatted): some
forty template nodes a row, which made rendering 25 rows cost more than the rest of the page
together (docs/benchmarks.md). Python does the same work in a fraction of the time, and the
decisions (who may open what, which actions a row offers) are plain code a test can read.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString

from certification.models import ApplicationStatus
from common.links import PkLink
from recordkeepers.models import SizeClass, User
from reviews import priority
from reviews.selectors import ListedApplication
from reviews.templatetags.reviews import priority_items

# The labels of the choices, looked up directly: a model's get_FOO_display() flattens the field's
# choices on every call. Numbers and dates as the site writes them (United States English):
# 1,200 and "Nov 23, 2026", as `intcomma` and the `date:"M j, Y"` filter would, at a fraction
# of their cost (tests/reviews/test_queue_rows.py holds them to the filters' output).
SIZE_LABELS = {value: str(label) for value, label in SizeClass.choices}
STATUS_LABELS = {value: str(label) for value, label in ApplicationStatus.choices}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class QueueRow:
    pk: int
    reference: str
    legal_name: str
    href: str  # the workspace for its reviewer and supervisors, otherwise the record
    details: str  # "Small, 1,200 entries a year, 2 risk flags"
    submitted: str  # "Dec 5, 2026"
    status: str
    answers_arrived: bool
    answers_href: str  # "" when the person may not open the workspace
    information_overdue: bool
    reviewer: str  # "Pat Lee (you)", "No one yet"
    claim_href: str  # "" when someone has it
    sign_off_href: str  # "" unless a supervisor and it waits for sign-off
    assign_href: str  # "" unless a supervisor
    assign_label: str  # "Assign" or "Reassign"
    score_text: str
    summary: str
    why_items: SafeString


class RowLinks:
    """The links a queue row may carry, each pattern reversed once for the page (common.links)."""

    def __init__(self) -> None:
        self.workspace = PkLink("reviews:workspace")
        self.record = PkLink("reviews:record")
        self.claim = PkLink("reviews:claim")
        self.sign_off = PkLink("reviews:sign-off")
        self.assign = PkLink("reviews:assign")


def queue_rows(
    rows: list[tuple[ListedApplication, priority.Priority]],
    *,
    user: User,
    is_supervisor: bool,
    is_reviewer: bool,
) -> list[QueueRow]:
    links = RowLinks()
    return [
        queue_row(
            application,
            why,
            user=user,
            is_supervisor=is_supervisor,
            is_reviewer=is_reviewer,
            links=links,
        )
        for application, why in rows
    ]


def queue_row(
    application: ListedApplication,
    why: priority.Priority,
    *,
    user: User,
    is_supervisor: bool,
    is_reviewer: bool,
    links: RowLinks,
) -> QueueRow:
    pk = application.pk
    reviewer = application.reviewer_name
    yours = application.reviewer_id is not None and application.reviewer_id == user.pk
    may_open = yours or is_supervisor
    workspace = links.workspace(pk)
    details = [SIZE_LABELS.get(application.size_class, "")]
    if application.entries_per_year:
        details.append(f"{application.entries_per_year:,} entries a year")
    if flags := application.risk_flag_count:
        details.append(f"{flags} risk flag{'' if flags == 1 else 's'}")
    submitted = ""
    if application.submitted_at:
        day = timezone.localtime(application.submitted_at)
        submitted = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return QueueRow(
        pk=pk,
        reference=application.reference or "",
        legal_name=application.legal_name,
        href=workspace if may_open else links.record(pk),
        details=", ".join(details),
        submitted=submitted,
        status=STATUS_LABELS[application.status],
        answers_arrived=application.answers_arrived,
        answers_href=f"{workspace}#information-requests" if may_open else "",
        information_overdue=application.information_overdue,
        reviewer=(f"{reviewer} (you)" if yours else reviewer) if reviewer else "No one yet",
        # Reviewers take what nobody has; a supervisor who does not review assigns it instead.
        claim_href=links.claim(pk) if is_reviewer and not reviewer else "",
        sign_off_href=links.sign_off(pk)
        if is_supervisor and application.status == ApplicationStatus.RECOMMENDED
        else "",
        assign_href=links.assign(pk) if is_supervisor else "",
        assign_label="Reassign" if reviewer else "Assign",
        score_text=why.score_text,
        summary=why.summary,
        why_items=priority_items(why),
    )
