"""What people type: invisible formatting and control characters are refused beside the field, in
every form of the service, and everything else is kept in NFC.

The rules (common/text.py) are tested as pure functions; then every form class of our apps, the
allauth forms, and the admin's forms for every registered model are built and each text field is
sent a right-to-left override and a control character. A form added tomorrow is found by the same
walk, so it cannot miss the rule without this test failing.
"""

import importlib
import inspect
import pkgutil
import unicodedata
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from common import text
from common.forms import clean_typed_text
from recordkeepers.models import User
from tests.factories import UserFactory

RLO = "\u202e"
BIDI_MESSAGE = "Remove the invisible formatting characters (such as text-direction marks)"
CONTROL_MESSAGE = "Remove the control characters from this answer"

# Written out from Unicode's tables rather than taken from common.text.
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI += ["\u200e", "\u200f", "\u061c"]
CONTROLS = [chr(c) for c in range(0x00, 0x09)] + ["\x0b", "\x0c"]
CONTROLS += [chr(c) for c in range(0x0E, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
REFUSED = set(BIDI) | set(CONTROLS)


# --- The rules ----------------------------------------------------------------------------------
@pytest.mark.parametrize("character", BIDI)
def test_each_bidi_control_is_refused_as_formatting(character):
    assert text.problems(f"Acme{character}Corp") == [text.Problem.BIDI]


@pytest.mark.parametrize("character", CONTROLS)
def test_each_control_character_is_refused(character):
    assert text.problems(f"Acme{character}Corp") == [text.Problem.CONTROL]


def test_tab_and_line_breaks_are_kept():
    assert text.problems("one\ttwo\r\nthree\nfour") == []


def test_both_problems_are_reported_once_each_formatting_first():
    assert text.problems("\x01a\u202eb\x02\u2066") == [text.Problem.BIDI, text.Problem.CONTROL]


def test_characters_beside_the_refused_ones_are_kept():
    # The neighbours of each refused range: zero-width joiners, no-break space, ellipsis.
    assert text.problems("\u200b\u200c\u200d\u00a0\u2065\u202f\u2026\u061b\u061d\u00a1") == []


def test_text_is_kept_in_composed_form():
    assert clean_typed_text("Societe\u0301") == "Societ\u00e9"
    assert clean_typed_text("Socie\u0301te\u0301") == "Soci\u00e9t\u00e9"


def test_the_message_names_each_problem():
    with pytest.raises(ValidationError) as raised:
        clean_typed_text(f"a{RLO}b\x07")
    messages = raised.value.messages
    assert len(messages) == 2
    assert messages[0].startswith(BIDI_MESSAGE)
    assert messages[1].startswith(CONTROL_MESSAGE)


allowed_text = st.text(alphabet=st.characters(exclude_characters=REFUSED, codec="utf-8"))


@given(allowed_text)
def test_text_without_refused_characters_passes_unchanged_but_for_nfc(value):
    assert clean_typed_text(value) == unicodedata.normalize("NFC", value)


@given(allowed_text, st.sampled_from(sorted(REFUSED)), allowed_text)
def test_any_refused_character_anywhere_is_refused(before, character, after):
    with pytest.raises(ValidationError):
        clean_typed_text(before + character + after)


# --- Every form ---------------------------------------------------------------------------------
PROJECT_APPS = ("common", "recordkeepers", "certification", "reviews", "participants", "config")
ALLAUTH_FORM_MODULES = (
    "allauth.account.forms",
    "allauth.mfa.base.forms",
    "allauth.mfa.totp.forms",
    "allauth.mfa.recovery_codes.forms",
)


def _form_classes_in(module_names):
    found = {}
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__.split(".")[0] in {m.split(".")[0] for m in module_names}
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield app
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name:
                yield info.name


PROJECT_FORMS = _form_classes_in(list(_project_modules()))
ALLAUTH_FORMS = _form_classes_in(ALLAUTH_FORM_MODULES)


def _a_reason():
    from reviews.scoring.suggestion import Reason

    return Reason(ground="163.13(b)(1)", demonstration="iii", text="No index of records.")


# Forms whose constructor needs more than data. A new form with a required argument fails
# `test_every_form_is_found_and_built` until it is given one here.
def _activate_totp(cls, data, ctx):
    from allauth.core import context

    with context.request_context(ctx["request"]):
        return cls(data=data, user=ctx["user"])


NEEDS = {
    "certification.forms.InformationAnswerForm": lambda cls, data, ctx: cls(
        data=data, items=[SimpleNamespace(pk=1, position=0, answer="")]
    ),
    "reviews.forms.workspace.RubricScoresForm": lambda cls, data, ctx: cls(
        data=data,
        criteria=[SimpleNamespace(pk=1, must_pass=False, code="A.1", title="Index")],
        saved={},
    ),
    "reviews.forms.recommendation.RecommendationForm": lambda cls, data, ctx: cls(
        data=data, failing=[_a_reason()]
    ),
    "reviews.forms.recommendation.SignOffForm": lambda cls, data, ctx: cls(
        data=data, alternative=True
    ),
    "reviews.forms.queue.AssignForm": lambda cls, data, ctx: cls(
        data=data, reviewers=User.objects.none()
    ),
    "recordkeepers.forms.accounts.InvitationAcceptForm": lambda cls, data, ctx: cls(
        data=data, email="a@example.com"
    ),
    "allauth.mfa.totp.forms.ActivateTOTPForm": _activate_totp,
}


def _candidate_kwargs(ctx):
    """What allauth's and our forms take besides data, tried in turn."""
    user, request = ctx["user"], ctx["request"]
    return [
        {},
        {"user": user},
        {"request": request},
        {"user": user, "request": request},
        {"reviewers": []},
        {"email": "a@example.com"},
        {"code": "123456"},
        {"user": user, "email": "a@example.com"},
        {"authenticator": SimpleNamespace(user=user, wrap=lambda: None)},
    ]


def _build(path, cls, data, ctx):
    """`cls` bound to `data`, or None when no known way to build it works."""
    if path in NEEDS:
        return NEEDS[path](cls, data, ctx)
    for kwargs in _candidate_kwargs(ctx):
        try:
            form = cls(data=data, **kwargs)
        except (TypeError, KeyError, AttributeError):
            continue
        if form.is_bound:
            return form
    return None


def _is_text_field(field):
    """Fields a person types text into, judged from what they are and how they are shown."""
    if isinstance(field.widget, forms.PasswordInput) or field.disabled:
        return False
    typed_widget = isinstance(field.widget, forms.Textarea) or (
        isinstance(field.widget, forms.widgets.Input)
        and field.widget.input_type in {"text", "email", "url", "tel", "search", "hidden"}
        and not isinstance(field, forms.FileField)
    )
    # Fields that turn what is typed into a number, a date or a choice keep no text.
    typed_value = (forms.IntegerField, forms.FloatField, forms.DateField, forms.DateTimeField)
    typed_value += (forms.TimeField, forms.DurationField, forms.ChoiceField, forms.ModelChoiceField)
    return isinstance(field, forms.CharField) or (
        typed_widget and not isinstance(field, typed_value)
    )


@pytest.fixture
def ctx(db):
    user = UserFactory()
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    return {"user": user, "request": request}


def _assert_refuses(path, build, fields_of):
    """Each text field refuses an override and a control character, with the message beside it."""
    form = build({})
    text_fields = [name for name, field in fields_of(form).items() if _is_text_field(field)]
    for bad, message in ((f"Acme{RLO}Corp", BIDI_MESSAGE), ("Acme\x01Corp", CONTROL_MESSAGE)):
        form = build({})
        data = {form.add_prefix(name): bad for name in text_fields}
        form = build(data)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        for name in text_fields:
            shown = " ".join(form.errors.get(name, []))
            # A question that does not apply (its controlling answer unset) is cleared by its form
            # with any error it had: nothing of what was typed is kept, which is refusal enough.
            cleared = name not in form.errors and bad not in str(cleaned.get(name, ""))
            assert message in shown or cleared, f"{path}.{name} accepted {bad!r}"
    return text_fields


@pytest.mark.parametrize("path", sorted(PROJECT_FORMS) + sorted(ALLAUTH_FORMS))
def test_every_text_field_of_every_form_refuses_override_and_control(path, ctx):
    cls = PROJECT_FORMS.get(path) or ALLAUTH_FORMS[path]
    if _build(path, cls, {}, ctx) is None:
        pytest.fail(f"{path} could not be built: add what it needs to NEEDS in this test")
    _assert_refuses(path, lambda data: _build(path, cls, data, ctx), lambda form: form.fields)


def test_every_form_is_found_and_built(ctx):
    # The walk finds the forms people use most; if it found none, the test above proves nothing.
    for expected in (
        "recordkeepers.forms.accounts.OrganisationForm",
        "recordkeepers.forms.profile.BusinessProfileForm",
        "certification.wizard.forms.DemonstrationForm",
        "certification.wizard.forms.DesignatedIndividualForm",
        "certification.wizard.forms.TermsForm",
        "reviews.forms.recommendation.RecommendationForm",
        "participants.forms.ReportForm",
        "participants.forms.AppealForm",
    ):
        assert expected in PROJECT_FORMS
    for expected in ("allauth.account.forms.LoginForm", "allauth.account.forms.AddEmailForm"):
        assert expected in ALLAUTH_FORMS


@pytest.fixture
def admin_request(db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/")
    request.user = superuser
    request.session = {}
    return request


@pytest.mark.parametrize(
    "model_admin", list(admin.site._registry.values()), ids=lambda a: str(a.model._meta)
)
def test_admin_forms_refuse_override_and_control(model_admin, admin_request):
    form_class = model_admin.get_form(admin_request, obj=None)
    path = f"admin:{model_admin.model._meta.label}"
    _assert_refuses(path, lambda data: form_class(data), lambda form: form.fields)
    for inline in model_admin.get_inline_instances(admin_request):
        formset_class = inline.get_formset(admin_request, obj=None)
        inline_form = formset_class.form
        _assert_refuses(
            f"{path} inline {inline.model._meta.label}",
            lambda data, inline_form=inline_form: inline_form(data),
            lambda form: form.fields,
        )


def test_password_fields_are_taken_exactly_as_typed():
    # Never shown, so they cannot reorder anything; and a password set before the rule must keep
    # working, so it is neither refused nor normalised.
    field = forms.CharField(widget=forms.PasswordInput, strip=False)
    assert field.clean(f"e\u0301{RLO}\x01") == f"e\u0301{RLO}\x01"


def test_a_disabled_field_keeps_what_is_stored():
    field = forms.CharField(disabled=True)
    assert field.clean(f"Acme{RLO}") == f"Acme{RLO}"


# --- Through the pages: refused beside the field, nothing saved lost ------------------------------
from certification.wizard import steps as wizard  # noqa: E402
from tests.certification.test_wizard_views import (  # noqa: E402
    answers,
    field_error,
    form_fields,
    step_url,
)
from tests.factories import draft_application  # noqa: E402

BIDI_FULL = (
    "Remove the invisible formatting characters (such as text-direction marks) from this answer; "
    "they can change how the text around them reads."
)


@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a, complete=False, attested=False)


@pytest.mark.parametrize("action", ["autosave", "continue"])
def test_a_step_save_with_one_bad_answer_keeps_every_other_answer(client, owner_a, draft, action):
    client.force_login(owner_a)
    url = step_url(draft, wizard.RECORDS)
    first = {
        "procedures": "SOP-07 Entry file preparation",
        "record_linking": "The entry number is on the purchase order.",
    }
    response = client.post(url, {**form_fields(client.get(url), url), **first, "action": "exit"})
    assert response.status_code == 302

    typed = {
        "procedures": f"SOP-07 {RLO}Entry file preparation",
        "record_linking": "The entry number and the invoice number are on the purchase order.",
        "storage": "Document system; records room.",
        "narrative": "Records are kept for five years after entry.",
    }
    response = client.post(url, {**form_fields(client.get(url), url), **typed, "action": action})

    assert response.status_code == 400
    assert field_error(response, "id_procedures") == BIDI_FULL
    # What was typed comes back to be corrected, the override included.
    assert form_fields(response, url)["procedures"] == typed["procedures"]
    saved = answers(draft, "iii")
    assert saved.answers["procedures"] == first["procedures"]
    assert saved.answers["record_linking"] == typed["record_linking"]
    assert saved.answers["storage"] == typed["storage"]
    assert saved.narrative == typed["narrative"]


def test_a_control_character_in_the_profile_is_refused_and_the_rest_saved(client, owner_a, draft):
    client.force_login(owner_a)
    url = step_url(draft, wizard.PROFILE)
    typed = {
        "dba_name": "Acme\x07 Direct",
        "city": "Long Beach",
        "address_line1": "100 Harbor Blvd",
    }
    response = client.post(
        url, {**form_fields(client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 400
    assert field_error(response, "id_dba_name").startswith(CONTROL_MESSAGE)
    organisation = draft.organisation
    organisation.refresh_from_db()
    assert organisation.city == "Long Beach"
    assert organisation.address_line1 == "100 Harbor Blvd"
    assert "\x07" not in organisation.dba_name


def test_text_in_decomposed_form_is_stored_composed(client, owner_a, draft):
    client.force_login(owner_a)
    url = step_url(draft, wizard.PROFILE)
    typed = {"dba_name": "Socie\u0301te\u0301 Ge\u0301ne\u0301rale"}
    response = client.post(
        url, {**form_fields(client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 302
    organisation = draft.organisation
    organisation.refresh_from_db()
    assert organisation.dba_name == "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale"


# --- Shown in pages: isolated, so it cannot reorder the page's words -------------------------------
def test_a_stored_override_in_the_legal_name_is_isolated_on_the_dashboard_and_the_queue(
    client, owner_a, supervisor, as_staff
):
    from certification import workflow
    from recordkeepers.models import Organisation

    organisation = owner_a.membership.organisation
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    # Straight to the table, as a row from before the forms refused it.
    Organisation.objects.filter(pk=organisation.pk).update(legal_name=f"Acme {RLO}Imports")

    client.force_login(owner_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert f"<bdi>Acme {RLO}Imports</bdi>" in html
    assert f"Acme {RLO}Imports" not in html.replace(f"<bdi>Acme {RLO}Imports</bdi>", "")

    staff = as_staff(supervisor)
    html = staff.get(reverse("reviews:queue")).content.decode()
    assert f"<bdi>Acme {RLO}Imports</bdi>" in html
