"""The six demonstration steps' forms, 19 CFR 163.12(b)(3)(i)-(vi)."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError

from certification.completeness import QUESTIONS
from certification.wizard.forms import DATE_FORMAT, DemonstrationForm, _date, _text
from common.conditional import ShownWhen

RECORD_TYPES = [
    ("entry", "Entry and entry summary records (CBP Forms 3461 and 7501)"),
    ("invoices", "Commercial invoices"),
    ("transport", "Bills of lading and air waybills"),
    ("packing", "Packing lists"),
    ("payment", "Purchase orders and proof of payment"),
    ("preference", "Free trade agreement or special program support"),
    ("drawback", "Drawback records"),
    ("ftz", "Foreign-trade zone or bonded warehouse records"),
    ("pga", "Partner government agency documents"),
]


class UnderstandingForm(DemonstrationForm):
    """(i) Which records the law requires, and for how long."""

    record_types = forms.MultipleChoiceField(
        label=QUESTIONS["record_types"],
        help_text="Tick each kind your business creates or receives for its imports.",
        choices=RECORD_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    retention_schedule = _text(
        QUESTIONS["retention_schedule"],
        help_text=(
            "How long you keep each kind of record and from when. The general rule is 5 years from "
            "the date of entry (19 CFR 163.4)."
        ),
    )
    policy = forms.CharField(
        label=QUESTIONS["policy"],
        help_text="Its title, date and who approved it.",
        required=False,
        max_length=300,
    )
    field_order = ["record_types", "retention_schedule", "policy", "narrative", "evidence"]


class EmployeeProceduresForm(DemonstrationForm):
    """(ii) How employees who prepare, keep and produce records learn the requirements."""

    FREQUENCIES = [
        ("", "Choose how often"),
        ("hire", "Only when someone joins"),
        ("annual", "Once a year"),
        ("semiannual", "Twice a year"),
        ("quarterly", "Every three months"),
        ("monthly", "Every month or more often"),
    ]

    training_audience = _text(
        QUESTIONS["training_audience"],
        help_text="The roles that prepare, keep or produce records, and how many people in each.",
    )
    training_frequency = forms.ChoiceField(
        label=QUESTIONS["training_frequency"], choices=FREQUENCIES, required=False
    )
    last_training = _date(QUESTIONS["last_training"])
    training_materials = _text(
        "Training materials and records of attendance",
        help_text="What the training uses (manuals, slides, CBP guidance) and how attendance is recorded.",
    )
    date_fields = ("last_training",)
    field_order = [
        "training_audience",
        "training_frequency",
        "last_training",
        "training_materials",
        "narrative",
        "evidence",
    ]

    def clean_last_training(self):
        value = self.cleaned_data.get("last_training")
        if value and value > date.today():
            raise ValidationError("The last training session must be today or in the past.")
        return value


class RecordsForm(DemonstrationForm):
    """(iii) How records are prepared, kept and produced to CBP."""

    procedures = _text(
        QUESTIONS["procedures"],
        help_text="The titles of the standard operating procedures for preparing and keeping records.",
    )
    record_linking = _text(
        QUESTIONS["record_linking"],
        help_text="How you find the purchase order, invoice and payment behind an entry number.",
    )
    storage = _text(QUESTIONS["storage"], help_text="Systems and places, paper and electronic.")
    retrieval_days = forms.IntegerField(
        label=QUESTIONS["retrieval_days"],
        help_text="Your target, in calendar days, after a demand such as CBP Form 28.",
        required=False,
        min_value=1,
        max_value=365,
        error_messages={
            "min_value": "Enter a number of days from 1 to 365.",
            "max_value": "Enter a number of days from 1 to 365.",
            "invalid": "Enter a whole number of days, for example 10.",
        },
    )
    broker_oversight = _text(
        "How you work with your customs brokers",
        help_text="Which records your brokers keep for you and how you check them.",
    )
    field_order = [
        "procedures",
        "record_linking",
        "storage",
        "retrieval_days",
        "broker_oversight",
        "narrative",
        "evidence",
    ]


class IndividualsForm(DemonstrationForm):
    """(iv) The answers beside the designated individuals, who are a formset of their own."""

    staying_current = _text(
        QUESTIONS["staying_current"],
        help_text="For example: CSMS messages, trade seminars, broker updates, a licensed broker on staff.",
    )
    field_order = ["staying_current", "narrative", "evidence"]


class RecordMaintenanceForm(DemonstrationForm):
    """(v) Originals, or an alternative method adopted under 19 CFR 163.5(b)."""

    METHODS = [
        ("paper", "We keep the original records on paper"),
        ("electronic", "We keep the original records in electronic form"),
        ("alternative", "We use an alternative method under 19 CFR 163.5(b)"),
    ]
    STANDARDS = [
        ("procedures", "Written procedures for the method"),
        ("indexing", "Indexing that lets records be found and retrieved"),
        ("legible", "Legible reproductions of the originals"),
        ("originals_kept", "Originals kept for 120 days after release before they are destroyed"),
    ]
    NOTICE_DAYS = 30

    method = forms.ChoiceField(
        label=QUESTIONS["method"],
        choices=METHODS,
        required=False,
        widget=forms.RadioSelect,
    )
    alternative_description = _text(
        QUESTIONS["alternative_description"],
        help_text="Only if you use an alternative method: the system or medium (for example, scanned images in a document system).",
    )
    notice_date = _date(
        QUESTIONS["notice_date"],
        help_text="Only for an alternative method: when you told CBP Regulatory Audit in writing. For example: 10/01/2026",
    )
    implementation_date = _date(
        QUESTIONS["implementation_date"],
        help_text=(
            "Only for an alternative method: at least 30 days after the notice. "
            "For example: 11/02/2026"
        ),
    )
    standards = forms.MultipleChoiceField(
        label="Which standards of 19 CFR 163.5(b)(2) does your method meet?",
        help_text="Only for an alternative method.",
        choices=STANDARDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cbp_objection = _text(
        "Has CBP objected to the method?",
        help_text=(
            "Only for an alternative method. If CBP objected, say when and how it was resolved. "
            "Leave blank if it has not."
        ),
    )
    backups = _text(
        "Backups and legibility checks",
        help_text="How records are backed up and how you check copies stay legible.",
    )
    date_fields = ("notice_date", "implementation_date")
    shown_when = {
        name: ShownWhen("method", ("alternative",))
        for name in (
            "alternative_description",
            "notice_date",
            "implementation_date",
            "standards",
            "cbp_objection",
        )
    }
    field_order = [
        "method",
        "alternative_description",
        "notice_date",
        "implementation_date",
        "standards",
        "cbp_objection",
        "backups",
        "narrative",
        "evidence",
    ]

    def clean(self):
        cleaned = super().clean()
        notice, start = cleaned.get("notice_date"), cleaned.get("implementation_date")
        if notice and start and start - notice < timedelta(days=self.NOTICE_DAYS):
            self.add_error(
                "implementation_date",
                f"The method can be used only from {self.NOTICE_DAYS} days after the notice to "
                f"CBP: {(notice + timedelta(days=self.NOTICE_DAYS)).strftime(DATE_FORMAT)} or later.",
            )
        return cleaned


class ReportingForm(DemonstrationForm):
    """(vi) Finding and reporting variances and violations, and correcting them."""

    TESTING = [
        ("", "Choose how often"),
        ("none", "We do not test ourselves yet"),
        ("annual", "Once a year"),
        ("semiannual", "Twice a year"),
        ("quarterly", "Every three months"),
        ("monthly", "Every month or more often"),
    ]

    detection = _text(
        QUESTIONS["detection"],
        help_text="For example: missing or late records found by reconciliation or self-testing.",
    )
    escalation = _text(QUESTIONS["escalation"])
    reporting = _text(
        QUESTIONS["reporting"],
        help_text="The person or role that notifies CBP, how, and within how many days.",
    )
    corrective_action = _text(
        QUESTIONS["corrective_action"],
        help_text="Including how corrective actions are logged and followed up.",
    )
    self_testing = forms.ChoiceField(
        label="How often you test your own recordkeeping", choices=TESTING, required=False
    )
    field_order = [
        "detection",
        "escalation",
        "reporting",
        "corrective_action",
        "self_testing",
        "narrative",
        "evidence",
    ]
