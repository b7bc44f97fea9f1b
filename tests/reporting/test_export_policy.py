"""The export policy: one table decides every field an export may carry, a column it does not know
stops the service, what it omits never reaches the rows the writers take, and what it masks leaves
a Social Security number only by its last four digits."""

import csv
import io
import itertools
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from certification.demo import DEMO_SOCIAL_SECURITY_NUMBER
from reporting.exports import DATASETS, POLICY, PolicedRows, Treatment, export_write, police
from reporting.exports.datasets import Column, Dataset
from reporting.exports.policy import CellKind, UnpolicedField, mask_text
from reporting.filters import ReportFilters

# Six organisations, each at a stage of the program, as the datasets' tests build them.
from tests.reporting.test_export_datasets import seeded  # noqa: F401

TEXT, NUMBER, DATE = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE


def _this_week() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(start=today - timedelta(days=6), end=today)


def test_every_column_of_every_dataset_has_a_policy_entry():
    unpoliced = [
        (key, column.field)
        for key, dataset in DATASETS.items()
        for column in dataset.columns
        if column.field not in POLICY
    ]
    assert unpoliced == []


def test_everything_not_exported_as_it_is_says_why():
    assert [
        field
        for field, rule in POLICY.items()
        if rule.treatment != Treatment.INCLUDE and not rule.reason.strip()
    ] == []


def test_importer_numbers_are_masked_and_their_sealed_forms_and_digests_left_out():
    assert POLICY["profile.importer_numbers"].treatment == Treatment.MASK
    assert POLICY["participant.importer_numbers"].treatment == Treatment.MASK
    for field in (
        "profile.sealed_importer_numbers",
        "profile.importer_number_digests",
        "application.search_text",
        "participant.search_text",
        "report.what_happened",
        "report.closing_note",
        "decision.reasons_text",
    ):
        assert POLICY[field].treatment == Treatment.OMIT, field


def test_a_dataset_with_a_column_the_policy_does_not_know_fails_when_defined():
    with pytest.raises(UnpolicedField, match=r"application\.colour"):
        Dataset(
            key="colours",
            title="Colours",
            description="",
            audience=lambda user: True,
            query=lambda **kwargs: None,  # never reached
            columns=(
                Column("application.reference", "Reference", TEXT, "reference"),
                Column("application.colour", "Colour", TEXT, "colour"),
            ),
        )
    assert issubclass(UnpolicedField, ImproperlyConfigured)


def test_policing_a_column_the_policy_does_not_know_fails():
    with pytest.raises(UnpolicedField):
        police(columns=[Column("secret.sauce", "Sauce", TEXT, "sauce")], rows=[])


@pytest.mark.parametrize("key", list(DATASETS))
def test_omitted_columns_never_reach_the_policed_rows(key):
    """Rows carrying a value for every column, omitted ones too (as a careless dataset might):
    the policed headers and cells hold only the included and masked ones."""
    dataset = DATASETS[key]
    samples = {TEXT: "text", NUMBER: 7, DATE: date(2026, 3, 2)}
    row = {column.field: samples[column.kind] for column in dataset.columns}
    for column in dataset.columns:
        if POLICY[column.field].treatment == Treatment.OMIT:
            row[column.field] = f"SECRET {column.field}"
    policed = police(columns=dataset.columns, rows=[row])
    omitted = [c for c in dataset.columns if POLICY[c.field].treatment == Treatment.OMIT]
    kept = [c for c in dataset.columns if POLICY[c.field].treatment != Treatment.OMIT]
    assert omitted, "each dataset names the free text it leaves out"
    assert policed.headers == tuple(column.header for column in kept)
    assert policed.kinds == tuple(column.kind for column in kept)
    [cells] = list(policed)
    assert len(cells) == len(kept)
    assert not [cell for cell in cells if isinstance(cell, str) and cell.startswith("SECRET")]


def test_masking_leaves_a_social_security_number_only_by_its_last_four_digits():
    columns = [Column("profile.importer_numbers", "Importer numbers", TEXT, "numbers")]
    rows = [
        {"profile.importer_numbers": ["27-100000100", "XXX-XX-1947"]},  # as the service keeps them
        {"profile.importer_numbers": ["27-100000100", DEMO_SOCIAL_SECURITY_NUMBER]},  # in clear
        {"profile.importer_numbers": "951234-56789"},
        {"profile.importer_numbers": None},
    ]
    assert list(police(columns=columns, rows=rows)) == [
        ("27-100000100; XXX-XX-1947",),
        ("27-100000100; XXX-XX-1947",),
        ("951234-56789",),
        (None,),
    ]


def test_masking_finds_a_social_security_number_inside_text():
    assert mask_text("536-22-1947") == "XXX-XX-1947"
    assert mask_text("IRS 27-100000100, SSN 536-22-1947.") == "IRS 27-100000100, SSN XXX-XX-1947."
    assert mask_text("XXX-XX-1947") == "XXX-XX-1947"
    # Not a Social Security number: part of a longer run of digits.
    assert mask_text("1536-22-19470") == "1536-22-19470"


