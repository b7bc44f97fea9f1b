"""A letter's life: asked for with what it reports, rendered once by a worker, retried, reissued.

- **Asked for** (`letter_create_for_decision`, `letter_create_for_information_request`, and
  `letter_create` for the kinds after certification, which the participants app fills) inside the
  transaction that records the decision or the request: the `Letter` row, `pending`, with the
  values its placeholders will show (fixed now, so a retry next week prints the same letter). The
  render task is sent on commit and the row says when (`queued_at`); if the broker cannot be
  reached, the decision stands, `queued_at` is emptied, and the periodic sweep
  (`letters_resend`, run by `tasks.sweep_unfinished_letters`) sends it again at once. A letter
  still waiting in the queue is left alone until it has waited `LETTER_QUEUE_GRACE_SECONDS`: a
  burst of decisions can take minutes to drain, and resending what waits would only lengthen the
  queue.
- **Rendered** (`letter_render`) by the task: the row is claimed (`rendering`, one more attempt)
  under a row lock, the PDF made with no transaction open and checked against the standards it
  claims (`conformance`: one that does not hold fails like one that cannot render), stored under
  a new random name, and the row marked `ready` only if no other worker has done so meanwhile; a
  loser deletes its file. So a redelivered message, a sweep that resends a letter a slow worker
  is still rendering, or a worker killed mid-render all end with exactly one ready letter. A
  ready letter is never changed.
- **Failed** after the task's retries (`letter_mark_failed`): the error is kept for staff, who may
  retry (`letter_retry`).
- **Reissued** (`letter_reissue`): a new letter, from the template in use now, pointing at the
  one it replaces, which stays as it was.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from certification.events import EventVerb
from certification.letters import content as letters
from certification.letters.conformance import LetterNotConforming, conformance_problems
from certification.letters.versions import letter_template_in_use
from certification.models import (
    Application,
    Decision,
    Event,
    InformationRequest,
    Letter,
    LetterStatus,
)
from certification.notifications.services import notify
from recordkeepers.models import User
from recordkeepers.rules import is_cbp_staff

logger = logging.getLogger(__name__)


def _send_to_worker(letter_id: int) -> None:
    """Send the render task now. A broker that cannot take it is logged and written on the row
    (`queued_at` emptied), so that the next sweep sends it again without waiting out the grace."""
    try:
        current_app.tasks["certification.tasks.render_letter"].apply_async(
            kwargs={"letter_id": letter_id}
        )
    except Exception:
        logger.exception("The render of letter %s could not be sent to a worker", letter_id)
        Letter.objects.filter(pk=letter_id, status=LetterStatus.PENDING).update(queued_at=None)


def _send_on_commit(letter_id: int) -> None:
    transaction.on_commit(lambda: _send_to_worker(letter_id), robust=True)


def _ask_for(
    *,
    application: Application,
    kind: str,
    context_on: Callable[[date], dict[str, str | list]],
    reissue_of: Letter | None = None,
    **about: Decision | InformationRequest | User | None,
) -> Letter:
    """A letter, pending, from the kind's template in use, sent to a worker on commit;
    `context_on(dated)` gives the values its placeholders show. `about`: what it reports."""
    dated = timezone.localdate()
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        template=letter_template_in_use(kind=kind),
        dated=dated,
        context=context_on(dated),
        reissue_of=reissue_of,
        queued_at=timezone.now(),
        **about,
    )
    _send_on_commit(letter.pk)
    return letter


def letter_create_for_decision(*, decision: Decision) -> Letter:
    """The decision's letter, pending. Called inside the transaction that records the decision."""
    return _ask_for(
        application=decision.application,
        kind=letters.decision_letter_kind(decision),
        context_on=partial(letters.decision_context, decision),
        decision=decision,
    )


def letter_create(
    *,
    application: Application,
    kind: str,
    context: dict[str, str | list],
    issued_by: User,
) -> Letter:
    """A letter of a kind the app above asks for (a notice of violation, a removal, an appeal's
    decision or delay), pending, with the values its placeholders show, fixed now. Called inside
    the transaction that records what it reports; that app keeps the link to the letter."""
    return _ask_for(
        application=application,
        kind=kind,
        context_on=lambda dated: context | {"letter_date": letters.letter_day(dated)},
        issued_by=issued_by,
    )


