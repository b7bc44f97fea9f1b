"""Forms of the applicant's wizard. They validate and normalise what was typed; they decide nothing.

Every field is optional while the application is a draft, so that a half-finished step can be saved
and finished another day. What a complete application needs is listed by each form's
`needed_for_submission` and checked on "Check your answers" (see `certification.wizard`).
"""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from certification.models import Application, DesignatedIndividual

NARRATIVE_MAX = 20_000
TEXT_MAX = 5_000
DATE_FORMAT = "%m/%d/%Y"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the evidence service when it is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def _text(label: str, *, help_text: str = "", max_length: int = TEXT_MAX, rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        strip=False,  # stored as typed; surrounding space is trimmed when shown
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, *, help_text: str = "For example: 10/01/2026") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the date as month/day/year, for example 10/01/2026."},
    )


def _to_json(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


class VersionedForm(forms.Form):
    """Carries the version of the application the person was looking at, to refuse stale saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DemonstrationForm(VersionedForm):
    """One demonstration's structured answers, its narrative and new evidence files."""

    # Field names whose answers a complete application needs, besides the narrative.
    needed_for_submission: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()

    narrative = forms.CharField(
        label="In your own words",
        help_text="Anything else a CBP reviewer should know about how you meet this requirement.",
        required=False,
        max_length=NARRATIVE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence = MultipleFileField(
        label="Add evidence files",
        required=False,
        help_text=(
            "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text files. You can choose "
            "several files at once."
        ),
    )

    @classmethod
    def initial_from(cls, *, answers: dict, narrative: str, version: int) -> dict:
        initial = {"narrative": narrative, "version": version}
        for name, value in answers.items():
            if name in cls.date_fields and value:
                value = date.fromisoformat(value)
            initial[name] = value
        return initial

    @property
    def answer_names(self) -> list[str]:
        return [name for name in self.fields if name not in {"narrative", "evidence", "version"}]

    def valid_answers(self, *, previous: dict) -> dict:
        """The answers to store: what cleaned, and for a field that did not, what was stored before.

        Called after `is_valid()`, so a step with one mistake still keeps every other value.
        """
        cleaned = getattr(self, "cleaned_data", {})
        answers = {}
        for name in self.answer_names:
            if name in cleaned and name not in self.errors:
                value = cleaned[name]
                answers[name] = (
                    [_to_json(v) for v in value] if isinstance(value, list) else _to_json(value)
                )
            elif name in previous:
                answers[name] = previous[name]
        return answers

    @classmethod
    def missing(cls, answers: dict, narrative: str) -> list[str]:
        """Labels of what a complete application still lacks in this step."""
        fields = cls.base_fields
        return [
            str(fields[name].label)
            for name in cls.needed_for_submission
            if answers.get(name) in (None, "", [])
            or (isinstance(answers.get(name), str) and not answers[name].strip())
        ]


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
        label="Which kinds of records do you keep?",
        help_text="Tick each kind your business creates or receives for its imports.",
        choices=RECORD_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    retention_schedule = _text(
        "Your retention schedule",
        help_text=(
            "How long you keep each kind of record and from when. The general rule is 5 years from "
            "the date of entry (19 CFR 163.4)."
        ),
    )
    policy = forms.CharField(
        label="Your written recordkeeping policy",
        help_text="Its title, date and who approved it.",
        required=False,
        max_length=300,
    )
    needed_for_submission = ("record_types", "retention_schedule", "policy")
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
        "Who is trained",
        help_text="The roles that prepare, keep or produce records, and how many people in each.",
    )
    training_frequency = forms.ChoiceField(
        label="How often training is given", choices=FREQUENCIES, required=False
    )
    last_training = _date("Date of the last training session")
    training_materials = _text(
        "Training materials and records of attendance",
        help_text="What the training uses (manuals, slides, CBP guidance) and how attendance is recorded.",
    )
    needed_for_submission = ("training_audience", "training_frequency", "last_training")
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
        "Your written procedures",
        help_text="The titles of the standard operating procedures for preparing and keeping records.",
    )
    record_linking = _text(
        "How your records are linked",
        help_text="How you find the purchase order, invoice and payment behind an entry number.",
    )
    storage = _text(
        "Where records are stored", help_text="Systems and places, paper and electronic."
    )
    retrieval_days = forms.IntegerField(
        label="Days you need to produce records when CBP asks",
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
    needed_for_submission = ("procedures", "record_linking", "storage", "retrieval_days")
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
        "How they keep current with CBP's requirements",
        help_text="For example: CSMS messages, trade seminars, broker updates, a licensed broker on staff.",
    )
    needed_for_submission = ("staying_current",)
    field_order = ["staying_current", "narrative", "evidence"]


