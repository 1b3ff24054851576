from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """Link to an object's audit history page ("" when the page does not exist)."""
    try:
        return reverse(
            "workbench:object_history",
            kwargs={"object_type": obj._meta.label_lower, "object_id": obj.pk},
        )
    except NoReverseMatch:
        return ""
