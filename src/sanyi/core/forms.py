"""Form helpers shared by the pages of every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


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


def _attrs_html(attrs: Mapping[str, object]) -> str:
    """The attributes as Django's ``attrs.html`` writes them: False left out, True bare,
    anything else (None too) as its text, escaped."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class LongSelect(forms.Select):
    """A ``<select>`` for long lists (a district's items, its units): the same HTML as
    ``forms.Select``, written in Python instead of through one template include per
    option, which cost about 35 µs an option (5 ms for 130 items on a worklist page).
    ``core/tests/test_long_select.py`` checks that the two write the same HTML."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"])]
        parts.append(">")
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                # (Django's option template ends in a newline.)
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attrs_html(option["attrs"])),  # noqa: S308 - escaped above
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
