"""Form helpers shared by the pages of every app."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(
    form: forms.Form, exc: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form's fields (others at the top, where the
    error summary lists them first). ``fields`` maps a service's name for a value to the
    form's field when they differ (``{"action": "task_action"}``), so the summary links
    the message to the field the person has to change."""
    renamed = fields or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = renamed.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class DateInput(forms.DateInput):
    input_type = "date"
