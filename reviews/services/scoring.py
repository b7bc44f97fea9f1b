"""Writes of the review's scoring: the thresholds pinned when it starts, the criteria's scores and the compliance finding, each change an event in CBP's record."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from certification.events import EventVerb
from certification.models import (
    Application,
    Event,
)
from recordkeepers.models import User
from recordkeepers.rules import may
from reviews import selectors
from reviews.models import (
    ComplianceFinding,
    CriterionScore,
    ReviewThresholds,
)


def review_thresholds_pin(*, application: Application) -> ReviewThresholds:
    """Pin the scoring thresholds the application's review is judged by: the admins' settings as
    they stand, with the raises for its declared risk flags. Only the first call writes; later
    ones return the pin already there, so an admin's change never moves a review under way.
    Called when the review starts (first claim or assignment), and on the first scores of a
    review begun before pinning existed."""
    pinned = ReviewThresholds.objects.filter(application=application).first()
    if pinned is not None:
        return pinned
    row = selectors.current_thresholds(application=application)
    # Two first claims at once: the one-to-one lets one write, and the other reads it back.
    row, _ = ReviewThresholds.objects.get_or_create(
        application=application,
        defaults={
            name: getattr(row, name)
            for name in (
                "met_micro",
                "met_small",
                "met_medium",
                "met_large",
                "information_band",
                "raises",
            )
        },
    )
    return row


@transaction.atomic
def review_save_scores(
    *, application: Application, actor: User, scores: dict[int, dict]
) -> list[CriterionScore]:
    """Save the reviewer's scores: `scores` maps a criterion's id to {"score": 0-3 or None,
    "not_applicable": bool, "notes": str}. Only criteria of the application's pinned edition that
    apply to it can be scored; each score keeps a copy of its criterion."""
    if not may(actor, "reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer scores, while the review is open.")
    review_thresholds_pin(application=application)
    # One save at a time for an application (a double-clicked button, two tabs): the scores read
    # below are then the ones the other save committed.
    list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
    criteria = {c.pk: c for c in selectors.applicable_criteria(application=application)}
    before = {s.criterion_id: s for s in CriterionScore.objects.filter(application=application)}
    saved, changed, added, events = [], [], [], []
    for criterion_id, given in selectors.checked_scores(
        criteria=list(criteria.values()), scores=scores
    ).items():
        criterion = criteria[criterion_id]
        old = before.get(criterion_id)
        was = _shown_score(old.score, old.not_applicable) if old else "not scored"
        now = _shown_score(given.score, given.not_applicable)
        notes_changed = given.notes != (old.notes if old else "")
        if was == now and not notes_changed:
            if old is not None:
                saved.append(old)
            continue  # nothing changed: no write, no event
        values = {
            "reviewer": actor,
            "demonstration": criterion.demonstration,
            "code": criterion.code,
            "title": criterion.title,
            "weight": criterion.weight,
            "must_pass": criterion.must_pass,
            "score": given.score,
            "not_applicable": given.not_applicable,
            "notes": given.notes,
        }
        if old is None:
            row = CriterionScore(application=application, criterion=criterion, **values)
            added.append(row)
        else:
            row = old
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = timezone.now()
            changed.append(row)
        saved.append(row)
        events.append(
            {"criterion": criterion.code, "from": was, "to": now, "notes_changed": notes_changed}
        )
    # The rows and their events written in a few statements, not three for each criterion.
    _update_scores(changed)
    CriterionScore.objects.bulk_create(added)
    Event.objects.record_many(
        application=application, actor=actor, verb=EventVerb.CRITERION_SCORED, data=events
    )
    return saved


# What saving a score writes of it.
SCORE_FIELDS = [
    "reviewer",
    "demonstration",
    "code",
    "title",
    "weight",
    "must_pass",
    "score",
    "not_applicable",
    "notes",
]


def _update_scores(rows: list[CriterionScore]) -> None:
    """Write `rows`' `SCORE_FIELDS` and time of update: one UPDATE by id, sent for all of them at
    once. Django's `bulk_update` writes the same as one statement, but builds a CASE of every row
    for each field first, and for a whole rubric (some 40 criteria, 10 fields) building it took
    half the time of saving the scores (docs/benchmarks.md). The names are the model's, the values
    parameters prepared by each field as the ORM would."""
    if not rows:
        return
    meta = CriterionScore._meta
    fields = [meta.get_field(name) for name in [*SCORE_FIELDS, "updated_at"]]
    concrete = [field for field in fields if isinstance(field, Field)]
    if len(concrete) != len(fields):
        raise TypeError("every field a score save writes is a column")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in concrete)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names, not values)
        f"WHERE {quote(str(meta.pk.column if meta.pk else 'id'))} = %s"
    )
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in concrete]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _shown_score(score: int | None, not_applicable: bool) -> str:
    """A score as CBP's record states it: "2", "N/A" or "not scored"."""
    if not_applicable:
        return "N/A"
    return "not scored" if score is None else str(score)


@transaction.atomic
def review_record_compliance_finding(
    *, application: Application, actor: User, concern: bool, notes: str
) -> ComplianceFinding:
    """The 163.13(b)(1)(iii) finding: recorded on its own, never as a score."""
    if not may(actor, "reviews.score_application", application):
        raise PermissionDenied(
            "Only the assigned reviewer records findings, while the review is open."
        )
    if concern and not notes.strip():
        raise ValidationError({"notes": "Say what in the compliance history causes concern."})
    old = ComplianceFinding.objects.filter(application=application).first()
    if old is not None and (old.concern, old.notes) == (concern, notes):
        return old  # nothing changed: no write, no event
    finding, _ = ComplianceFinding.objects.update_or_create(
        application=application,
        defaults={"reviewer": actor, "concern": concern, "notes": notes},
    )
    Event.objects.record(
        application=application,
        actor=actor,
        verb=EventVerb.FINDING_RECORDED,
        data={
            "from": None if old is None else ("concern" if old.concern else "no concern"),
            "to": "concern" if concern else "no concern",
            "notes_changed": old is None or old.notes != notes,
        },
    )
    return finding
