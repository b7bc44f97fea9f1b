"""Every free-text field of every page, sent every hostile value of the corpus through the real view.

Markup, scripts, CSS and file links, and spreadsheet formulas are kept exactly as typed (a field
that trims keeps them without the whitespace around them) and shown as text; direction and control
characters, text one character over the field's limit and an empty required field are refused with
a message beside the field, status 400, and nothing stored before is changed. Never a 5xx.
"""

import pytest
from django.utils.html import escape

from tests.certification.test_wizard_views import field_error, form_fields, page
from tests.hostile.corpus import RAW, VIEW_CASES, stored_form, too_long_message
from tests.hostile.surfaces import APPLICANT
from tests.hostile.surfaces_staff import STAFF

pytestmark = pytest.mark.django_db

SURFACES = APPLICANT + STAFF


def _cases():
    for surface in SURFACES:
        for case in VIEW_CASES:
            if case.kind == "empty" and not any(f.required for f in surface.fields.values()):
                continue  # nothing on this form is required
            if case.kind == "too long" and not any(f.limit for f in surface.fields.values()):
                continue
            yield pytest.param(surface, case, id=f"{surface.id}: {case.id}")


CASES = list(_cases())


def typed_for(case, spec, index: int) -> str | None:
    """What the case types into a field, or None to leave the field as the page has it."""
    if (case.kind == "too long" and not spec.limit) or (case.kind == "empty" and not spec.required):
        return None
    return case.typed(limit=spec.limit, index=index)


def expected_error(case, spec) -> str | None:
    if case.kind == "refused":
        return case.message
    if case.kind == "too long" and spec.limit:
        return spec.long_message or too_long_message(spec.limit)
    if case.kind == "empty" and spec.required:
        return spec.required
    return None


def assert_no_markup(html: str) -> None:
    """No value of the corpus reaches the page as markup."""
    for raw in RAW.values():
        assert raw not in html, raw
    tree_scripts = [s.text or "" for s in page_of(html).iter("script")]
    assert not any("alert(" in text for text in tree_scripts)


def page_of(html: str):
    class Response:
        content = html.encode()

    return page(Response())


@pytest.mark.parametrize(("surface", "case"), CASES)
def test_hostile_text(world, sign_in, client, surface, case):
    ctx = surface.prepare(world)
    if surface.persona:
        sign_in(surface.persona)
    url = surface.url(world, ctx)
    names = surface.names(world, ctx) if surface.names else {}
    before = surface.stored(world, ctx)

    data = form_fields(client.get(url), url) if surface.from_page else {}
    data |= surface.base(world, ctx)
    typed = {}
    for index, (name, spec) in enumerate(surface.fields.items()):
        value = typed_for(case, spec, index)
        if value is not None:
            typed[name] = data[names.get(name, name)] = value
    response = client.post(url, data)

    assert response.status_code < 500
    after = surface.stored(world, ctx)
    html = response.content.decode()
    assert_no_markup(html)
    if case.kind == "accepted":
        assert response.status_code == surface.done, html[:3000]
        for name, spec in surface.fields.items():
            assert after[name] == stored_form(typed[name], keeps_space=spec.keeps_space), name
        if surface.shown:
            persona, shown_url = surface.shown(world, ctx)
            shown = sign_in(persona).get(shown_url)
            assert shown.status_code == 200
            shown_html = shown.content.decode()
            for value in set(typed.values()):
                assert escape(value.strip()) in shown_html, value
            assert_no_markup(shown_html)
        return

    assert response.status_code == surface.refused, html[:3000]
    for name, spec in surface.fields.items():
        message = expected_error(case, spec)
        if message is None:
            continue
        shown = field_error(response, f"id_{names.get(name, name)}")
        assert shown is not None and message in shown, (name, shown)
    # Refused: nothing stored before has changed, nothing new is kept.
    assert after == before