def test_an_included_column_is_not_masked():
    columns = [Column("participant.legal_name", "Legal name", TEXT, "name")]
    rows = [{"participant.legal_name": "Smith 536-22-1947 Imports"}]
    assert list(police(columns=columns, rows=rows)) == [("Smith 536-22-1947 Imports",)]


def test_cells_are_checked_against_their_column():
    text = Column("participant.legal_name", "Legal name", TEXT, "name")
    number = Column("participant.open_reports", "Open reports", NUMBER, "open")
    day = Column("participant.certified_on", "Certified", DATE, "certified")
    columns = [text, number, day]

    def policed(**row) -> list:
        fields = {
            "participant.legal_name": "Acme",
            "participant.open_reports": 1,
            "participant.certified_on": date(2026, 3, 2),
        }
        return list(police(columns=columns, rows=[fields | row]))

    assert policed() == [("Acme", 1, date(2026, 3, 2))]
    assert policed(**{"participant.legal_name": True}) == [("Yes", 1, date(2026, 3, 2))]
    assert policed(**{"participant.open_reports": Decimal("2.50")}) == [
        ("Acme", Decimal("2.50"), date(2026, 3, 2))
    ]
    for wrong in (
        {"participant.legal_name": {"sealed_importer_numbers": "gAAAA..."}},  # never a dict
        {"participant.open_reports": "3"},
        {"participant.open_reports": True},
        {"participant.certified_on": datetime(2026, 3, 2, 23, 30)},  # which day is the dataset's
        {"participant.certified_on": "2026-03-02"},
    ):
        with pytest.raises(TypeError):
            policed(**wrong)
    with pytest.raises(KeyError):
        list(police(columns=columns, rows=[{"participant.legal_name": "Acme"}]))


def test_a_masked_field_must_be_text():
    with pytest.raises(ImproperlyConfigured):
        police(columns=[Column("profile.importer_numbers", "Numbers", NUMBER, "n")], rows=[])


def test_policed_rows_are_made_only_by_the_policy_and_read_once():
    with pytest.raises(TypeError):
        PolicedRows(object(), headers=("Reference",), kinds=(TEXT,), rows=iter([("x",)]))
    with pytest.raises(TypeError):

        class Lookalike(PolicedRows):  # defining it is what fails
            pass

    policed = police(
        columns=[Column("application.reference", "Reference", TEXT, "reference")],
        rows=[{"application.reference": "RKCP-2026-000001"}],
    )
    assert list(policed) == [("RKCP-2026-000001",)]
    with pytest.raises(RuntimeError):
        list(policed)


# --- Every export path, written: what the policy lets out, and nothing else ----------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_export_writes_exactly_the_columns_the_policy_lets_out(seeded):  # noqa: F811
    """A new dataset, or a new way of writing one, that bypasses the policy fails here: for every
    dataset in both formats, the file's headers are the columns the policy includes or masks."""
    for key, format in itertools.product(DATASETS, ("csv", "xlsx")):
        dataset = DATASETS[key]
        let_out = (Treatment.INCLUDE, Treatment.MASK)
        expected = [c.header for c in dataset.columns if POLICY[c.field].treatment in let_out]
        out = io.BytesIO()
        written = export_write(
            user=seeded.people["admin"], key=key, filters=_this_week(), format=format, out=out
        )
        assert written >= 1, key  # the program has a row of each
        if format == "csv":
            lines = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
        else:
            sheet = openpyxl.load_workbook(out, read_only=True).active
            lines = [list(line) for line in sheet.iter_rows(values_only=True)]
        assert lines[0] == expected, (key, format)
        assert len(lines) == written + 1, (key, format)
        assert {len(line) for line in lines} == {len(expected)}, (key, format)


@pytest.mark.postgres
@pytest.mark.django_db
def test_free_text_the_policy_omits_never_reaches_a_file(seeded):  # noqa: F811
    secrets = [
        "Our clerk shredded the March invoices.",  # what happened
        "Asked the supplier for copies.",  # the action taken
        "Revise SOP-08.",  # a corrective action asked for
        "Three failures to produce this year.",  # a removal's reasons
        "We do have a procedure.",  # an appeal's statement
        "The commercial invoice.",  # the record demanded
        "No procedure for producing records",  # a denial's reasons
    ]
    for key, format in itertools.product(DATASETS, ("csv", "xlsx")):
        out = io.BytesIO()
        export_write(
            user=seeded.people["admin"], key=key, filters=_this_week(), format=format, out=out
        )
        if format == "csv":
            parts = [out.getvalue()]
        else:
            with zipfile.ZipFile(out) as archive:
                parts = [archive.read(name) for name in archive.namelist()]
        found = [secret for secret in secrets for part in parts if secret.encode() in part]
        assert found == [], (key, format)
