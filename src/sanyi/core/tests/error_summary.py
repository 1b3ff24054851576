"""Checks every staff form family's tests share: a failed submit shows the one error
summary (``{% error_summary %}``) in the form that failed, linked to its fields, and that
form posts to the summary's anchor."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def _form_tag_of(html: str, at: int) -> str:
    """The opening tag of the form holding position ``at`` (or the form right after it,
    when the summary is placed just above its form)."""
    before = html.rfind("<form", 0, at)
    if before != -1 and html.find("</form>", before, at) == -1:
        start = before
    else:
        start = html.index("<form", at)
    return html[start : html.index(">", start) + 1]


def assert_error_summary(
    response,
    links: Mapping[str, str] | None = None,
    *,
    texts: Iterable[str] = (),
    invalid: bool = True,
) -> str:
    """``links``: field id -> part of the message the summary links to that field;
    ``texts``: messages listed without a link (a service's refusal of the whole form).
    ``invalid``: the linked inputs carry aria-invalid (not for radio buttons).
    Returns the summary's HTML."""
    html = response.content.decode()
    assert html.count('id="error-summary"') == 1, "one error summary on the page"
    at = html.index('id="error-summary"')
    start = html.rindex("<div", 0, at)
    box = html[start : html.index("</div>", start)]
    assert 'role="alert"' in box and 'tabindex="-1"' in box and "data-error-summary" in box
    for field_id, text in (links or {}).items():
        assert re.search(rf'<a href="#{re.escape(field_id)}">[^<]*{re.escape(text)}', box), (
            field_id,
            box,
        )
        field = re.search(
            rf'<(input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', html
        )
        assert field, f"no field {field_id} on the page"
        if invalid:
            assert 'aria-invalid="true"' in field.group(0), field.group(0)
            assert f"{field_id}_error" in field.group(0), "aria-describedby names the error"
    for text in texts:
        assert text in box, (text, box)
    action = re.search(r'action="([^"]*)"', _form_tag_of(html, at))
    assert action and action.group(1).endswith("#error-summary"), _form_tag_of(html, at)
    return box
