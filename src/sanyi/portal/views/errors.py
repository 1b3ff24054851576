"""Error pages in the portal style. They must render even when the database is down, so
they use only what the request and settings already hold."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    400: (_("请求有误"), _("页面收到的请求不完整或格式不对。请返回上一页重新操作。")),
    403: (
        _("没有权限"),
        _("您没有查看此页面的权限。如确需办理，请联系所在单位的系统管理员。"),
    ),
    404: (_("页面不存在"), _("您要找的页面不存在，可能已经删除或地址输错了。")),
    500: (
        _("系统出错"),
        _("系统暂时出了问题，我们已经记录。请稍后再试，或拨打服务热线咨询。"),
    ),
}


def _context(status: int, **extra) -> dict:
    title, message = MESSAGES[status]
    return {"status": status, "title": title, "message": message, **extra}


def bad_request(request, exception=None):
    return render(request, "portal/error.html", _context(400), status=400)


def permission_denied(request, exception=None):
    return render(request, "portal/error.html", _context(403), status=403)


def page_not_found(request, exception=None):
    return render(request, "portal/error.html", _context(404), status=404)


def server_error(request):
    # No context processors: the failure may be in the database or the session.
    template = loader.get_template("portal/error.html")
    context = _context(
        500,
        request=request,
        SITE_NAME=settings.SANYI_SITE_NAME,
        DEMO_MODE=settings.SANYI_DEMO,
        plain=True,
    )
    return HttpResponse(template.render(context), status=500)


def csrf_failure(request, reason=""):
    context = _context(403)
    context.update(
        title=_("页面已过期"),
        message=_(
            "为保护您的信息安全，表单提交没有成功。这通常是因为页面打开太久或浏览器禁用了"
            " Cookie。请返回上一页，刷新后重新提交。"
        ),
    )
    return render(request, "portal/error.html", context, status=403)
