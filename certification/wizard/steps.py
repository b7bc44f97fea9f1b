"""The applicant's wizard: its steps, which of them show, and what each still lacks.

All of it is computed from the database row, never from the session, so a draft can be resumed on
any device and by any member of the organisation. Views in `certification.views.wizard` render and
save one step at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from certification import completeness
from certification.models import (
    Application,
    Demonstration,
)
from certification.selectors import application_missing_items
from certification.wizard import demonstrations as forms
from recordkeepers.models import Organisation


def always(application: Application) -> bool:
    return True


def proposes_alternative(application: Application) -> bool:
    return application.route == Application.Route.ALTERNATIVE


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str
    shows: Callable[[Application], bool] = always
    demonstration: str | None = None
    form_class: type[forms.DemonstrationForm] | None = None
    # One plain-language sentence of what the law asks, shown above the step's questions.
    requirement: str = ""


PROFILE = "organization"


BUSINESS = "business"


TERMS = "alternative-terms"


UNDERSTANDING = "understanding"


EMPLOYEES = "employee-procedures"


RECORDS = "records"


INDIVIDUALS = "designated-individuals"


MAINTENANCE = "record-maintenance"


REPORTING = "variances-and-violations"


CHECK = "check-your-answers"


SUBMIT = "sign-and-submit"


STEPS: list[Step] = [
    Step(PROFILE, "Your organization", "certification/wizard/profile.html"),
    Step(BUSINESS, "Your business and imports", "certification/wizard/profile.html"),
    Step(
        TERMS,
        "The alternative program you propose",
        "certification/wizard/terms.html",
        shows=proposes_alternative,
    ),
    Step(
        UNDERSTANDING,
        "Understanding of the recordkeeping requirements",
        "certification/wizard/demonstration.html",
        demonstration=Demonstration.I,
        form_class=forms.UnderstandingForm,
        requirement=(
            "Show that you understand which records the law requires you to keep, and for how long."
        ),
    ),
    Step(
        EMPLOYEES,
        "Explaining the requirements to employees",
        "certification/wizard/demonstration.html",
        demonstration=Demonstration.II,
        form_class=forms.EmployeeProceduresForm,
        requirement=(
            "Show that you have procedures to explain the recordkeeping requirements to the "
            "employees who prepare, keep and produce records."
        ),
    ),
    Step(
        RECORDS,
        "Preparing, keeping and producing records",
        "certification/wizard/demonstration.html",
        demonstration=Demonstration.III,
        form_class=forms.RecordsForm,
        requirement=(
            "Show that you have procedures to prepare and keep the required records, and to "
            "produce them to CBP when it asks."
        ),
    ),
    Step(
        INDIVIDUALS,
        "Designated individuals",
        "certification/wizard/individuals.html",
        demonstration=Demonstration.IV,
        form_class=forms.IndividualsForm,
        requirement=(
            "Name one or more dependable people responsible for recordkeeping compliance, whose "
            "duties include keeping current with CBP's requirements."
        ),
    ),
    Step(
        MAINTENANCE,
        "Record maintenance",
        "certification/wizard/demonstration.html",
        demonstration=Demonstration.V,
        form_class=forms.RecordMaintenanceForm,
        requirement=(
            "Show that you keep original records in a way CBP accepts, or that you adopted an "
            "alternative method under 19 CFR 163.5(b), told CBP at least 30 days before using it, "
            "and meet the standards of 163.5(b)(2)."
        ),
    ),
    Step(
        REPORTING,
        "Variances, violations and corrective action",
        "certification/wizard/demonstration.html",
        demonstration=Demonstration.VI,
        form_class=forms.ReportingForm,
        requirement=(
            "Show that you have procedures to tell CBP about variances and violations, and to take "
            "corrective action when CBP tells you of a deficiency. A variance is a deviation that "
            "does not involve failing to keep or produce records; a violation is one that does."
        ),
    ),
    Step(CHECK, "Check your answers", "certification/wizard/check.html"),
    Step(SUBMIT, "Sign and submit", "certification/wizard/submit.html"),
]


STEPS_BY_SLUG = {step.slug: step for step in STEPS}


DEMONSTRATION_STEPS = [step for step in STEPS if step.demonstration]


def step_for_demonstration(demonstration: str) -> Step | None:
    return next((s for s in DEMONSTRATION_STEPS if s.demonstration == demonstration), None)


def steps_for(application: Application) -> list[Step]:
    return [step for step in STEPS if step.shows(application)]


def next_step(application: Application, step: Step) -> Step | None:
    steps = steps_for(application)
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else None


def _part(step: Step) -> str | None:
    """The part of the application a step edits, as `completeness.missing` names it."""
    if step.slug == PROFILE:
        return completeness.PROFILE
    if step.slug == BUSINESS:
        return completeness.BUSINESS
    if step.slug == TERMS:
        return completeness.TERMS
    return step.demonstration


def missing_items(application: Application) -> dict[str, list[str]]:
    """For each step that shows and asks something, what a complete application still lacks there
    (empty if nothing), in the order of the steps."""
    lacking = application_missing_items(application=application)
    return {
        step.slug: lacking[part]
        for step in steps_for(application)
        if (part := _part(step)) is not None and part in lacking
    }


def first_unfinished(application: Application, missing: dict[str, list[str]]) -> Step:
    """The first step that still lacks answers (given `missing_items`), else check your answers."""
    return next(
        (STEPS_BY_SLUG[slug] for slug, items in missing.items() if items), STEPS_BY_SLUG[CHECK]
    )


# The business profile, asked on two pages: the organisation's fields each page asks.
PROFILE_PARTS: dict[str, tuple[str, ...]] = {
    PROFILE: Organisation.DETAILS_FIELDS,
    BUSINESS: Organisation.BUSINESS_FIELDS,
}
