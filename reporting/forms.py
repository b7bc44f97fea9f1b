"""The dashboard's filters and the request for an export. They validate; they decide nothing."""

from datetime import date, timedelta

from django import forms

from recordkeepers.models import SizeClass
from reporting.filters import ReportFilters
from reporting.models import ExportFormat

# The longest period a figure or an export covers: weekly figures past two years stop being read.
LONGEST_PERIOD_DAYS = 2 * 366
# What the dashboard shows before anyone filters: the last thirteen weeks.
DEFAULT_WEEKS = 13


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), today


class ReportFilterForm(forms.Form):
    """The period, size class and reviewer every figure and export is narrowed to."""

    start = forms.DateField(
        label="From",
        help_text="The first day counted.",
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the first day as a date, like 03/02/2026."},
    )
    end = forms.DateField(
        label="To",
        help_text="The last day counted, today at the latest.",
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the last day as a date, like 05/31/2026."},
    )
    size_class = forms.ChoiceField(
        label="Size class", required=False, choices=[("", "All sizes"), *SizeClass.choices]
    )
    reviewer = forms.TypedChoiceField(
        label="Reviewer", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, reviewers: list[tuple[int, str]], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["reviewer"].choices = [("", "All reviewers")] + [
            (str(pk), name) for pk, name in reviewers
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "Enter a last day on or after the first day.")
            elif (end - start).days >= LONGEST_PERIOD_DAYS:
                self.add_error("start", "Choose a period of two years or less.")
            if end > self.today:
                self.add_error("end", "Enter a last day no later than today.")
        return cleaned

    def report_filters(self) -> ReportFilters:
        """The filters as given; call after `is_valid()`."""
        return ReportFilters(
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            size_class=self.cleaned_data.get("size_class") or "",
            reviewer_id=self.cleaned_data.get("reviewer"),
        )


class ExportRequestForm(forms.Form):
    """Which export, in which format: the filters come with it as the dashboard showed them."""

    dataset = forms.ChoiceField(label="What to export")
    format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, datasets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = datasets


class QueueExportForm(forms.Form):
    """The format of an export asked from the queue page (reporting.queue_export): the queue's
    filters come with it, validated by the queue's own filter form."""

    format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )
