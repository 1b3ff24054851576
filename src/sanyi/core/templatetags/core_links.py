"""``{{ value|safe_url }}``: a stored link, or "#" when it is not http(s) or relative.

Services refuse unsafe links when they are written; this filter keeps rows written
before that rule (or by hand in the database) from reaching a resident's browser.
"""

from django import template

from sanyi.core.links import is_safe_link

register = template.Library()


@register.filter
def safe_url(value: object) -> str:
    text = "" if value is None else str(value)
    return text if is_safe_link(text) else "#"
