"""Forms of the queue: its filters, claiming and assigning. They validate; they decide nothing."""

import hashlib

from django import forms
from django.http import QueryDict

from recordkeepers.models import RiskFlag, SizeClass, User
from reviews.selectors import QUEUE_STATUSES, QueueFilters

EMPTY = [("", "Any")]


def filters_fragment_key(data: QueryDict | None) -> str:
    """A key for the filter form's rendered HTML and what it cleans the values to (the queue's
    `FiltersForm`): all they depend on but the reviewers offered (whose cache version the queue
    keys it by too: `reviews.selectors.PEOPLE`), that is whether filters were asked for and
    their values. Making, validating and rendering the form is a fifth of a filtered page's
    Python time (docs/benchmarks.md)."""
    values = [str(bool(data))] + [
        (data or {}).get(name, "") for name in QueueFilterForm.base_fields
    ]
    return "queue-filter-form:" + hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


class QueueFilterForm(forms.Form):
    """The queue's filters, from the query string; an invalid value is ignored with a message."""

    search = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Reference, legal name or importer number.",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=EMPTY + [(s.value, s.label) for s in QUEUE_STATUSES],
    )
    size_class = forms.ChoiceField(
        label="Size", required=False, choices=EMPTY + list(SizeClass.choices)
    )
    risk_flag = forms.ChoiceField(
        label="Risk flag", required=False, choices=EMPTY + list(RiskFlag.choices)
    )
    port = forms.RegexField(
        label="Port",
        required=False,
        regex=r"^\d{4}$",
        help_text="4-digit Schedule D code.",
        error_messages={"invalid": "Enter a port as 4 digits, for example 2704."},
    )
    assigned = forms.ChoiceField(label="Assigned", required=False)
    older_than_days = forms.IntegerField(
        label="Waiting at least (days)", required=False, min_value=1, max_value=3650
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("priority", "Priority"),
            ("age", "Longest waiting"),
            ("volume", "Import volume"),
        ],
    )

    def __init__(self, *args, reviewers: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned"].choices = [
            ("", "Anyone or no one"),
            ("me", "Me"),
            ("unassigned", "No one yet"),
            ("others", "Someone else"),
        ] + [(str(pk), name) for pk, name in reviewers]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            valid = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            valid = self.cleaned_data
        return QueueFilters(**{k: v for k, v in valid.items() if v not in (None, "")})


class ClaimForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    no_conflict = forms.BooleanField(
        label=(
            "I have no conflict of interest with this organization: no financial or family "
            "interest, no past employment or business relationship, and no other reason my "
            "review could be questioned."
        ),
        required=False,
    )


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label="Your conflict of interest",
        help_text=(
            "What links you to this organization: for example a family member who works there, "
            "a past job, or a financial interest. Your supervisor reads this when reassigning it."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the conflict of interest is."},
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the reviewer."},
    )
    override_reason = forms.CharField(
        label="Why a link to the organization is not a conflict (only if one is found)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
