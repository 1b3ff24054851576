"""Who reaches the catalogue pages and which items they see.

Only catalogue admins reach these pages (403 for everyone else); an item outside the
viewer's scope does not exist for them (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from sanyi.catalog.admin_selectors import admin_item, admin_version, is_catalog_admin
from sanyi.catalog.models import ImplementationItem, ItemVersion


def require_catalog_admin(request) -> None:
    if not is_catalog_admin(request.user):
        raise PermissionDenied("只有事项管理员可以维护政务服务事项目录")


def version_or_404(request, pk: int) -> ItemVersion:
    require_catalog_admin(request)
    try:
        return admin_version(viewer=request.user, pk=pk)
    except ItemVersion.DoesNotExist:
        raise Http404("事项版本不存在或不在您的管理范围内") from None


def item_or_404(request, implementation_code: str) -> ImplementationItem:
    require_catalog_admin(request)
    try:
        return admin_item(viewer=request.user, implementation_code=implementation_code)
    except ImplementationItem.DoesNotExist:
        raise Http404("事项不存在或不在您的管理范围内") from None


def version_url(version: ItemVersion) -> str:
    return reverse("workbench:catalog_version", args=[version.pk])
