"""The application's answers as people read them: check your answers, the application's page and the
reviewer's workspace."""

from datetime import date
from decimal import Decimal

from django import forms as django_forms

from certification.models import (
    Application,
    ApplicationStatus,
)
from certification.wizard.steps import (
    BUSINESS,
    PROFILE_PARTS,
    TERMS,
    Step,
    missing_items,
    steps_for,
)
from common.conditional import applies
from recordkeepers.forms import BusinessProfileForm
from recordkeepers.models import Organisation


def describe(field, value) -> str:
    """An answer as the check-your-answers page shows it: choice labels, US dates, plain text."""
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, django_forms.DecimalField):
        return f"${Decimal(value):,.2f}"
    if isinstance(field, django_forms.IntegerField):
        return f"{int(value):,}"
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "; ".join(str(choices.get(v, v)) for v in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(field, django_forms.DateField):
        return date.fromisoformat(value).strftime("%B %-d, %Y")
    return str(value)


def answer_rows(step: Step, response) -> list[tuple[str, str]]:
    """(question, answer) pairs for a demonstration step, in the form's order."""
    answers = response.answers if response else {}
    rows = []
    shown_when = step.form_class.shown_when
    for name, field in step.form_class().fields.items():  # in the form's own order
        if name in {"version", "evidence"} or not applies(shown_when, name, answers):
            continue
        value = (
            (response.narrative if response else "") if name == "narrative" else answers.get(name)
        )
        rows.append((str(field.label), describe(field, value)))
    return rows


def _profile_as_submitted(application: Application) -> Organisation:
    """The business profile the application stands on: the live one while it is a draft, the
    snapshot taken at submission afterwards (the organisation may have changed it since)."""
    if application.status == ApplicationStatus.DRAFT or not application.profile_snapshot:
        return application.organisation
    fields = {f.name for f in Organisation._meta.concrete_fields}
    return Organisation(
        **{name: value for name, value in application.profile_snapshot.items() if name in fields}
    )


def summary(application: Application, *, with_missing: bool = True) -> list[dict]:
    """Every answered question of every step that shows, for "Check your answers" and the
    application's own page. Evidence and designated individuals are listed by the template. A
    page that never shows what is missing (the review workspace, of a submitted application)
    passes `with_missing=False`, and its sections' `missing` are empty: working it out reads the
    answers again."""
    responses = {r.demonstration: r for r in application.responses.select_related("updated_by")}
    missing = missing_items(application) if with_missing else {}
    sections = []
    for step in steps_for(application):
        if step.slug in PROFILE_PARTS:
            profile = BusinessProfileForm(
                instance=_profile_as_submitted(application), fields=PROFILE_PARTS[step.slug]
            )
            given = {bound.name: bound.initial for bound in profile}
            rows = [
                (str(bound.label), describe(bound.field, bound.initial))
                for bound in profile
                if not bound.is_hidden and applies(profile.shown_when, bound.name, given)
            ]
            if step.slug == BUSINESS:
                rows.append(("How do you want to be certified?", application.get_route_display()))
        elif step.slug == TERMS:
            rows = [("The alternative program you propose", application.proposed_terms)]
        elif step.form_class is not None:
            rows = answer_rows(step, responses.get(step.demonstration))
        else:
            continue
        sections.append(
            {
                "step": step,
                "rows": rows,
                "missing": missing.get(step.slug, []),
                "response": responses.get(step.demonstration) if step.demonstration else None,
            }
        )
    return sections
