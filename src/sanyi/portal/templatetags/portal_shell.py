from django import template

from sanyi.portal.navigation import portal_links

register = template.Library()


@register.simple_tag
def portal_nav_links():
    """The portal's main navigation (only links whose pages exist)."""
    return portal_links()


@register.filter
def care_mode(request) -> bool:
    """Large-text mode (关怀模式) as chosen in this browser; read from the cookie so the
    first paint already has the right size."""
    return getattr(request, "COOKIES", {}).get("sanyi_care") == "1"


@register.filter
def duration_zh(value) -> str:
    """A timedelta in plain Chinese, rounded up to whole minutes: "1小时30分钟"."""
    if value is None:
        return ""
    minutes = max(int((value.total_seconds() + 59) // 60), 1)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}小时{minutes}分钟"
    if hours:
        return f"{hours}小时"
    return f"{minutes}分钟"
