"""Forms around an application outside the wizard. They validate and normalise what was typed; they
decide nothing."""

from django import forms

NARRATIVE_MAX = 20_000


TEXT_MAX = 5_000


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


class VersionedForm(forms.Form):
    """Carries the version of the application the person was looking at, to refuse stale saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


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
