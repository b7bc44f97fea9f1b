"""Form fields for what people paste in: lists one a line, amounts as statements print them."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def _excerpt(line: str, limit: int = 24) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


class LinesField(forms.CharField):
    """A textarea of one value per line, cleaned to a list of normalised values without repeats.

    Errors name the line by its number as the person sees it in the box, so the text is not
    stripped as a whole (that would renumber the lines after leading blank ones).
    """

    widget = forms.Textarea
    # Past this many bad lines the rest are summarised: a pasted spreadsheet column can have
    # hundreds, and a wall of errors helps nobody.
    MAX_ERRORS = 5

    def __init__(
        self, *, normalise: Callable[[str], str], max_items: int, noun: str, **kwargs
    ) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.normalise = normalise
        self.max_items = max_items
        self.noun = noun

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value) -> list[str]:
        text = super().clean(value)  # also refuses NUL characters, which PostgreSQL cannot store
        items: list[str] = []
        seen: set[str] = set()
        errors: list[ValidationError] = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                item = self.normalise(line)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        f"Line {number} (“{_excerpt(line)}”): {' '.join(e.messages)}", code=e.code
                    )
                    for e in error.error_list
                )
                continue
            if item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        if len(errors) > self.MAX_ERRORS:
            more = len(errors) - self.MAX_ERRORS
            errors = [
                *errors[: self.MAX_ERRORS],
                ValidationError(f"And {more} more lines to correct.", code="invalid"),
            ]
        if errors:
            raise ValidationError(errors)
        if len(items) > self.max_items:
            raise ValidationError(
                f"Enter no more than {self.max_items} {self.noun}.", code="max_items"
            )
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        return items

    def has_changed(self, initial, data) -> bool:
        try:
            return self.clean(data) != list(initial or [])
        except ValidationError:
            return True


class _Grouped:
    """Accepts amounts as people copy them from statements: "$3,500,000.00", "1,200"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("$").replace(",", "").strip()
        return super().to_python(value)


class MoneyField(_Grouped, forms.DecimalField):
    pass


class CountField(_Grouped, forms.IntegerField):
    pass