def letter_create_for_information_request(*, request: InformationRequest) -> Letter:
    """A PDF copy of CBP's questions, pending."""
    return _ask_for(
        application=request.application,
        kind=letters.LetterKind.INFORMATION_REQUEST,
        context_on=partial(letters.information_request_context, request),
        information_request=request,
    )


def letter_render(*, letter_id: int) -> Letter:
    """Render a pending (or abandoned rendering) letter and store it; a ready or failed letter is
    returned as it is. Safe to run any number of times, at the same time, for the same letter."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("template").get(pk=letter_id)
        if letter.status in (LetterStatus.READY, LetterStatus.FAILED):
            return letter
        letter.status = LetterStatus.RENDERING
        letter.attempts += 1
        letter.rendering_started_at = timezone.now()
        letter.save(update_fields=["status", "attempts", "rendering_started_at"])

    from certification.letters import (
        pdf as letter_pdf,  # WeasyPrint: loaded in the worker, not in web processes
    )

    pdf, sha256 = letter_pdf.render(
        subject=letter.template.subject,
        body=letter.template.body,
        context=letter.context,
    )
    # A PDF that does not hold to what it claims (PDF/A-3a, PDF/UA-1) is not issued: it fails
    # like a letter that cannot render, with the problems for staff. Some 5 ms a letter.
    if problems := conformance_problems(pdf):
        raise LetterNotConforming(problems)
    dated = letter.dated
    name = default_storage.save(
        f"letters/{dated:%Y}/{dated:%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    with transaction.atomic():
        finished = (
            Letter.objects.filter(pk=letter.pk, status=LetterStatus.RENDERING)
            .select_for_update()
            .first()
        )
        if finished is None:  # another worker stored it first, or staff marked it otherwise
            transaction.on_commit(lambda: default_storage.delete(name), robust=True)
            return Letter.objects.get(pk=letter.pk)
        finished.status = LetterStatus.READY
        finished.file.name = name
        finished.sha256 = sha256
        finished.size = len(pdf)
        finished.ready_at = timezone.now()
        finished.last_error = ""
        finished.save(update_fields=["status", "file", "sha256", "size", "ready_at", "last_error"])
        _announce(finished)
    return finished


def _announce(letter: Letter) -> None:
    """The timeline's event, and a message to the applicant with a link (never the file)."""
    if letter.decision is not None:
        actor = letter.decision.decided_by
    elif letter.issued_by is not None:
        actor = letter.issued_by
    else:
        actor = _information_request(letter).requested_by
    event = Event.objects.record(
        application=letter.application,
        actor=actor,
        verb=EventVerb.LETTER_READY,
        data={"letter": letter.pk, "kind": letter.kind, "sha256": letter.sha256},
    )
    notify(event=event)


def _information_request(letter: Letter) -> InformationRequest:
    """What a letter that reports no decision reports: CBP's questions."""
    if letter.information_request is None:
        raise ValueError(f"Letter {letter.pk} reports neither a decision nor a request.")
    return letter.information_request


def letter_record_error(*, letter_id: int, error: BaseException) -> None:
    """Keep the latest error of a letter still being tried, for staff."""
    Letter.objects.filter(pk=letter_id).exclude(status=LetterStatus.READY).update(
        last_error=_describe(error)
    )


