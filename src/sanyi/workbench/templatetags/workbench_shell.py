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


@register.inclusion_tag("workbench/_help_panel.html", takes_context=True)
def help_panel(context) -> dict:
    """The collapsed help panel of the current page (see workbench/help/pages.toml)."""
    from sanyi.workbench.help import page_help

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {"help": page_help(match.view_name if match else None)}
