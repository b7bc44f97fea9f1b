"""`uswds_option` writes a plain radio or checkbox itself, without Django's four option templates:
its markup must be the templates' own, byte for byte, whatever the option's state."""

import pytest
from django import forms

from certification.templatetags.uswds import uswds_option, uswds_widget

CHOICES = [("1", "One"), ("a\"b<c>&'", "Quotes & <tags>"), (3, "Three")]


class Options(forms.Form):
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, initial="1")
    optional = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, initial=["1", "3"]
    )
    off = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, disabled=True)
    described = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.RadioSelect(attrs={"aria-describedby": "x-hint", "data-x": 'say "hi"'}),
    )


def _by_templates(option, css_class):
    """What Django's templates write for the option, as the filter did before its fast path."""
    option.data["attrs"] = {**option.data["attrs"], "class": css_class}
    return option.tag(wrap_label=False)


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", ["radio", "optional", "boxes", "off", "described"])
def test_an_option_is_written_as_djangos_templates_write_it(name, bound):
    form = Options({"radio": "a\"b<c>&'", "boxes": ["3"]} if bound else None)
    fast = [uswds_option(option, "usa-radio__input") for option in form[name].subwidgets]
    slow = [_by_templates(option, "usa-radio__input") for option in form[name].subwidgets]
    assert fast == slow
    assert len(fast) == 3


def test_the_written_input_holds_its_state():
    form = Options({"radio": "1"})
    first, second, _ = (uswds_option(o, "usa-radio__input") for o in form["radio"].subwidgets)
    assert first == (
        '<input type="radio" name="radio" value="1" id="id_radio_0" required checked'
        ' class="usa-radio__input">'
    )
    assert 'value="a&quot;b&lt;c&gt;&amp;&#x27;"' in second
    assert "checked" not in second


class FancyRadio(forms.RadioSelect):
    option_template_name = "django/forms/widgets/input_option.html"


def test_an_option_with_a_template_of_its_own_still_uses_it():
    field = forms.ChoiceField(choices=CHOICES, widget=FancyRadio)
    form = forms.Form()
    form.fields["fancy"] = field
    option = form["fancy"].subwidgets[0]
    assert option.template_name == "django/forms/widgets/input_option.html"
    assert uswds_option(option, "usa-radio__input") == _by_templates(
        form["fancy"].subwidgets[0], "usa-radio__input"
    )


class Texts(forms.Form):
    plain = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    needed = forms.CharField(widget=forms.Textarea, max_length=50, help_text="Say why.")
    hinted = forms.CharField(
        widget=forms.Textarea(attrs={"placeholder": "e.g.", "class": "wide", "id": "own"}),
        disabled=True,
        initial='<b>"bold"</b> & more',
    )


@pytest.mark.parametrize(
    "data", [None, {"plain": "", "needed": ""}, {"plain": 'a <b> & "c"\nd', "needed": "x" * 60}]
)
@pytest.mark.parametrize("name", ["plain", "needed", "hinted"])
def test_a_textarea_is_written_as_djangos_template_writes_it(name, data):
    """`uswds_widget` writes a plain Textarea itself: the same as `as_widget` with the attributes
    it works out (class, aria-describedby, aria-invalid, no placeholder)."""
    form = Texts(data)
    if data is not None:
        form.is_valid()
    fast = uswds_widget(form[name])
    attrs = {"class": fast.split('class="')[1].split('"')[0]}
    if "aria-describedby" in fast:
        attrs["aria-describedby"] = fast.split('aria-describedby="')[1].split('"')[0]
    if form[name].errors:
        attrs["aria-invalid"] = "true"
    if name == "hinted":
        attrs["placeholder"] = False
    assert fast == form[name].as_widget(attrs=attrs)
    assert fast.startswith(f'<textarea name="{name}"')
