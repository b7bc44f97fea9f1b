"""The vocabulary of events: every verb an `Event` may carry, and what each one means.

One table says, for each verb, what the timeline calls it (the label), whether the applicant sees it
on their timeline (otherwise only CBP staff, in the audit trail), and what the applying
organisation's people are told when it happens (blank: nobody is told). A verb missing from the
table, or misspelt anywhere, fails at once: `Event.verb` is a choice of `EventVerb`, checked by the
database too.
"""

from dataclasses import dataclass

from django.db import models


class EventVerb(models.TextChoices):
    APPLICATION_STARTED = "application.started", "Application started"
    DRAFT_EDITED = "draft.edited", "Draft changed"
    APPLICATION_SUBMITTED = "application.submitted", "Application submitted"
    APPLICATION_WITHDRAWN = "application.withdrawn", "Application withdrawn"
    REVIEW_STARTED = "review.started", "CBP started the review"
    REVIEW_ASSIGNED = "review.assigned", "Reviewer assigned"
    REVIEW_RECUSED = "review.recused", "A reviewer stepped aside for a conflict of interest"
    CRITERION_SCORED = "review.criterion_scored", "A criterion's score changed"
    FINDING_RECORDED = "review.finding_recorded", "The compliance finding changed"
    INFORMATION_REQUESTED = "review.information_requested", "CBP asked for more information"
    INFORMATION_PROVIDED = "application.information_provided", "More information sent to CBP"
    REVIEW_RECOMMENDED = "review.recommended", "Reviewer made a recommendation"
    RETURNED_FOR_REWORK = (
        "review.returned_for_rework",
        "Supervisor returned the recommendation to the reviewer",
    )
    APPLICATION_DECIDED = "application.decided", "Decision issued"
    LETTER_READY = "letter.ready", "Letter ready to download"


class StaffTopic(models.TextChoices):
    """What CBP staff are told about, each a choice a person makes for their emails."""

    ASSIGNMENT = "assignment", "An application is assigned to me"
    ANSWERS = "answers", "An applicant answers my questions"
    SIGN_OFF = "sign_off", "A recommendation waits for a supervisor's sign-off"


# Who on CBP's side is told: the application's assigned reviewer, or every supervisor.
ASSIGNED_REVIEWER = "assigned_reviewer"
SUPERVISORS = "supervisors"


@dataclass(frozen=True)
class Meaning:
    """What an event means to the people around the application."""

    applicant_visible: bool  # on the applicant's timeline; otherwise staff only
    applicant_message: str = ""  # what the organisation's people are told; blank tells no one
    staff_message: str = ""  # what CBP staff are told; blank tells no one
    staff_audience: str = ""  # ASSIGNED_REVIEWER or SUPERVISORS
    staff_topic: str = ""  # a StaffTopic: whether the person wants it by email


MEANINGS: dict[str, Meaning] = {
    EventVerb.APPLICATION_STARTED: Meaning(applicant_visible=True),
    # Every save of a draft: the audit trail says who changed what; the timeline keeps to milestones.
    EventVerb.DRAFT_EDITED: Meaning(applicant_visible=False),
    EventVerb.APPLICATION_SUBMITTED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP has received the application. We will tell you when the review starts."
        ),
    ),
    EventVerb.APPLICATION_WITHDRAWN: Meaning(
        applicant_visible=True,
        applicant_message=("The application was withdrawn. CBP will take no further action on it."),
    ),
    EventVerb.REVIEW_STARTED: Meaning(
        applicant_visible=True,
        applicant_message="A CBP reviewer has started reviewing the application.",
    ),
    # Who reviews is CBP's internal business.
    EventVerb.REVIEW_ASSIGNED: Meaning(
        applicant_visible=False,
        staff_message="An application was assigned to you for review.",
        staff_audience=ASSIGNED_REVIEWER,
        staff_topic=StaffTopic.ASSIGNMENT,
    ),
    EventVerb.REVIEW_RECUSED: Meaning(applicant_visible=False),
    # The review's own work, each change kept for CBP's record: who, what, from what to what.
    EventVerb.CRITERION_SCORED: Meaning(applicant_visible=False),
    EventVerb.FINDING_RECORDED: Meaning(applicant_visible=False),
    EventVerb.INFORMATION_REQUESTED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP needs more information before it can continue the review. Sign in to see the "
            "questions and answer them."
        ),
    ),
    EventVerb.INFORMATION_PROVIDED: Meaning(
        applicant_visible=True,
        applicant_message="Your answers were sent to CBP and the review continues.",
        staff_message="The applicant answered your questions. Read the answers in the review.",
        staff_audience=ASSIGNED_REVIEWER,
        staff_topic=StaffTopic.ANSWERS,
    ),
    # Internal review steps: the applicant hears of the decision, not of how it was reached.
    EventVerb.REVIEW_RECOMMENDED: Meaning(
        applicant_visible=False,
        staff_message="A reviewer's recommendation waits for a supervisor's sign-off.",
        staff_audience=SUPERVISORS,
        staff_topic=StaffTopic.SIGN_OFF,
    ),
    EventVerb.RETURNED_FOR_REWORK: Meaning(applicant_visible=False),
    EventVerb.APPLICATION_DECIDED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP has decided on the application. We will tell you when the decision letter is "
            "ready."
        ),
    ),
    EventVerb.LETTER_READY: Meaning(
        applicant_visible=True,
        applicant_message=(
            "Your letter from CBP is ready. Sign in to download it from the application's page."
        ),
    ),
}


def meaning_of(verb: str) -> Meaning:
    return MEANINGS[EventVerb(verb)]


def describe_verb(verb: str) -> str:
    """What the timeline calls an event."""
    return EventVerb(verb).label