def letter_mark_failed(*, letter_id: int, error: BaseException) -> None:
    """The task gave up: the letter is failed, with its error, until staff retry it."""
    Letter.objects.filter(pk=letter_id).exclude(status=LetterStatus.READY).update(
        status=LetterStatus.FAILED, last_error=_describe(error)
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


@transaction.atomic
def letter_retry(*, letter: Letter, actor: User) -> Letter:
    """Staff send a failed letter to be rendered again."""
    if not is_cbp_staff(actor):
        raise PermissionDenied("Only CBP staff retry letters.")
    updated = Letter.objects.filter(pk=letter.pk, status=LetterStatus.FAILED).update(
        status=LetterStatus.PENDING, rendering_started_at=None, queued_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Only a failed letter can be retried.")
    letter.refresh_from_db()
    _send_on_commit(letter.pk)
    return letter


@transaction.atomic
def letter_reissue(*, letter: Letter, actor: User) -> Letter:
    """A new letter replacing a ready one, from the template in use now; the old one is kept."""
    if not is_cbp_staff(actor):
        raise PermissionDenied("Only CBP staff reissue letters.")
    if letter.status != LetterStatus.READY:
        raise ValidationError("Only a ready letter can be reissued; retry a failed one.")
    context_on: Callable[[date], dict[str, str | list]]
    if letter.decision is not None:
        context_on = partial(letters.decision_context, letter.decision)
    elif letter.information_request is not None:
        context_on = partial(letters.information_request_context, letter.information_request)
    else:
        # What the app above fixed when it asked, dated again.
        context = dict(letter.context)
        context_on = lambda dated: context | {"letter_date": letters.letter_day(dated)}  # noqa: E731
    return _ask_for(
        application=letter.application,
        kind=letter.kind,
        context_on=context_on,
        reissue_of=letter,
        decision=letter.decision,
        information_request=letter.information_request,
        issued_by=letter.issued_by,
    )


def letters_to_resend(*, now: datetime | None = None) -> list[int]:
    """Letters a worker should be asked to render again: those whose render could not be sent
    (`queued_at` empty), those sent that have waited in the queue longer than
    `LETTER_QUEUE_GRACE_SECONDS` (their message is taken to be lost), and those rendering for
    longer than a render can take (their worker is taken to be lost) and not sent again since, or
    sent again longer than the grace ago. A letter sent a moment ago and not yet picked up is still
    on its way, and is left alone."""
    now = now or timezone.now()
    waited_too_long = Q(queued_at__isnull=True) | Q(
        queued_at__lte=now - timedelta(seconds=settings.LETTER_QUEUE_GRACE_SECONDS)
    )
    stale_rendering = now - timedelta(seconds=settings.LETTER_RENDER_TIMEOUT_SECONDS)
    return list(
        Letter.objects.filter(
            Q(status=LetterStatus.PENDING) & waited_too_long
            | Q(status=LetterStatus.RENDERING, rendering_started_at__lte=stale_rendering)
            & (waited_too_long | Q(queued_at__lte=F("rendering_started_at")))
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def letters_resend(*, now: datetime | None = None) -> list[int]:
    """Send the letters `letters_to_resend` finds to a worker again, each marked as sent now so
    that the next sweep leaves it alone while it waits in the queue. Returns their ids."""
    now = now or timezone.now()
    letter_ids = letters_to_resend(now=now)
    Letter.objects.filter(pk__in=letter_ids).update(queued_at=now)
    for letter_id in letter_ids:
        _send_to_worker(letter_id)
    return letter_ids


def letter_files_unreferenced(*, older_than: timedelta) -> list[str]:
    """Stored letter files no letter points to, last written more than `older_than` ago: a worker
    killed after storing a letter but before marking it ready leaves one (the letter is rendered
    again, into a new file). Younger files are left alone: one may be a render about to be marked
    ready. Walks `letters/<year>/<month>/` in storage."""
    storage = default_storage
    cutoff = timezone.now() - older_than
    referenced = set(Letter.objects.exclude(file="").values_list("file", flat=True))
    unreferenced = []
    years, _ = storage.listdir("letters") if storage.exists("letters") else ([], [])
    for year in years:
        months, _ = storage.listdir(f"letters/{year}")
        for month in months:
            _, files = storage.listdir(f"letters/{year}/{month}")
            for name in (f"letters/{year}/{month}/{file}" for file in files):
                if name not in referenced and storage.get_modified_time(name) < cutoff:
                    unreferenced.append(name)
    return sorted(unreferenced)