class DesignatedIndividualForm(forms.ModelForm):
    class Meta:
        model = DesignatedIndividual
        fields = ["kind", "name", "title", "email", "phone", "duties", "qualifications"]
        labels = {
            "kind": "Primary or backup",
            "name": "Full name",
            "title": "Job title",
            "email": "Email address",
            "phone": "Phone number",
            "duties": "Their recordkeeping duties",
            "qualifications": "Qualifications",
        }
        help_texts = {
            "phone": "Including the area code, for example 202-555-0143.",
            "qualifications": "For example: licensed customs broker, years in import compliance.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "duties": forms.Textarea(attrs={"rows": 3}),
            "qualifications": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DesignatedIndividual.Kind.choices
        for name, message in {
            "name": "Enter the person's full name.",
            "title": "Enter the person's job title.",
            "email": "Enter the person's email address.",
            "phone": "Enter the person's phone number.",
            "duties": "Describe the person's recordkeeping duties.",
            "kind": "Choose whether the person is the primary or a backup.",
        }.items():
            self.fields[name].error_messages["required"] = message
        for name in ("duties", "qualifications"):
            # The model's TextField has no limit; setting max_length on a built field adds no
            # validator, so the limit is checked by one of its own.
            self.fields[name].max_length = TEXT_MAX
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        digits = [c for c in phone if c.isdigit()]
        if not 10 <= len(digits) <= 15:
            raise ValidationError(
                "Enter a phone number with 10 to 15 digits, for example 202-555-0143."
            )
        return phone


class BaseDesignatedIndividualFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this person"


DesignatedIndividualFormSet = forms.modelformset_factory(
    DesignatedIndividual,
    form=DesignatedIndividualForm,
    formset=BaseDesignatedIndividualFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
    # Django's default builds up to max_num + 1000 forms for a tampered TOTAL_FORMS, and this page
    # renders each: seconds of work for one request. More than ten is refused with a message.
    absolute_max=10,
)


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
        label="How do you keep your records?",
        choices=METHODS,
        required=False,
        widget=forms.RadioSelect,
    )
    alternative_description = _text(
        "The alternative method",
        help_text="Only if you use an alternative method: the system or medium (for example, scanned images in a document system).",
    )
    notice_date = _date(
        "Date of your notice to CBP",
        help_text="Only for an alternative method: when you told CBP Regulatory Audit in writing. For example: 10/01/2026",
    )
    implementation_date = _date(
        "Date you started, or will start, using it",
        help_text="At least 30 days after the notice. For example: 11/02/2026",
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
        help_text="If CBP objected, say when and how it was resolved. Leave blank if it has not.",
    )
    backups = _text(
        "Backups and legibility checks",
        help_text="How records are backed up and how you check copies stay legible.",
    )
    date_fields = ("notice_date", "implementation_date")
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

    @classmethod
    def missing(cls, answers: dict, narrative: str) -> list[str]:
        missing = [] if answers.get("method") else [str(cls.base_fields["method"].label)]
        if answers.get("method") == "alternative":
            for name in ("alternative_description", "notice_date", "implementation_date"):
                if not answers.get(name):
                    missing.append(str(cls.base_fields[name].label))
            unmet = {v for v, _ in cls.STANDARDS} - set(answers.get("standards") or [])
            if unmet:
                missing.append("An alternative method must meet every standard of 163.5(b)(2)")
        return missing


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
        "How you find variances and violations",
        help_text="For example: missing or late records found by reconciliation or self-testing.",
    )
    escalation = _text("How they are escalated inside your organization")
    reporting = _text(
        "Who tells CBP, and how fast",
        help_text="The person or role that notifies CBP, how, and within how many days.",
    )
    corrective_action = _text(
        "How you take corrective action when CBP notifies you",
        help_text="Including how corrective actions are logged and followed up.",
    )
    self_testing = forms.ChoiceField(
        label="How often you test your own recordkeeping", choices=TESTING, required=False
    )
    needed_for_submission = ("detection", "escalation", "reporting", "corrective_action")
    field_order = [
        "detection",
        "escalation",
        "reporting",
        "corrective_action",
        "self_testing",
        "narrative",
        "evidence",
    ]


class RouteForm(VersionedForm):
    route = forms.ChoiceField(
        label="How do you want to be certified?",
        choices=[
            (Application.Route.GENERAL, "By meeting the general recordkeeping requirements"),
            (
                Application.Route.ALTERNATIVE,
                "Under an alternative program negotiated with CBP (you will describe the terms you propose)",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to be certified."},
    )


class TermsForm(VersionedForm):
    proposed_terms = forms.CharField(
        label="The alternative program you propose",
        help_text=(
            "Which general requirements you ask to meet differently, how you would meet them instead, "
            "and why that suits your business."
        ),
        required=False,
        max_length=NARRATIVE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class AttestationForm(VersionedForm):
    signer_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Type your full name."},
    )
    signer_title = forms.CharField(
        label="Your title",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": "Type your title."},
    )
    confirm = forms.BooleanField(
        label="I make this attestation",
        error_messages={"required": "Tick the box to make the attestation."},
    )


class ReplaceEvidenceForm(VersionedForm):
    file = forms.FileField(
        label="Choose the new file",
        help_text="PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text file.",
        error_messages={"required": "Choose a file to upload."},
    )


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InformationAnswerForm(forms.Form):
    """An answer and files for each of CBP's questions. Fields are named by question id."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        for item in items:
            self.fields[f"answer_{item.pk}"] = forms.CharField(
                label=f"Your answer to question {item.position + 1}",
                required=False,
                max_length=NARRATIVE_MAX,
                strip=False,
                initial=item.answer,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"files_{item.pk}"] = MultipleFileField(
                label=f"Files for question {item.position + 1}",
                required=False,
                help_text="PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text files.",
            )

    def valid_answers(self) -> dict[int, str]:
        cleaned = getattr(self, "cleaned_data", {})
        return {
            pk: cleaned[f"answer_{pk}"]
            for pk in self.items
            if f"answer_{pk}" in cleaned and f"answer_{pk}" not in self.errors
        }

    def uploads(self):
        cleaned = getattr(self, "cleaned_data", {})
        for pk, item in self.items.items():
            for upload in cleaned.get(f"files_{pk}") or []:
                yield item, upload
