from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "portal/error.html", {"status": 400, "title": "请求有误"}, status=400)


def permission_denied(request, exception=None):
    return render(request, "portal/error.html", {"status": 403, "title": "没有权限"}, status=403)


def page_not_found(request, exception=None):
    return render(request, "portal/error.html", {"status": 404, "title": "页面不存在"}, status=404)


def server_error(request):
    return render(request, "portal/error.html", {"status": 500, "title": "系统出错"}, status=500)
