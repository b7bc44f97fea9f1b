"""What the app's views share: a private file as a download, and the handling of a form whose
service may refuse (its errors beside their fields, the status that says what happened)."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse

from certification.errors import StaleApplication


def private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download. Always a download, never rendered by the browser as another
    type, never kept in a shared cache; and should a browser display it anyway, it runs no script
    and loads nothing, in a sandbox without our origin."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def add_service_errors(
    form: forms.Form, error: ValidationError, *, unkeyed_to: str | None = None
) -> None:
    """Put a service's ValidationError beside the fields it names; messages that name no field go
    beside `unkeyed_to`, or above the form."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {unkeyed_to: error.messages}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def call_service(
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    refusals: tuple[type[Exception], ...] = (),
    unkeyed_to: str | None = None,
) -> int | None:
    """Validate a bound `form` and call `action(cleaned_data)`, the service the form is for.

    Returns None when the service did it; otherwise the status to show the form again with, its
    errors beside their fields: 400 for a form that does not validate or a service that refuses
    (ValidationError, or one of `refusals` such as PermissionDenied, shown as a form error), 409
    for a change made from a stale copy of the application, which saves nothing. A refusal that
    names no field is shown beside `unkeyed_to` (say, the file it is about), or above the form.
    """
    if not form.is_valid():
        return HTTPStatus.BAD_REQUEST
    try:
        action(form.cleaned_data)
    except StaleApplication as error:
        form.add_error(None, error)
        return HTTPStatus.CONFLICT
    except ValidationError as error:
        add_service_errors(form, error, unkeyed_to=unkeyed_to)
        return HTTPStatus.BAD_REQUEST
    except refusals as error:
        form.add_error(None, str(error))
        return HTTPStatus.BAD_REQUEST
    return None
