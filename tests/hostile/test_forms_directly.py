"""Every value of the corpus, one at a time, into every text field of every form class of our
apps, built directly (the pages post the grouped values: test_text_fields). Each field keeps the
value as typed (without surrounding whitespace where it trims), or refuses it with a message beside
it; nothing is quietly changed."""

import pytest

from tests.hostile.corpus import FORM_CASES, stored_form
from tests.test_user_text import PROJECT_FORMS, _build, _is_text_field

pytestmark = pytest.mark.django_db

FORMS = sorted(p for p in PROJECT_FORMS if p.split(".")[0] != "common")
CASES = [case for case in FORM_CASES if case.kind != "empty"]  # required: through the pages


@pytest.mark.parametrize("path", FORMS)
def test_each_value_in_each_field(path, rf):
    for case in CASES:
        check(path, case, rf)


def check(path, case, rf):
    from tests.factories import UserFactory

    request = rf.post("/")
    request.user = UserFactory.build()
    request.session = {}
    ctx = {"user": request.user, "request": request}
    cls = PROJECT_FORMS[path]
    empty = _build(path, cls, {}, ctx)
    assert empty is not None, path
    fields = {name: f for name, f in empty.fields.items() if _is_text_field(f)}
    data = {}
    for name, field in fields.items():
        limit = getattr(field, "max_length", None)
        data[empty.add_prefix(name)] = case.typed(limit=limit or 0, index=0)
    form = _build(path, cls, data, ctx)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in fields.items():
        typed = data[empty.add_prefix(name)]
        errors = " ".join(form.errors.get(name, []))
        kept = cleaned.get(name)
        if case.kind == "refused":
            assert case.message in errors or (not errors and typed not in str(kept or "")), name
        elif case.kind == "too long":
            if getattr(field, "max_length", None):
                assert errors or not str(kept or ""), name  # refused, or a question not asked
        elif not errors and name in cleaned and isinstance(kept, str):
            strip = getattr(field, "strip", True)
            assert kept in (typed, stored_form(typed, keeps_space=not strip), ""), (name, case.id)
