"""Where people type: each form of the service as its page posts it.

A `Surface` names the form class it posts, who posts it, where, the free-text fields typed into
(each with its limit, the message when it is required, and whether it keeps surrounding space), the
other values the page needs, where the typed text is stored and the page that shows it. Limits and
messages are written out, not read from the forms. The applicant's pages are here; CBP's are in
`surfaces_staff`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Application,
    Attestation,
    DemonstrationResponse,
    DesignatedIndividual,
    Event,
)
from certification.wizard import steps as wizard
from recordkeepers.models import Membership, User
from recordkeepers.services import invitation_create, invitation_issue_token
from tests.certification.test_wizard_views import answer_url, detail_url, step_url, withdraw_url
from tests.factories import PASSWORD

Ctx = dict[str, Any]


@dataclass(frozen=True)
class Field:
    limit: int | None
    required: str | None = None  # the message beside the field when it is left empty
    keeps_space: bool = False  # False: Django's default, surrounding whitespace trimmed
    long_message: str | None = None  # a form's own words for "too long", if it has them


@dataclass(frozen=True)
class Surface:
    id: str
    form: str
    persona: str | None  # None: not signed in
    url: Callable[[Any, Ctx], str]
    fields: dict[str, Field]
    stored: Callable[[Any, Ctx], dict[str, Any]]  # field → what is stored now (None: nothing)
    base: Callable[[Any, Ctx], dict] = lambda world, ctx: {}
    prepare: Callable[[Any], Ctx] = lambda world: {}
    names: Callable[[Any, Ctx], dict[str, str]] | None = None  # field → name posted, if not its own
    from_page: bool = False  # start from what the page's form sends (hidden version, formsets)
    shown: Callable[[Any, Ctx], tuple[str, str]] | None = None  # (persona, url) showing it
    done: int = 302
    refused: int = 400  # allauth's pages show a refused form again with 200, as allauth does
    fields_on_error: dict[str, str] = field(default_factory=dict)  # field → its element id


def _today_plus(days: int) -> str:
    return (timezone.localdate() + timezone.timedelta(days=days)).strftime("%m/%d/%Y")


# --- The wizard -----------------------------------------------------------------------------------
def _draft(world) -> Application:
    return world.application("draft")


def _organisation_fields(world, ctx):
    organisation = _draft(world).organisation
    organisation.refresh_from_db()
    return {
        name: getattr(organisation, name)
        for name in ("legal_name", "dba_name", "address_line1", "address_line2", "city")
    }


def _business_fields(world, ctx):
    organisation = _draft(world).organisation
    organisation.refresh_from_db()
    return {
        "prior_penalties": organisation.prior_penalties,
        "open_cases": organisation.open_cases,
        "customs_brokers": "\n".join(organisation.customs_brokers or []),
    }


def _answers(demonstration: str):
    def stored(world, ctx):
        row = DemonstrationResponse.objects.filter(
            application=_draft(world), demonstration=demonstration
        ).first()
        saved = dict(row.answers) if row else {}
        return saved | {"narrative": row.narrative if row else None}

    return stored


def _check_page(world, ctx):
    return "owner_a", step_url(_draft(world), wizard.CHECK)


ANSWER = Field(5000, keeps_space=True)
NARRATIVE = Field(20000, keeps_space=True)


def _step(slug: str, fields: dict[str, Field], **extra) -> Surface:
    step = wizard.STEPS_BY_SLUG[slug]
    return Surface(
        id=f"wizard {slug}",
        form=f"{step.form_class.__module__}.{step.form_class.__qualname__}",
        persona="owner_a",
        url=lambda world, ctx: step_url(_draft(world), slug),
        fields=fields | {"narrative": NARRATIVE},
        stored=_answers(step.demonstration),
        from_page=True,
        base=lambda world, ctx: {"action": "continue"} | extra,
        shown=_check_page,
    )


def _person(world, ctx):
    person = DesignatedIndividual.objects.filter(application=_draft(world)).order_by("pk").first()
    return {
        f"individuals-0-{name}": getattr(person, name)
        for name in ("name", "title", "duties", "qualifications")
    } | _answers("iv")(world, ctx)


def _terms_prepare(world) -> Ctx:
    Application.objects.filter(pk=_draft(world).pk).update(route=Application.Route.ALTERNATIVE)
    return {}


def _attestation(world, ctx):
    signed = Attestation.objects.filter(application=_draft(world)).first()
    return {
        "signer_name": signed.signer_name if signed else None,
        "signer_title": signed.signer_title if signed else None,
    }


def _withdrawal(world, ctx):
    event = Event.objects.filter(application=_draft(world), verb="application.withdrawn").first()
    return {"reason": event.data["reason"] if event else None}


def _answer_item(world):
    return world.application("asked").information_requests.get().items.get()


def _invitation(world) -> Ctx:
    invitation = invitation_create(
        organisation=world.user("owner_a").membership.organisation,
        email="invitee@example.com",
        actor=world.user("owner_a"),
    )
    return {"token": invitation_issue_token(invitation=invitation)}


def _invitee(world, ctx):
    user = User.objects.filter(email="invitee@example.com").first()
    return {"full_name": user.full_name if user else None}


def _newcomer_organisation(world, ctx):
    membership = Membership.objects.filter(user=world.users["newcomer"]).first()
    return {"legal_name": membership.organisation.legal_name if membership else None}


def _signed_up(world, ctx):
    user = User.objects.filter(email="signup@example.com").first()
    membership = Membership.objects.filter(user=user).first() if user else None
    return {
        "full_name": user.full_name if user else None,
        "organisation_legal_name": membership.organisation.legal_name if membership else None,
    }


APPLICANT = [
    Surface(
        id="wizard organization",
        form="recordkeepers.forms.profile.BusinessProfileForm",
        persona="owner_a",
        url=lambda world, ctx: step_url(_draft(world), wizard.PROFILE),
        fields={
            "legal_name": Field(200, required="Enter your organization's legal name."),
            "dba_name": Field(200),
            "address_line1": Field(200),
            "address_line2": Field(200),
            "city": Field(100),
        },
        stored=_organisation_fields,
        from_page=True,
        base=lambda world, ctx: {"action": "continue"},
        shown=_check_page,
    ),
    Surface(
        id="wizard business",
        form="recordkeepers.forms.profile.BusinessProfileForm",
        persona="owner_a",
        url=lambda world, ctx: step_url(_draft(world), wizard.BUSINESS),
        fields={
            "prior_penalties": Field(5000),
            "open_cases": Field(5000),
            "customs_brokers": Field(
                200, long_message="Enter a broker's name of 200 characters or fewer."
            ),
        },
        stored=_business_fields,
        from_page=True,
        base=lambda world, ctx: {
            "action": "continue",
            "has_prior_penalties": "True",
            "has_open_cases": "True",
        },
        shown=_check_page,
    ),
    _step(
        wizard.UNDERSTANDING,
        {"retention_schedule": ANSWER, "policy": Field(300)},
    ),
    _step(wizard.EMPLOYEES, {"training_audience": ANSWER, "training_materials": ANSWER}),
    _step(
        wizard.RECORDS,
        dict.fromkeys(("procedures", "record_linking", "storage", "broker_oversight"), ANSWER),
    ),
    _step(
        wizard.MAINTENANCE,
        {"alternative_description": ANSWER, "cbp_objection": ANSWER, "backups": ANSWER},
        method="alternative",
    ),
    _step(
        wizard.REPORTING,
        dict.fromkeys(("detection", "escalation", "reporting", "corrective_action"), ANSWER),
    ),
    Surface(
        id="wizard designated individuals",
        form="certification.wizard.forms.DesignatedIndividualForm",
        persona="owner_a",
        url=lambda world, ctx: step_url(_draft(world), wizard.INDIVIDUALS),
        fields={
            "individuals-0-name": Field(150, required="Enter the person's full name."),
            "individuals-0-title": Field(150, required="Enter the person's job title."),
            "individuals-0-duties": Field(
                5000, required="Describe the person's recordkeeping duties."
            ),
            "individuals-0-qualifications": Field(5000),
            "staying_current": ANSWER,
            "narrative": NARRATIVE,
        },
        stored=_person,
        from_page=True,
        base=lambda world, ctx: {"action": "continue"},
        shown=_check_page,
    ),
    Surface(
        id="wizard alternative terms",
        form="certification.wizard.forms.TermsForm",
        persona="owner_a",
        prepare=_terms_prepare,
        url=lambda world, ctx: step_url(_draft(world), wizard.TERMS),
        fields={"proposed_terms": NARRATIVE},
        stored=lambda world, ctx: {"proposed_terms": _draft(world).proposed_terms},
        from_page=True,
        base=lambda world, ctx: {"action": "continue"},
        shown=_check_page,
    ),
    Surface(
        id="attestation",
        form="certification.wizard.forms.AttestationForm",
        persona="owner_a",
        url=lambda world, ctx: step_url(_draft(world), wizard.SUBMIT),
        fields={
            "signer_name": Field(150, required="Type your full name."),
            "signer_title": Field(150, required="Type your title."),
        },
        stored=_attestation,
        from_page=True,
        base=lambda world, ctx: {"confirm": "on"},
        shown=None,  # kept on the attestation; no page shows the signer's words
    ),
    Surface(
        id="withdrawal",
        form="certification.forms.WithdrawForm",
        persona="owner_a",
        url=lambda world, ctx: withdraw_url(_draft(world)),
        fields={"reason": Field(5000)},
        stored=_withdrawal,
        from_page=True,
        shown=lambda world, ctx: ("owner_a", detail_url(_draft(world))),
    ),
    Surface(
        id="answers to CBP's questions",
        form="certification.forms.InformationAnswerForm",
        persona="owner_b",
        url=lambda world, ctx: answer_url(world.application("asked")),
        fields={"answer": NARRATIVE},
        names=lambda world, ctx: {"answer": f"answer_{_answer_item(world).pk}"},
        stored=lambda world, ctx: {"answer": _answer_item(world).answer},
        base=lambda world, ctx: {"action": "save"},
        shown=lambda world, ctx: ("owner_b", answer_url(world.application("asked"))),
    ),
    Surface(
        id="organization registration",
        form="recordkeepers.forms.accounts.OrganisationForm",
        persona="newcomer",
        url=lambda world, ctx: reverse("recordkeepers:organisation-create"),
        fields={"legal_name": Field(200, required="Enter organization's legal name")},
        stored=_newcomer_organisation,
        shown=lambda world, ctx: ("newcomer", reverse("dashboard")),
    ),
    Surface(
        id="invitation accepted with a new account",
        form="recordkeepers.forms.accounts.InvitationAcceptForm",
        persona=None,
        prepare=_invitation,
        url=lambda world, ctx: reverse("recordkeepers:invitation-accept", args=[ctx["token"]]),
        fields={"full_name": Field(150, required="Enter your full name")},
        stored=_invitee,
        base=lambda world, ctx: {"password1": PASSWORD, "password2": PASSWORD},
        shown=lambda world, ctx: ("owner_a", reverse("recordkeepers:members")),
    ),
    Surface(
        id="sign-up",
        form="recordkeepers.forms.accounts.SignupForm",
        persona=None,
        url=lambda world, ctx: reverse("account_signup"),
        fields={
            "full_name": Field(150, required="Enter your full name."),
            "organisation_legal_name": Field(200, required="Enter your organization's legal name."),
        },
        stored=_signed_up,
        base=lambda world, ctx: {
            "email": "signup@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        refused=200,
    ),
]
