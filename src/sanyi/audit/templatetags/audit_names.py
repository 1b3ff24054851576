"""``{{ event.action|action_name }}``: an audit code as people read it (audit.actions)."""

from django import template

from sanyi.audit.actions import action_name as _action_name

register = template.Library()


@register.filter
def action_name(code: str) -> str:
    return _action_name(str(code or ""))
