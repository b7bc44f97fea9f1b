"""Our own words for Django's stock messages, and one summary that agrees with the fields."""

from django import forms

from common.form_messages import field_messages, summary_items


class _Sample(forms.Form):
    legal_name = forms.CharField(label="Legal name", max_length=5)
    employees = forms.IntegerField(label="Number of employees", min_value=1, max_value=9)
    value = forms.DecimalField(label="Import value", decimal_places=2)
    broker = forms.ChoiceField(
        label="Do you use a customs broker?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    started = forms.DateField(label="Date you started")
    email = forms.EmailField(label="Email")
    agree = forms.BooleanField(label="I agree")
    EIN = forms.CharField(label="EIN", required=True)
    reason = forms.CharField(
        label="Reason", error_messages={"required": "Say why you are withdrawing."}
    )

    def clean_legal_name(self):
        value = self.cleaned_data["legal_name"]
        if value == "bad":
            raise forms.ValidationError("That name is taken by another organization.")
        return value


def _messages(data: dict) -> dict[str, list[str]]:
    form = _Sample(data)
    form.is_valid()
    return {bound.name: field_messages(bound) for bound in form if bound.errors}


def test_required_messages_name_the_question_in_plain_words():
    said = _messages({})
    assert said["legal_name"] == ["Enter legal name"]
    assert said["employees"] == ["Enter number of employees"]
    assert said["broker"] == ["Choose an answer to “Do you use a customs broker?”"]
    assert said["agree"] == ["Select the box to confirm: I agree"]
    assert said["EIN"] == ["Enter EIN"]


def test_a_message_the_form_wrote_itself_is_kept():
    assert _messages({})["reason"] == ["Say why you are withdrawing."]
    assert _messages({"legal_name": "bad"})["legal_name"] == [
        "That name is taken by another organization."
    ]


def test_limits_and_formats_are_said_with_the_question_and_the_limit():
    said = _messages(
        {
            "legal_name": "Acme Trading",
            "employees": "0",
            "value": "12.345",
            "started": "31/31/2026",
            "email": "not-an-address",
            "broker": "maybe",
        }
    )
    assert said["legal_name"] == ["Legal name must be 5 characters or fewer"]
    assert said["employees"] == ["Number of employees must be 1 or more"]
    assert said["value"] == ["Import value can have no more than 2 digits after the decimal point"]
    assert said["started"] == ["Date you started must be a real date, like 3/31/2026"]
    assert said["email"] == ["Enter an email address in the correct format, like name@example.com"]
    assert said["broker"] == [
        "Choose one of the answers offered for “Do you use a customs broker?”"
    ]
    assert _messages({"employees": "10"})["employees"] == ["Number of employees must be 9 or less"]
    assert _messages({"employees": "two"})["employees"] == [
        "Number of employees must be a whole number, like 25"
    ]


def test_the_summary_says_the_same_words_and_links_each_to_its_field():
    form = _Sample({"employees": "0", "reason": "x", "EIN": "1", "email": "a@b.example"})
    form.is_valid()
    items = summary_items(form)
    by_href = {item.href: item.message for item in items}
    assert by_href["#id_employees"] == "Number of employees must be 1 or more"
    # A group of radios links to its first option, where a keyboard user starts choosing.
    assert by_href["#id_broker_0"] == "Choose an answer to “Do you use a customs broker?”"
    assert [item.href for item in items] == [
        "#id_legal_name",
        "#id_employees",
        "#id_value",
        "#id_broker_0",
        "#id_started",
        "#id_agree",
    ]


class _Person(forms.Form):
    name = forms.CharField(label="Full name")
    role = forms.CharField(label="Role", required=False)


class _People(forms.BaseFormSet):
    def clean(self):
        raise forms.ValidationError("Name at least one primary person.")

    def summary_heading(self, form, number):
        return f"Person {number}"


def test_a_formset_summary_says_whose_answer_is_wrong_and_its_own_errors_first():
    people = forms.formset_factory(_Person, formset=_People, extra=0)(
        {
            "form-TOTAL_FORMS": "3",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "Ana",
            "form-1-name": "",
            "form-1-role": "Backup",
            "form-2-name": "",
        }
    )
    people.is_valid()
    # Person 2 was begun and lacks a name; the blank third form was left alone, so is no error.
    messages = [(item.message, item.href) for item in summary_items(None, people)]
    assert messages == [
        ("Name at least one primary person.", ""),
        ("Person 2: Enter full name", "#id_form-1-name"),
    ]


def test_nothing_to_say_for_an_unbound_or_valid_form():
    assert summary_items(_Sample()) == []
    assert summary_items(None, "") == []
