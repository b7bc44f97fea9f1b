"""Sending work to Celery once the transaction that asked for it commits.

Services name the task instead of importing its module, so that task modules import services and
never the other way round: `enqueue_on_commit("certification.tasks.render_letter", letter_id=7)`.
The name is looked up when the transaction commits, in the registry Celery fills as each app's
`tasks` module is imported (`AppConfig.ready`), so a misspelt name fails loudly in tests.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def _send(task_name: str, kwargs: dict[str, object]) -> None:
    current_app.tasks[task_name].apply_async(kwargs=kwargs)


def enqueue_on_commit(task_name: str, /, **kwargs: object) -> None:
    """Send `task_name` with `kwargs` once the current transaction commits (at once outside one).

    `robust`: a broker that cannot be reached is logged and does not turn a committed change into an
    error for its caller, nor stop the callbacks after this one. Whatever asked for the task (a
    pending letter, an unsent notification, an invitation without `sent_at`) is still in the
    database, and the periodic sweeps send it when the broker is back.
    """
    transaction.on_commit(partial(_send, task_name, kwargs), robust=True)
