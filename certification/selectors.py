"""Reads of applications and the Handbook, with access checks."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.http import Http404

from certification import completeness
from certification.completeness import ApplicationContent
from certification.events import EventVerb
from certification.models import (
    Application,
    Event,
    HandbookEdition,
    InformationRequest,
)
from certification.references import is_reference
from recordkeepers.models import Organisation, User
from recordkeepers.rules import is_cbp_staff
from recordkeepers.sizing import organisation_size_class


def handbook_edition_in_force() -> HandbookEdition | None:
    return HandbookEdition.objects.filter(status=HandbookEdition.Status.PUBLISHED).first()


def applications_for_organisation(*, organisation: Organisation) -> list[Application]:
    """The organisation's applications, newest first, for its own dashboard, each with what last
    happened to it that the applicant may see (`latest_verb`, `latest_at`) and, while CBP waits for
    answers, the date they are due (`answers_due`)."""
    latest = Event.objects.filter(application=OuterRef("pk"), applicant_visible=True).order_by(
        "-created_at", "-pk"
    )
    waiting = InformationRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True
    )
    return list(
        organisation.applications.annotate(
            latest_verb=Subquery(latest.values("verb")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            answers_due=Subquery(waiting.values("due")[:1]),
        ).order_by("-created_at")
    )


def application_get_for_user(*, user: User, pk: int | str) -> Application:
    """The application, by its number or its reference (`certification.references`), if `user`
    may see it; otherwise 404, so its existence is not disclosed."""
    found = Application.objects.select_related("organisation")
    key = str(pk)
    application = (
        found.filter(reference=key) if is_reference(key) else found.filter(pk=int(key))
    ).first()
    if application is None or not user.has_perm("certification.view_application", application):
        raise Http404("No such application")
    return application


# Saves of a draft by one person with no more than this between them are one sitting.
SITTING_GAP = timedelta(minutes=30)


# Events that come in runs, folded into one line of history per sitting, with the word for what
# is counted: every step save and autosave of a draft is an event, and so is every criterion whose
# score a save of the rubric changed (some 40 at once).
FOLDED: dict[str, str] = {EventVerb.DRAFT_EDITED: "saves", EventVerb.CRITERION_SCORED: "changes"}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an application's history: an event, or a sitting's run of draft saves (or of
    score changes) shown as its last with how many there were (`saves`) and when the first was
    (`first_at`)."""

    event: Event
    saves: int = 1
    first_at: datetime | None = None

    @property
    def heading(self) -> str:
        """ "Draft changed", or "Draft changed (3 saves)" for a sitting's run."""
        if self.saves == 1:
            return self.event.description
        return f"{self.event.description} ({self.saves} {FOLDED[self.event.verb]})"

    @property
    def spans(self) -> bool:
        """Whether the line stands for events over a stretch of time (from … to …)."""
        return self.first_at is not None and self.first_at != self.event.created_at


def fold_sittings(events: Iterable[Event], gap: timedelta = SITTING_GAP) -> list[TimelineEntry]:
    """The events in order, each sitting's draft saves and score changes (`FOLDED`) folded into
    one entry. The event log itself keeps every one."""
    entries: list[TimelineEntry] = []
    for event in events:
        last = entries[-1] if entries else None
        if (
            last is not None
            and event.verb == last.event.verb
            and event.verb in FOLDED
            and event.actor_id == last.event.actor_id
            and event.created_at - last.event.created_at <= gap
        ):
            entries[-1] = TimelineEntry(event, last.saves + 1, last.first_at)
        else:
            entries.append(TimelineEntry(event, 1, event.created_at))
    return entries


def application_timeline(*, user: User, application: Application) -> list[TimelineEntry]:
    """The events of an application as `user` may see them (applicants see applicant-facing ones),
    each sitting's draft saves and score changes folded into one entry (`fold_sittings`)."""
    events = application.events.select_related("actor").order_by("created_at", "pk")
    if not is_cbp_staff(user):
        events = events.filter(applicant_visible=True)
    return fold_sittings(events)


def information_request_open(*, application: Application) -> InformationRequest | None:
    """The application's request for information still waiting for its answers, if any."""
    return application.information_requests.filter(answered_at__isnull=True).first()


def application_content(*, application: Application) -> ApplicationContent:
    """What completeness reads of an application: the business profile (the organisation's own
    while a draft), its answers and the kinds of its designated individuals, in two queries."""
    organisation = application.organisation
    return ApplicationContent(
        proposes_alternative=application.route == Application.Route.ALTERNATIVE,
        proposed_terms=application.proposed_terms,
        profile_missing=tuple(organisation.details_missing()),
        business_missing=tuple(organisation.business_missing()),
        answers={r.demonstration: r.answers for r in application.responses.all()},
        individual_kinds=frozenset(
            application.designated_individuals.values_list("kind", flat=True)
        ),
        size_class=organisation_size_class(organisation),
    )


def application_missing_items(*, application: Application) -> dict[str, list[str]]:
    """What the application still lacks before it can be submitted, by part (see
    `certification.completeness.missing`)."""
    return completeness.missing(application_content(application=application))
