"""Workbench pages of grid work (URL namespace workbench:grid, under /workbench/grid/):
the officer's 今日任务, one task with the visit form, and the address mapping."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.core.imports import (
    ImportRejected,
    staged_upload_delete,
    staged_upload_get,
    staged_upload_save,
)
from sanyi.grid import selectors, services
from sanyi.grid.models import Confirmation
from sanyi.grid.web.forms import RulesUploadForm, VisitForm
from sanyi.orgs.permissions import scope_paths

DEMO_CODE_KEY = "sanyi_grid_demo_code"
STAGE_KIND = "grid-rules"


def _officer(request) -> None:
    if not selectors.is_officer(request.user):
        raise PermissionDenied("只有网格员可以查看上门任务")


def today(request):
    """The open doorstep steps of the officer's grids, soonest due first, and the
    households whose visit is due within 7 days or overdue (待走访)."""
    _officer(request)
    tasks = list(selectors.grid_tasks(request.user)[:200])
    grids = list(selectors.officer_grids(request.user))
    due = selectors.household_list(viewer=request.user, due=selectors.DueFilter.DUE)
    return render(
        request,
        "grid/today.html",
        {
            "tasks": tasks,
            "grids": grids,
            "today": timezone.localdate(),
            "households_due": list(due[:20]),
            "households_due_count": due.count(),
        },
    )


def _task(request, pk: int):
    _officer(request)
    task = selectors.grid_task(request.user, pk)
    if task is None:
        raise Http404
    return task


def _demo_codes_shown() -> bool:
    from django.conf import settings

    from sanyi.notify.channels import sms_provider_is_console

    return sms_provider_is_console() and not settings.PRODUCTION


def task(request, pk: int):
    """One task: what the visit needs to know (masked), and the visit form."""
    item = _task(request, pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(task=item, actor=request.user, data=_visit_input(form))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session.pop(DEMO_CODE_KEY, None)
            messages.success(request, f"“{item.name}”已记录，办件{item.case.number}进入下一环节。")
            return redirect("workbench:grid:today")
    return render(
        request,
        "grid/task.html",
        {
            "task": item,
            "applicant": item.case.applicant,
            "form": form,
            "needs_id": selectors.step_needs_full_id(item),
            "demo_code": request.session.get(DEMO_CODE_KEY, {}).get(str(item.pk), ""),
            "max_photos": services.MAX_PHOTOS,
        },
        status=400 if form.errors else 200,
    )


def _visit_input(form: VisitForm) -> services.VisitInput:
    data = form.cleaned_data
    signature = b""
    raw = data.get("signature") or ""
    if data["confirmation"] == Confirmation.SIGNATURE and raw:
        try:
            signature = base64.b64decode(raw.split(",", 1)[-1], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"signature": "签名无法读取，请重新签名"}) from None
    return services.VisitInput(
        visited_at=data["visited_at"],
        outcome=data["outcome"],
        notes=data.get("notes") or "",
        photos=data.get("photos") or [],
        keep_location=bool(data.get("keep_location")),
        confirmation=data["confirmation"],
        code=data.get("code") or "",
        signature=signature,
    )


def code_sent(request, send: Callable[[], Any], *, session_key: str, pk: int) -> None:
    """Send a resident a code (``send``) and say where it went; a demo site with the console
    SMS keeps the code in the session to show it on the page."""
    try:
        sent = send()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return
    messages.success(request, f"验证码已发送到居民登记的手机{sent.phone}，请居民告诉您验证码。")
    if _demo_codes_shown():
        codes = request.session.get(session_key, {})
        codes[str(pk)] = sent.code
        request.session[session_key] = codes


@require_POST
def send_code(request, pk: int):
    item = _task(request, pk)
    code_sent(
        request,
        lambda: services.visit_code_request(task=item, actor=request.user),
        session_key=DEMO_CODE_KEY,
        pk=item.pk,
    )
    return redirect("workbench:grid:task", pk=item.pk)


@require_POST
def reveal_id(request, pk: int):
    item = _task(request, pk)
    number = services.visit_id_reveal(task=item, actor=request.user)
    return render(request, "grid/id.html", {"task": item, "number": number})


# --- the address mapping --------------------------------------------------------------------


def _admin(request) -> None:
    if not scope_paths(request.user, selectors.RULE_ROLES):
        raise PermissionDenied("只有系统管理员可以维护网格地址")


def rules(request):
    """The mapping by grid, with each grid's officers; upload (checked first) and export."""
    _admin(request)
    form = RulesUploadForm(request.POST or None, request.FILES or None)
    preview = errors = None
    token = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(services.rules.MAX_BYTES + 1)
        try:
            preview = services.rules_import(data=data, actor=request.user, dry_run=True)
        except ImportRejected as exc:
            errors = [str(e) for e in exc.errors[:100]]
        else:
            token = staged_upload_save(
                kind=STAGE_KIND, owner_id=request.user.pk, file_name=upload.name, content=data
            ).token
    all_rules = list(selectors.address_rules())
    grids = sorted({r.grid for r in all_rules}, key=lambda g: g.path)
    officers = selectors.grid_officers(grids)
    return render(
        request,
        "grid/rules.html",
        {
            "form": form,
            "preview": preview,
            "errors": errors,
            "token": token,
            "grids": [
                (g, officers[g.pk], [r for r in all_rules if r.grid_id == g.pk]) for g in grids
            ],
        },
        status=400 if errors else 200,
    )


@require_POST
def rules_confirm(request):
    _admin(request)
    staged = staged_upload_get(
        kind=STAGE_KIND, token=request.POST.get("token", ""), viewer=request.user
    )
    if staged is None:
        messages.error(request, "上传的文件已失效，请重新上传")
        return redirect("workbench:grid:rules")
    try:
        result = services.rules_import(data=staged.read(), actor=request.user)
    except ImportRejected as exc:
        messages.error(request, "；".join(str(e) for e in exc.errors[:5]))
    else:
        messages.success(
            request,
            f"已导入{result.rules}条地址规则（{result.grids}个网格），{result.placed}位申请人的所在网格已更新。",
        )
    staged_upload_delete(staged=staged)
    return redirect(reverse("workbench:grid:rules"))


def rules_export(request):
    _admin(request)
    data = services.rules_export(actor=request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''grid-addresses.xlsx"
    return response
