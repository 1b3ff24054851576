"""Staff pages under /workbench/notifications/: my messages; for system admins and
supervisors the delivery status list (system admins re-queue stopped deliveries); webhook
subscriptions for system admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.core.http import StaffRequest
from sanyi.notify import selectors, services
from sanyi.notify.models import OutboxMessage, WebhookSubscription
from sanyi.notify.web.forms import DeliveryFilterForm, WebhookForm

PER_PAGE = 25


def _nav(request: StaffRequest) -> dict:
    return {
        "can_see_deliveries": selectors.can_see_deliveries(request.user),
        "can_manage_webhooks": selectors.can_manage_webhooks(request.user),
    }


def inbox(request: StaffRequest) -> HttpResponseBase:
    qs = selectors.inbox(user=request.user)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/staff/inbox.html",
        {"page": page, "unread": selectors.unread_count(user=request.user), **_nav(request)},
    )


def message_detail(request: StaffRequest, pk: int) -> HttpResponseBase:
    message = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.message_mark_read(message=message)
    return render(request, "notify/staff/message.html", {"message": message, **_nav(request)})


@require_POST
def inbox_read_all(request: StaffRequest) -> HttpResponseBase:
    n = services.messages_mark_all_read(user=request.user)
    messages.success(request, f"已将{n}条消息标为已读。" if n else "没有未读消息。")
    return redirect("workbench:notify:inbox")


def deliveries(request: StaffRequest) -> HttpResponseBase:
    if not selectors.can_see_deliveries(request.user):
        raise PermissionDenied("只有系统管理员和督查人员可以查看发送情况")
    form = DeliveryFilterForm(request.GET or None, events=selectors.delivery_events())
    filters = selectors.DeliveryFilters()
    if form.is_valid():
        filters = selectors.DeliveryFilters(**form.cleaned_data)
    qs = selectors.deliveries(viewer=request.user, filters=filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.__dict__.items() if v})
    return render(
        request,
        "notify/staff/deliveries.html",
        {"form": form, "page": page, "query": query, **_nav(request)},
    )


@require_POST
def delivery_requeue(request: StaffRequest, pk: int) -> HttpResponseBase:
    if not selectors.can_manage_webhooks(request.user):
        raise PermissionDenied("只有系统管理员可以重新发送")
    row = get_object_or_404(OutboxMessage, pk=pk)
    try:
        services.outbox_requeue(actor=request.user, outbox=row)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新排队发送。")
    return redirect(request.POST.get("back") or "workbench:notify:deliveries")


def _require_webhook_admin(request: StaffRequest) -> None:
    if not selectors.can_manage_webhooks(request.user):
        raise PermissionDenied("只有系统管理员可以管理 Webhook 订阅")


def webhooks(request: StaffRequest) -> HttpResponseBase:
    _require_webhook_admin(request)
    subs = WebhookSubscription.objects.order_by("name", "id")
    return render(request, "notify/staff/webhooks.html", {"subs": subs, **_nav(request)})


@require_http_methods(["GET", "POST"])
def webhook_edit(request: StaffRequest, pk: int | None = None) -> HttpResponseBase:
    _require_webhook_admin(request)
    sub = get_object_or_404(WebhookSubscription, pk=pk) if pk else None
    initial = (
        {f: getattr(sub, f) for f in ("name", "url", "events", "audience", "is_active")}
        if sub
        else None
    )
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if sub is None:
                services.webhook_subscription_create(actor=request.user, **data)
            else:
                services.webhook_subscription_update(actor=request.user, subscription=sub, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Webhook 订阅已保存。")
            return redirect("workbench:notify:webhooks")
    return render(
        request, "notify/staff/webhook_form.html", {"form": form, "sub": sub, **_nav(request)}
    )


@require_POST
def webhook_delete(request: StaffRequest, pk: int) -> HttpResponseBase:
    _require_webhook_admin(request)
    sub = get_object_or_404(WebhookSubscription, pk=pk)
    services.webhook_subscription_delete(actor=request.user, subscription=sub)
    messages.success(request, f"已删除 Webhook 订阅“{sub.name}”，尚未发送的推送已停止。")
    return redirect("workbench:notify:webhooks")
