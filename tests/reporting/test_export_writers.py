"""The CSV and XLSX writers: only policed rows, formulas never run, numbers and dates kept as
such, progress reported; and a real export of each format opened back, its rows, escaping and
the masking of a Social Security number checked in the file itself."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from certification.demo import DEMO_SOCIAL_SECURITY_NUMBER
from recordkeepers.models import Membership
from recordkeepers.services import organisation_update_profile
from reporting.exports import export_write, police, write_csv, write_xlsx
from reporting.exports.datasets import Column
from reporting.exports.policy import CellKind
from reporting.filters import ReportFilters
from tests.factories import MembershipFactory, OrganisationFactory, decide, draft_application

TEXT, NUMBER, DATE = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE

COLUMNS = [
    Column("participant.legal_name", "Legal name", TEXT, "name"),
    Column("participant.open_reports", "Open reports", NUMBER, "open"),
    Column("participant.certified_on", "Certified", DATE, "certified"),
    Column("participant.action_overdue", "Overdue", TEXT, "overdue"),
    Column("participant.terms", "Terms", TEXT, "terms"),  # omitted by the policy
]

# Each text, and how a spreadsheet must get it back: a leading single quote where the text would
# otherwise be run as a formula.
TRICKY = [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+1", "'+1"),
    ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("\rReturn", "'\rReturn"),
    ("Plain = fine", "Plain = fine"),
    ("O'Brien & Sons", "O'Brien & Sons"),
]


def _policed(rows: list[dict] | None = None):
    if rows is None:
        rows = [
            {
                "participant.legal_name": text,
                "participant.open_reports": -2,  # a number: stays a number, never escaped
                "participant.certified_on": date(2026, 3, 2),
                "participant.action_overdue": False,
                "participant.terms": "=SECRET()",
            }
            for text, _ in TRICKY
        ]
    return police(columns=COLUMNS, rows=rows)


def _csv(policed) -> tuple[bytes, list[list[str]]]:
    out = io.StringIO(newline="")
    write_csv(policed, out)
    data = out.getvalue().encode("utf-8")
    return data, list(csv.reader(io.StringIO(out.getvalue()[1:], newline="")))


def _as_excel_reads(value):
    """A cell's text as Excel reads it: OOXML writes control characters as "_x000D_", which Excel
    turns back into the character and openpyxl leaves as written."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match[1], 16)), value)


def _xlsx(policed) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_xlsx(policed, out)
    out.seek(0)
    return openpyxl.load_workbook(out)


class Lookalike:
    headers = ("Legal name",)
    kinds = (TEXT,)

    def __iter__(self):
        return iter([("=1+1",)])


@pytest.mark.parametrize(
    "unpoliced",
    [
        [("Legal name",), ("=1+1",)],
        ({"participant.legal_name": "=1+1"} for _ in range(1)),
        {"headers": ("Legal name",), "rows": [("=1+1",)]},
        Lookalike(),
    ],
)
def test_writers_refuse_rows_the_policy_did_not_make(unpoliced):
    with pytest.raises(TypeError):
        write_csv(unpoliced, io.StringIO())
    with pytest.raises(TypeError):
        write_xlsx(unpoliced, io.BytesIO())


def test_csv_is_utf8_with_a_byte_order_mark_headers_and_escaped_text():
    data, lines = _csv(_policed())
    assert data.startswith(b"\xef\xbb\xbf")  # what Excel needs to read UTF-8
    assert lines[0] == ["Legal name", "Open reports", "Certified", "Overdue"]
    assert [line[0] for line in lines[1:]] == [escaped for _, escaped in TRICKY]
    assert {tuple(line[1:]) for line in lines[1:]} == {("-2", "2026-03-02", "No")}
    assert b"SECRET" not in data


def test_xlsx_writes_text_as_text_numbers_as_numbers_and_dates_as_dates():
    sheet = _xlsx(_policed()).active
    assert [cell.value for cell in sheet[1]] == [
        "Legal name",
        "Open reports",
        "Certified",
        "Overdue",
    ]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [_as_excel_reads(cell.value) for cell in names] == [escaped for _, escaped in TRICKY]
    assert {cell.data_type for cell in names} == {"s"}
    numbers = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.value, cell.data_type) for cell in numbers} == {(-2, "n")}
    days = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value.date() for cell in days} == {date(2026, 3, 2)}
    assert all(cell.is_date for cell in days)
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_both_formats_give_back_the_same_strings():
    _, lines = _csv(_policed())
    sheet = _xlsx(_policed()).active
    from_xlsx = [
        [_as_excel_reads(cell.value) for cell in row]
        for row in sheet.iter_rows(min_row=2, max_col=1)
    ]
    assert [[line[0]] for line in lines[1:]] == from_xlsx


