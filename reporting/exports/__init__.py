"""Exports of the program's data as CSV and XLSX: the datasets (`datasets`: which rows and columns,
read through the pages' access rules), the export policy every field passes (`policy`: include,
mask or leave out, in one table) and the streaming writers (`writers`), which take only what the
policy made. `export_write` puts the three together for the worker that writes an export."""

import io
from collections.abc import Callable
from typing import IO, Any

from recordkeepers.models import User
from reporting.exports.datasets import (
    DATASETS,
    Dataset,
    dataset_for,
    dataset_title,
    datasets_for,
    may_export,
)
from reporting.exports.policy import POLICY, PolicedRows, Treatment, police
from reporting.exports.writers import EVERY, write_csv, write_xlsx
from reporting.filters import ReportFilters

FORMATS = ("csv", "xlsx")


def export_write(
    *,
    user: User,
    key: str,
    filters: ReportFilters,
    format: str,
    out: IO[bytes],
    progress: Callable[..., object] | None = None,
    every: int = EVERY,
    **options: Any,
) -> int:
    """Write the dataset `key` as `user` may see it, narrowed to `filters`, to the binary file
    `out` in `format` ("csv" or "xlsx"); how many rows were written. `progress(0, rows_total)` is
    called once the rows are counted, then `progress(rows_done)` every `every` rows and at the
    end. Raises `PermissionDenied` for someone who may not export the dataset (asked again here:
    the worker writes what was asked for some time ago), `LookupError` for an unknown key."""
    if format not in FORMATS:
        raise ValueError(f"Exports are written as {' or '.join(FORMATS)}, not {format!r}.")
    dataset = dataset_for(user=user, key=key)
    if progress is not None:
        progress(0, dataset.count(user=user, filters=filters, **options))
    policed = dataset.policed(user=user, filters=filters, **options)
    if format == "xlsx":
        return write_xlsx(policed, out, progress=progress, every=every, sheet_name=dataset.title)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        return write_csv(policed, text, progress=progress, every=every)
    finally:
        text.flush()
        text.detach()  # the caller's file stays open


__all__ = [
    "DATASETS",
    "FORMATS",
    "POLICY",
    "Dataset",
    "PolicedRows",
    "Treatment",
    "dataset_for",
    "dataset_title",
    "datasets_for",
    "export_write",
    "may_export",
    "police",
    "write_csv",
    "write_xlsx",
]
