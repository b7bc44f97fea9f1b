"""The exports offered, by key, and who may have which: each dataset says who may export it (the
rule of the page that lists its rows) and reads its rows through that page's access rule."""

from collections.abc import Mapping
from types import MappingProxyType

from django.core.exceptions import PermissionDenied

from recordkeepers.models import User
from reporting.exports.datasets.applications import DECISIONS, QUEUE
from reporting.exports.datasets.base import Column, Dataset
from reporting.exports.datasets.post_certification import (
    APPEALS,
    CORRECTIVE_ACTIONS,
    NOTICES,
    REMOVALS,
    REPORTS,
)
from reporting.exports.datasets.register import REGISTER

# In the order the dashboard offers them.
DATASETS: Mapping[str, Dataset] = MappingProxyType(
    {
        dataset.key: dataset
        for dataset in (
            QUEUE,
            DECISIONS,
            REGISTER,
            REPORTS,
            CORRECTIVE_ACTIONS,
            NOTICES,
            REMOVALS,
            APPEALS,
        )
    }
)


def dataset_for(*, user: User, key: str) -> Dataset:
    """The dataset `key` for `user` to export: `LookupError` if there is none of that name,
    `PermissionDenied` if they may not export it."""
    try:
        dataset = DATASETS[key]
    except KeyError:
        raise LookupError(f"No export is called {key!r}.") from None
    if not dataset.may_export(user):
        raise PermissionDenied("You may not export this.")
    return dataset


def may_export(*, user: User, key: str) -> bool:
    """Whether `user` may export the dataset `key` (False for a name that is not one)."""
    dataset = DATASETS.get(key)
    return dataset is not None and dataset.may_export(user)


def datasets_for(*, user: User) -> list[tuple[str, str]]:
    """The datasets `user` may export, as (key, title), in the order they are offered."""
    return [(key, dataset.title) for key, dataset in DATASETS.items() if dataset.may_export(user)]


def dataset_title(key: str) -> str:
    """The dataset's title, for a page that lists exports asked for; an export of a dataset no
    longer offered keeps its key as its name."""
    dataset = DATASETS.get(key)
    return dataset.title if dataset is not None else key


__all__ = [
    "DATASETS",
    "Column",
    "Dataset",
    "dataset_for",
    "dataset_title",
    "datasets_for",
    "may_export",
]
