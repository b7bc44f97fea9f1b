"""The files an export is written to, CSV and XLSX, streamed a row at a time so that 100,000 rows
take the same memory as ten. Each takes only `PolicedRows` (the export policy's output) and refuses
anything else, so no path reaches a file without the policy.

Spreadsheets run a cell that starts with "=", "+", "-" or "@" as a formula, and some also one
that starts with a tab, a carriage return or a NUL (OWASP's CSV injection; ASVS 1.2.10): an
applicant who names their organisation `=HYPERLINK("http://…")` would otherwise put a link, or
worse, in a supervisor's spreadsheet. Such text gets a leading single quote, in both formats, so a
cell read back from either is the same string; numbers and dates are written as numbers and
dates, never as text a spreadsheet might evaluate.
"""

import csv
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from os import PathLike
from typing import IO, BinaryIO, TextIO

import xlsxwriter

from reporting.exports.policy import Cell, CellKind, PolicedRows

# How often, in rows, a writer reports its progress unless told otherwise.
EVERY = 1000
# An XLSX sheet holds 1,048,576 rows, the headers' among them; xlsxwriter silently skips the rest.
XLSX_MAX_ROWS = 1_048_575

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")

Progress = Callable[[int], object]


def escaped(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _policed(rows: object) -> PolicedRows:
    # `type() is`, not isinstance: nothing that merely looks like policed rows is written.
    if type(rows) is not PolicedRows:
        raise TypeError(
            "Writers take only PolicedRows, from reporting.exports.policy.police(); "
            f"got {type(rows).__name__}."
        )
    return rows


def _reporting(progress: Progress | None, every: int) -> Callable[[int], None]:
    if every < 1:
        raise ValueError("Report progress every one row or more.")

    def report(done: int) -> None:
        if progress is not None and done % every == 0:
            progress(done)

    return report


def _finished(progress: Progress | None, done: int, every: int) -> None:
    # The last count, unless it was just reported: a bar reaches its end exactly once.
    if progress is not None and (done == 0 or done % every):
        progress(done)


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return escaped(cell)
    if isinstance(cell, Decimal):
        return format(cell, "f")  # never "1E+6"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def write_csv(
    policed: PolicedRows, out: TextIO, *, progress: Progress | None = None, every: int = EVERY
) -> int:
    """Write `policed` to `out` (opened with `newline=""`, in UTF-8) as CSV with a byte-order mark,
    which Excel needs to read UTF-8, and a header row; how many rows were written (headers apart).
    `progress(rows_done)` is called every `every` rows and with the last count."""
    rows = _policed(policed)
    report = _reporting(progress, every)
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([escaped(header) for header in rows.headers])
    done = 0
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        done += 1
        report(done)
    _finished(progress, done, every)
    return done


# Column widths, in characters: a sheet in constant-memory mode is written before the longest
# value is known, so each kind has a width that fits what it usually holds.
_WIDTHS = {CellKind.TEXT: 24, CellKind.NUMBER: 10, CellKind.DATE: 12}
_WIDEST = 60

_OPTIONS = {
    "constant_memory": True,  # each row goes to disk as the next begins
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _sheet(name: str) -> str:
    """`name` as Excel allows a sheet to be named: 31 characters at most, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "Export"


def write_xlsx(
    policed: PolicedRows,
    out: BinaryIO | IO[bytes] | str | PathLike[str],
    *,
    progress: Progress | None = None,
    every: int = EVERY,
    sheet_name: str = "Export",
) -> int:
    """Write `policed` to `out` (a path, or a binary file) as an XLSX workbook of one sheet: a bold
    header row that stays in view, text as text, numbers as numbers, dates as dates; how many rows
    were written (headers apart). `progress(rows_done)` is called every `every` rows and with the
    last count. More rows than a sheet holds is an error, not a file cut short."""
    rows = _policed(policed)
    report = _reporting(progress, every)
    workbook = xlsxwriter.Workbook(out, _OPTIONS)
    try:
        sheet = workbook.add_worksheet(_sheet(sheet_name))
        bold = workbook.add_format({"bold": True})
        as_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for number, (header, kind) in enumerate(zip(rows.headers, rows.kinds, strict=True)):
            width = min(max(_WIDTHS[kind], len(header) + 2), _WIDEST)
            sheet.set_column(number, number, width, as_date if kind == CellKind.DATE else None)
            sheet.write_string(0, number, escaped(header), bold)
        sheet.freeze_panes(1, 0)
        done = 0
        for done, row in enumerate(rows, start=1):
            if done > XLSX_MAX_ROWS:
                raise ValueError(f"More than {XLSX_MAX_ROWS:,} rows: too many for one sheet.")
            for number, cell in enumerate(row):
                if cell is None or cell == "":
                    continue  # blank, as a spreadsheet has it
                if isinstance(cell, str):
                    sheet.write_string(done, number, escaped(cell))
                elif isinstance(cell, date):
                    sheet.write_datetime(done, number, cell, as_date)
                else:
                    sheet.write_number(done, number, float(cell))
            report(done)
    finally:
        workbook.close()
    _finished(progress, done, every)
    return done