def test_empty_cells_money_and_lists():
    rows = [
        {
            "participant.legal_name": None,
            "participant.open_reports": Decimal("1250000.50"),
            "participant.certified_on": None,
            "participant.action_overdue": ["-a", "b"],
        }
    ]
    _, lines = _csv(_policed(rows))
    assert lines[1] == ["", "1250000.50", "", "'-a; b"]
    sheet = _xlsx(_policed(rows)).active
    assert [cell.value for cell in sheet[2]] == [None, 1250000.5, None, "'-a; b"]


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_progress_is_reported_every_n_rows_and_at_the_end(writer):
    rows = [
        {
            "participant.legal_name": f"Importer {n}",
            "participant.open_reports": n,
            "participant.certified_on": None,
            "participant.action_overdue": None,
        }
        for n in range(5)
    ]
    seen: list[int] = []
    if writer == "csv":
        written = write_csv(_policed(rows), io.StringIO(), progress=seen.append, every=2)
    else:
        written = write_xlsx(_policed(rows), io.BytesIO(), progress=seen.append, every=2)
    assert written == 5
    assert seen == [2, 4, 5]


def test_xlsx_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    from reporting.exports import writers

    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)
    rows = [
        {
            "participant.legal_name": "x",
            "participant.open_reports": 1,
            "participant.certified_on": None,
            "participant.action_overdue": None,
        }
    ] * 4
    with pytest.raises(ValueError, match="too many"):
        write_xlsx(_policed(rows), io.BytesIO())


# --- A real export, opened back ------------------------------------------------------------------


@pytest.fixture
def decided_tricky(owner_a, reviewer, supervisor, handbook_in_force, letter_templates):
    """Four certified organisations whose names a spreadsheet would run as formulas, the first of
    which imports under a Social Security number beside its IRS number."""
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]
    owners = [owner_a] + [
        MembershipFactory(
            organisation=OrganisationFactory(),
            role=Membership.Role.OWNER,
            user__email=f"owner@importer{n}.example",
        ).user
        for n in range(3)
    ]
    for owner, name in zip(owners, names, strict=True):
        application = draft_application(owner=owner)
        data = {"legal_name": name}
        if owner is owner_a:
            data["importer_numbers"] = ["27-100000100", DEMO_SOCIAL_SECURITY_NUMBER]
        organisation_update_profile(organisation=application.organisation, actor=owner, data=data)
        decide(owner=owner, reviewer=reviewer, supervisor=supervisor, application=application)
    return names


def _today() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(start=today - timedelta(days=1), end=today)


def _clear_number_absent(data: bytes) -> None:
    clear = [
        DEMO_SOCIAL_SECURITY_NUMBER.encode(),
        DEMO_SOCIAL_SECURITY_NUMBER.replace("-", "").encode(),
    ]
    parts = [data]
    if data.startswith(b"PK"):  # the workbook's parts, unzipped: the number is looked for in each
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    for part in parts:
        assert not [number for number in clear if number in part]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("key", ["decisions", "register"])
def test_a_csv_export_opened_back(decided_tricky, supervisor, key):
    out = io.BytesIO()
    assert export_write(user=supervisor, key=key, filters=_today(), format="csv", out=out) == 4
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by_name = {line["Legal name"]: line for line in lines}
    assert sorted(by_name) == sorted(['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"])
    assert by_name['\'=HYPERLINK("http://x")']["Importer numbers"] == "27-100000100; XXX-XX-1947"
    assert by_name["'+1"]["Importer numbers"] == "27-100000100"
    assert {line["Size class"] for line in lines} == {"Small"}
    today = timezone.localdate().isoformat()
    date_header = "Decided" if key == "decisions" else "Certified"
    assert {line[date_header] for line in lines} == {today}
    _clear_number_absent(data)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("key", ["decisions", "register"])
def test_an_xlsx_export_opened_back(decided_tricky, supervisor, key):
    out = io.BytesIO()
    progress: list[tuple] = []
    written = export_write(
        user=supervisor,
        key=key,
        filters=_today(),
        format="xlsx",
        out=out,
        progress=lambda *args: progress.append(args),
        every=2,
    )
    assert written == 4
    assert progress == [(0, 4), (2,), (4,)]  # counted first, then every 2 rows
    data = out.getvalue()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    by_name = {row["Legal name"].value: row for row in rows}
    assert sorted(by_name) == sorted(['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)"])
    assert {row["Legal name"].data_type for row in rows} == {"s"}
    numbers = by_name['\'=HYPERLINK("http://x")']["Importer numbers"]
    assert (numbers.value, numbers.data_type) == ("27-100000100; XXX-XX-1947", "s")
    date_header = "Decided" if key == "decisions" else "Certified"
    assert {row[date_header].value.date() for row in rows} == {timezone.localdate()}
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    _clear_number_absent(data)
