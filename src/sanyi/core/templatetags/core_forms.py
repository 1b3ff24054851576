"""``{% error_summary form [other_form …] %}``: the one error summary of a page.

A failed submit shows one box at the top of the form that failed (GOV.UK's error
summary): a heading with the number of problems and each problem as a link to its field.
The box has the id ``error-summary`` (forms post to ``…#error-summary`` so the browser
scrolls to it without JavaScript, and ``sanyi.js`` moves the focus onto it), and
``role="alert"`` so a screen reader reads it out. Errors that belong to no field (a
service's refusal) are listed first, as plain text.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.contrib.messages import constants

register = template.Library()

ERROR_SUMMARY_ID = "error-summary"


def _target(field: forms.BoundField) -> str:
    """The link to a field: its input, or the first choice of a group of radios (whose
    label points at nothing)."""
    target = field.id_for_label
    if not target and field.subwidgets:
        target = field.subwidgets[0].id_for_label
    return f"#{target}" if target else ""


def _problems(form: forms.BaseForm) -> list[dict[str, str]]:
    problems = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        # A hidden field has nothing to jump to: its error reads like a form-level one.
        href = "" if field.is_hidden else _target(field)
        label = "" if field.is_hidden else f"{field.label}："
        problems += [{"text": f"{label}{error}", "href": href} for error in field.errors]
    return problems


@register.inclusion_tag("sanyi/_error_summary.html")
def error_summary(*forms_shown: Any) -> dict[str, Any]:
    """Every problem of the given forms (missing or unbound ones are skipped)."""
    problems: list[dict[str, str]] = []
    for form in forms_shown:
        if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
            problems += _problems(form)
    return {"problems": problems, "summary_id": ERROR_SUMMARY_ID}


@register.filter
def error_messages(messages: Any) -> list[Any]:
    """The error-level messages (a refusal after a redirect), shown as an error summary."""
    return [m for m in messages or () if m.level == constants.ERROR]


@register.filter
def other_messages(messages: Any) -> list[Any]:
    """Every message but the errors: confirmations and notices."""
    return [m for m in messages or () if m.level != constants.ERROR]
