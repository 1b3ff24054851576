from django import template
from django.utils.translation import gettext

from sanyi.core.pagecache import CARE_COOKIE
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
    return getattr(request, "COOKIES", {}).get(CARE_COOKIE) == "1"


@register.filter
def html_lang(language_code: str) -> str:
    """A Django language code as the BCP 47 tag HTML wants: "zh-hans" -> "zh-Hans"."""
    first, *rest = (language_code or "").split("-")
    parts = [first.lower()]
    for subtag in rest:
        if len(subtag) == 4:  # script
            parts.append(subtag.title())
        elif len(subtag) == 2:  # region
            parts.append(subtag.upper())
        else:
            parts.append(subtag.lower())
    return "-".join(parts)


@register.filter
def duration(value) -> str:
    """A timedelta in the page's language, rounded up to whole minutes: "1小时30分钟"."""
    if value is None:
        return ""
    minutes = max(int((value.total_seconds() + 59) // 60), 1)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return gettext("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": minutes}
    if hours:
        return gettext("%(hours)d小时") % {"hours": hours}
    return gettext("%(minutes)d分钟") % {"minutes": minutes}
