"""The "在线申请" button of a guide page (the catalogue's template loads this tag, so the
rule of which items can be applied for online stays in the cases app)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from sanyi.cases.web.public import online_apply_allowed

register = template.Library()


@register.simple_tag
def online_apply_button(version) -> str:
    if version is None or not online_apply_allowed(version):
        return ""
    code = version.implementation_item.implementation_code
    return format_html(
        '<a class="btn btn-primary" href="{}">在线申请</a>', reverse("cases:apply", args=[code])
    )
