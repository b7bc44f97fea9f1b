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
    IMPORTER_NUMBERS_SHOWN = (
        "review.importer_numbers_shown",
        "The importer numbers were shown in full to check against CBP's records",
    )
    INFORMATION_REQUESTED = "review.information_requested", "CBP asked for more information"
    INFORMATION_PROVIDED = "application.information_provided", "More information sent to CBP"
    REVIEW_RECOMMENDED = "review.recommended", "Reviewer made a recommendation"
    RETURNED_FOR_REWORK = (
        "review.returned_for_rework",
        "Supervisor returned the recommendation to the reviewer",
    )
    APPLICATION_DECIDED = "application.decided", "Decision issued"
    LETTER_READY = "letter.ready", "Letter ready to download"
    # After certification (the participants app): each on the certified application's timeline.
    REPORT_FILED = "participant.report_filed", "Variance or violation reported to CBP"
    REPORT_ACKNOWLEDGED = "participant.report_acknowledged", "CBP acknowledged a report"
    CORRECTIVE_ACTION_REQUESTED = (
        "participant.corrective_action_requested",
        "CBP asked for corrective action",
    )
    CORRECTIVE_ACTION_TAKEN = (
        "participant.corrective_action_taken",
        "Corrective action reported to CBP",
    )
    REPORT_CLOSED = "participant.report_closed", "CBP closed a report"
    FAILURE_RECORDED = (
        "participant.failure_recorded",
        "CBP recorded a failure to produce a demanded record",
    )
    NOTICE_ISSUED = (
        "participant.notice_issued",
        "CBP issued a notice of violation in lieu of a penalty",
    )
    NOTICE_ANSWERED = "participant.notice_answered", "Answer to a notice of violation sent to CBP"
    NOTICE_CLOSED = "participant.notice_closed", "CBP closed a notice of violation"
    REMOVAL_PROPOSED = "participant.removal_proposed", "A reviewer proposed removal"
    REMOVAL_DECLINED = "participant.removal_declined", "A supervisor declined the proposed removal"
    REMOVAL_ISSUED = "participant.removal_issued", "CBP issued a notice of removal"
    REMOVAL_EFFECTIVE = "participant.removal_effective", "The removal took effect"
    APPEAL_FILED = "participant.appeal_filed", "Appeal received by CBP"
    APPEAL_DELAYED = "participant.appeal_delayed", "The appeal's decision is delayed"
    APPEAL_DECIDED = "participant.appeal_decided", "Appeal decided"
    REINSTATED = "participant.reinstated", "Certification reinstated"
    CERTIFIED_ON_APPEAL = "application.certified_on_appeal", "Denial reversed on appeal: certified"


class StaffTopic(models.TextChoices):
    """What CBP staff are told about, each a choice a person makes for their emails."""

    ASSIGNMENT = "assignment", "An application is assigned to me"
    ANSWERS = "answers", "An applicant answers my questions"
    SIGN_OFF = "sign_off", "A recommendation waits for a supervisor's sign-off"
    PARTICIPANTS = "participants", "A participant reports to CBP or answers CBP"
    APPEALS = "appeals", "An appeal waits for a decision"


# Who on CBP's side is told: the application's assigned reviewer, every supervisor, or every
# appeals official.
ASSIGNED_REVIEWER = "assigned_reviewer"
SUPERVISORS = "supervisors"
APPEALS_OFFICIALS = "appeals_officials"


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
    EventVerb.IMPORTER_NUMBERS_SHOWN: Meaning(applicant_visible=False),
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
    EventVerb.REPORT_FILED: Meaning(
        applicant_visible=True,
        applicant_message="Your report was sent to CBP. We will tell you when CBP acknowledges it.",
        staff_message="A participant reported a variance or violation. Acknowledge it.",
        staff_audience=SUPERVISORS,
        staff_topic=StaffTopic.PARTICIPANTS,
    ),
    EventVerb.REPORT_ACKNOWLEDGED: Meaning(
        applicant_visible=True, applicant_message="CBP acknowledged your report."
    ),
    EventVerb.CORRECTIVE_ACTION_REQUESTED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP asks you to take corrective action on your report. Sign in to see what and by "
            "when."
        ),
    ),
    EventVerb.CORRECTIVE_ACTION_TAKEN: Meaning(
        applicant_visible=True,
        applicant_message="What you did was sent to CBP.",
        staff_message="A participant reported the corrective action CBP asked for.",
        staff_audience=SUPERVISORS,
        staff_topic=StaffTopic.PARTICIPANTS,
    ),
    EventVerb.REPORT_CLOSED: Meaning(
        applicant_visible=True, applicant_message="CBP closed your report."
    ),
    # A failure that is not eligible for a notice goes to CBP's penalty process, outside the
    # service: what the participant hears of it comes from there.
    EventVerb.FAILURE_RECORDED: Meaning(applicant_visible=False),
    EventVerb.NOTICE_ISSUED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP issued a notice of violation instead of a penalty. Sign in to read it and to "
            "tell CBP the steps you have taken to prevent it from happening again."
        ),
    ),
    EventVerb.NOTICE_ANSWERED: Meaning(
        applicant_visible=True,
        applicant_message="Your answer to the notice of violation was sent to CBP.",
        staff_message="A participant answered a notice of violation.",
        staff_audience=SUPERVISORS,
        staff_topic=StaffTopic.PARTICIPANTS,
    ),
    EventVerb.NOTICE_CLOSED: Meaning(
        applicant_visible=True, applicant_message="CBP closed the notice of violation."
    ),
    # A proposal is CBP's internal step: the participant hears of the supervisor's decision.
    EventVerb.REMOVAL_PROPOSED: Meaning(
        applicant_visible=False,
        staff_message="A reviewer proposed removing a participant. It waits for your decision.",
        staff_audience=SUPERVISORS,
        staff_topic=StaffTopic.PARTICIPANTS,
    ),
    EventVerb.REMOVAL_DECLINED: Meaning(applicant_visible=False),
    EventVerb.REMOVAL_ISSUED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "CBP decided to remove your certification. Sign in to read the notice, when it takes "
            "effect, and how to appeal."
        ),
    ),
    EventVerb.REMOVAL_EFFECTIVE: Meaning(
        applicant_visible=True,
        applicant_message="The removal of your certification has taken effect.",
    ),
    EventVerb.APPEAL_FILED: Meaning(
        applicant_visible=True,
        applicant_message="CBP received your appeal. We will tell you when it is decided.",
        staff_message="An appeal was received. It waits for an appeals official's decision.",
        staff_audience=APPEALS_OFFICIALS,
        staff_topic=StaffTopic.APPEALS,
    ),
    EventVerb.APPEAL_DELAYED: Meaning(
        applicant_visible=True,
        applicant_message=(
            "The decision on your appeal is delayed. Sign in to read why and when to expect it."
        ),
    ),
    EventVerb.APPEAL_DECIDED: Meaning(
        applicant_visible=True,
        applicant_message="Your appeal has been decided. Sign in to read the decision.",
    ),
    EventVerb.REINSTATED: Meaning(
        applicant_visible=True,
        applicant_message="Your certification is reinstated: you are in the program again.",
    ),
    EventVerb.CERTIFIED_ON_APPEAL: Meaning(
        applicant_visible=True,
        applicant_message="On appeal, the denial was reversed: your organization is certified.",
    ),
}


def meaning_of(verb: str) -> Meaning:
    return MEANINGS[EventVerb(verb)]


def describe_verb(verb: str) -> str:
    """What the timeline calls an event."""
    return EventVerb(verb).label
