"""The back-office page of one case: applicant, item, materials, the clock panel, the
timeline, the tasks, and the action forms (claim, step actions, clock stop and restart,
extension, conclusion, delivery, visits); plus the permission-checked downloads.

Each action posts to ``case_action`` with the action's name; the view parses the form and
calls one service of ``sanyi.cases.services``. The service decides whether the viewer may
act and whether the case allows it; its Chinese message is shown beside the field it names,
and nothing is saved when it refuses (every service runs in one transaction).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from sanyi.cases import selectors, services
from sanyi.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    DeliveryMethod,
    TaskAction,
    TaskStatus,
)
from sanyi.cases.models import Case, CaseTask
from sanyi.cases.wallet import case_material_counts
from sanyi.cases.web.staff import require_case_staff
from sanyi.cases.web.staff_forms import (
    ClockStopForm,
    ConcludeForm,
    DeliveryForm,
    ExtensionForm,
    TaskActForm,
    VisitForm,
)
from sanyi.catalog.choices import ResultType
from sanyi.core.forms import apply_service_errors
from sanyi.core.responses import stored_file_response
from sanyi.orgs.models import PATH_SEGMENT_WIDTH, OrgKind, OrgUnit, Role, Window
from sanyi.orgs.permissions import has_role, roles_of
from sanyi.orgs.selectors import unit_choices_by_level
from sanyi.orgs.tree import subtree_q


def _case_or_404(request, pk: int) -> Case:
    """The case, if the viewer's scope covers it (404 when missing, 403 outside scope)."""
    require_case_staff(request)
    return selectors.case_get_for(request.user, pk)


def case_url(case: Case) -> str:
    return reverse("workbench:cases:work_case", args=[case.pk])


# --- choices for the forms ------------------------------------------------------------------


def _window_choices(case: Case) -> list[tuple[int, str]]:
    """Windows of the accepting center first (统一出件 at the window where the case was
    filed), then the other windows of the same unit's centers."""
    if case.center_id is None:
        return []
    windows = Window.objects.filter(center=case.center, is_active=True).select_related("center")
    return [(w.pk, str(w)) for w in windows.order_by("number")]


UnitGroups = list[tuple[str, list[tuple[int, str]]]]


def _forward_units(case: Case) -> UnitGroups:
    """Units a step can be forwarded to, grouped by level (区直部门, 街道, 社区 …): the
    active departments, stations, subdistricts and communities of the case's district
    (forwarding crosses departments by nature)."""
    root = case.unit.path[: PATH_SEGMENT_WIDTH + 1]
    units = OrgUnit.objects.filter(subtree_q(root, "path"), is_active=True).exclude(
        kind__in=(OrgKind.GRID, OrgKind.DISTRICT)
    )
    return unit_choices_by_level(units)


def _forward_units_for(groups: UnitGroups, task: CaseTask | None) -> UnitGroups:
    """The groups without the step's own unit, which it cannot be forwarded to."""
    if task is None:
        return groups
    trimmed = [(title, [c for c in choices if c[0] != task.unit_id]) for title, choices in groups]
    return [(title, choices) for title, choices in trimmed if choices]


def _requester_choices(case: Case, user) -> list[tuple[int, str]]:
    """People who handled a step of the case: one of them asks for the extension."""
    people = {}
    for task in case.tasks.all():
        for person in (task.assignee, task.completed_by):
            if person is not None and person.pk != user.pk:
                people[person.pk] = person.get_full_name() or person.username
    return sorted(people.items(), key=lambda kv: kv[1])


def _issues_licence(case: Case) -> bool:
    return case.item_version.result_type == ResultType.LICENCE


def _forms(request, case: Case, *, bound=None) -> dict:
    """One unbound form per action, or ``bound`` (a form with errors) in its place. The
    step forms are built per step in ``_step_forms``."""
    user = request.user
    built = {
        "stop": ClockStopForm(),
        "extend": ExtensionForm(requesters=_requester_choices(case, user)),
        "conclude": ConcludeForm(
            issues_licence=_issues_licence(case), licence_name=case.item_version.result_name
        ),
        "deliver": DeliveryForm(
            windows=_window_choices(case),
            initial={"method": case.delivery_method or DeliveryMethod.WINDOW},
        ),
        "visit": VisitForm(windows=_window_choices(case), initial={"window": _my_window_id(user)}),
    }
    if bound is not None:
        built[bound.action] = bound
    return built


def _step_forms(request, case: Case, tasks, *, bound=None) -> list[tuple[CaseTask, Any]]:
    """The viewer's open steps, each with its form offering exactly the actions the step
    allows now (``selectors.task_actions``, the rule ``task_act`` enforces); a failed post
    comes back in place of its step's form, with its errors."""
    mine = [
        t
        for t in tasks
        if t.status == TaskStatus.OPEN and t.assignee_id == request.user.pk and t.step_id
    ]
    if not mine:
        return []
    steps = selectors.case_handling_steps(case)
    units = _forward_units(case)
    posted = request.POST.get("task") if bound is not None and bound.action == "task" else None
    forms = []
    for task in mine:
        if posted is not None and str(task.pk) == str(posted):
            forms.append((task, bound))
            continue
        allowed = selectors.task_actions(
            viewer=request.user, task=task, case=case, steps=steps
        ).allowed
        forms.append((task, TaskActForm(units=_forward_units_for(units, task), actions=allowed)))
    return forms


def _my_window_id(user) -> int | None:
    for ra in roles_of(user):
        if ra.role == Role.WINDOW_CLERK and ra.window_id:
            return ra.window_id
    return None


# --- what the viewer may do -----------------------------------------------------------------


# The page's own name for the rule; the selector holds it so the reveal service and the
# page never disagree.
may_see_full_id = selectors.case_may_see_full_id


def _offers(user, case: Case, tasks) -> dict:
    """Which action forms to offer. Only a guide for the page: each service checks again."""
    acting = selectors.case_may_act(user, case) or any(
        t.assignee_id == user.pk and t.status == TaskStatus.OPEN for t in tasks
    )
    approver = has_role(user, (Role.APPROVER, Role.SUPERVISOR), case.current_unit)
    open_tasks = [t for t in tasks if t.status == TaskStatus.OPEN]
    # After the last step the case waits for its decision on a "办结" task (no step).
    deciding = [t for t in open_tasks if t.step_id is None]
    running = case.status in OPEN_STATUSES
    return {
        "claim": [t for t in open_tasks if t.assignee_id != user.pk],
        "stop": acting and case.status == CaseStatus.IN_PROGRESS,
        "restart": acting and case.status == CaseStatus.SUSPENDED,
        "extend": approver and running,
        "conclude": (
            case.status == CaseStatus.IN_PROGRESS
            and has_role(user, Role.APPROVER, case.current_unit)
            and bool(deciding)
            and all(t.assignee_id in (None, user.pk) for t in deciding)
        ),
        "deliver": acting and case.status == CaseStatus.CONCLUDED,
        "visit": acting and case.status not in (CaseStatus.DRAFT, CaseStatus.WITHDRAWN),
    }


# --- the page -------------------------------------------------------------------------------


def _page(request, case: Case, *, bound=None, full_id: bool = False, status: int = 200):
    user = request.user
    tasks = list(
        case.tasks.select_related("unit", "assignee", "completed_by", "step").order_by(
            "started_at", "pk"
        )
    )
    # Tasks read above give the requester choices without another query.
    case._prefetched_objects_cache = {**getattr(case, "_prefetched_objects_cache", {})}
    case._prefetched_objects_cache["tasks"] = tasks
    clock = selectors.case_clock(case, today=timezone.localdate())
    context = {
        "case": case,
        "version": case.item_version,
        "item": case.implementation_item,
        "clock": clock,
        "overdue_days": -clock.remaining
        if clock.remaining is not None and clock.remaining < 0
        else 0,
        "timeline": selectors.case_timeline(case),
        "tasks": tasks,
        "materials": list(case.materials.select_related("licence", "reused_from__case")),
        "material_counts": case_material_counts(case),
        "stops": list(case.clock_stops.select_related("stopped_by", "restarted_by")),
        "extensions": list(case.extensions.select_related("requested_by", "approved_by")),
        "documents": list(case.documents.all()),
        "visits": list(case.visit_records.select_related("window__center", "recorded_by")),
        "delivery": _delivery_of(case),
        "licence": _licence_of(case),
        "precheck_rounds": list(case.precheck_rounds.all()),
        "forms": _forms(request, case, bound=bound),
        "step_forms": _step_forms(request, case, tasks, bound=bound),
        "offers": _offers(user, case, tasks),
        "may_see_full_id": may_see_full_id(user, case, tasks),
        "has_requesters": bool(_requester_choices(case, user)),
        "full_id": full_id,
        "guide_url": _guide_url(case),
        "version_admin_url": _version_admin_url(user, case),
        "issues_licence": _issues_licence(case),
    }
    return render(request, "cases/staff/case.html", context, status=status)


def _delivery_of(case: Case):
    try:
        return case.delivery
    except Case.delivery.RelatedObjectDoesNotExist:
        return None


def _licence_of(case: Case):
    from sanyi.licences.models import ELicence

    try:
        return case.licence
    except ELicence.DoesNotExist:
        return None


def _guide_url(case: Case) -> str:
    try:
        return reverse("catalog:guide", args=[case.implementation_item.implementation_code])
    except NoReverseMatch:
        return ""


def _version_admin_url(user, case: Case) -> str:
    """The version page of the catalogue admin pages, for those who may open it."""
    if not has_role(user, Role.CATALOG_ADMIN, case.implementation_item.implementing_unit):
        return ""
    return reverse("workbench:catalog_version", args=[case.item_version_id])


@require_safe
def case_detail(request, pk: int):
    return _page(request, _case_or_404(request, pk))


@require_POST
def applicant_id_show(request, pk: int):
    """Show the applicant's full ID number on the page, once, and log who looked."""
    case = _case_or_404(request, pk)
    services.case_applicant_id_reveal(case=case, actor=request.user)
    response = _page(request, case, full_id=True)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- actions: each parses its form and calls one service ------------------------------------


def _bound(request, case: Case, form_class):
    """The action's form bound to the post, with the choices it offers for this case."""
    kwargs: dict[str, Any] = {}
    if form_class is TaskActForm:
        task = _task_of(list(case.tasks.all()), request.POST.get("task"))
        kwargs["units"] = _forward_units_for(_forward_units(case), task)
        verdict = selectors.task_actions(viewer=request.user, task=task, case=case)
        kwargs["actions"] = verdict.allowed
    elif form_class is ExtensionForm:
        kwargs["requesters"] = _requester_choices(case, request.user)
    elif form_class is ConcludeForm:
        kwargs["issues_licence"] = _issues_licence(case)
    elif form_class in (DeliveryForm, VisitForm):
        kwargs["windows"] = _window_choices(case)
    return form_class(request.POST, **kwargs)


def _window_of(data) -> Window | None:
    return Window.objects.get(pk=data["window"]) if data.get("window") else None


def _claim(request, case: Case, form: None):
    task = _task_of(list(case.tasks.all()), request.POST.get("task"))
    return _run(
        request,
        case,
        form,
        f"已认领“{task.name}”环节。",
        services.task_claim,
        task=task,
        actor=request.user,
    )


def _restart(request, case: Case, form: None):
    return _run(
        request,
        case,
        form,
        "已恢复计时，期限已顺延。",
        services.clock_restart,
        case=case,
        actor=request.user,
    )


def _task_act(request, case: Case, form: TaskActForm):
    data = form.cleaned_data
    task = _task_of(list(case.tasks.all()), request.POST.get("task"))
    to_unit = OrgUnit.objects.get(pk=data["to_unit"]) if data.get("to_unit") else None
    done = "已办理。"
    if data["task_action"] == TaskAction.DISAGREE:
        done = "已办结：不予准予，已生成结果文书。"
    return _run(
        request,
        case,
        form,
        done,
        services.task_act,
        task=task,
        action=data["task_action"],
        actor=request.user,
        opinion=data["opinion"].strip(),
        to_unit=to_unit,
        basis=(data.get("basis") or "").strip(),
    )


def _stop(request, case: Case, form: ClockStopForm):
    data = form.cleaned_data
    return _run(
        request,
        case,
        form,
        "已暂停计时。",
        services.clock_stop,
        case=case,
        reason=data["reason"],
        note=data["note"].strip(),
        actor=request.user,
    )


def _extend(request, case: Case, form: ExtensionForm):
    data = form.cleaned_data
    return _run(
        request,
        case,
        form,
        f"已批准延期{data['days']}个工作日。",
        services.case_extend,
        case=case,
        days=data["days"],
        reason=data["reason"].strip(),
        requested_by=_user(data["requested_by"]),
        actor=request.user,
    )


def _conclude(request, case: Case, form: ConcludeForm):
    data = form.cleaned_data
    return _run(
        request,
        case,
        form,
        "已办结。",
        services.case_conclude,
        case=case,
        decision=data["decision"],
        reason=data["reason"].strip(),
        basis=data["basis"].strip(),
        actor=request.user,
        licence=form.licence(),
    )


def _deliver(request, case: Case, form: DeliveryForm):
    data = form.cleaned_data
    return _run(
        request,
        case,
        form,
        "已出件。",
        services.case_deliver,
        case=case,
        method=data["method"],
        actor=request.user,
        window=_window_of(data),
        tracking_number=data["tracking_number"].strip(),
        address=data["address"].strip(),
        recipient_name=data["recipient_name"].strip(),
    )


def _visit(request, case: Case, form: VisitForm):
    data = form.cleaned_data
    return _run(
        request,
        case,
        form,
        "已记录到现场。",
        services.visit_record,
        case=case,
        purpose=data["purpose"],
        actor=request.user,
        window=_window_of(data),
    )


# action name -> (its form, or None when the action posts no fields; its handler)
ACTIONS = {
    "claim": (None, _claim),
    "restart": (None, _restart),
    TaskActForm.action: (TaskActForm, _task_act),
    ClockStopForm.action: (ClockStopForm, _stop),
    ExtensionForm.action: (ExtensionForm, _extend),
    ConcludeForm.action: (ConcludeForm, _conclude),
    DeliveryForm.action: (DeliveryForm, _deliver),
    VisitForm.action: (VisitForm, _visit),
}


@require_POST
def case_action(request, pk: int, action: str):
    case = _case_or_404(request, pk)
    if action not in ACTIONS:
        raise Http404("没有这项操作")
    form_class, handle = ACTIONS[action]
    form = None
    if form_class is not None:
        form = _bound(request, case, form_class)
        if not form.is_valid():
            return _page(request, case, bound=form)
    return handle(request, case, form)


def _user(pk):
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(pk=pk)
    except (ValueError, get_user_model().DoesNotExist):
        raise Http404("没有这位承办人") from None


def _task_of(tasks, raw) -> CaseTask:
    task = next((t for t in tasks if str(t.pk) == str(raw)), None)
    if task is None:
        raise Http404("这个办理环节不存在")
    return task


def _run(request, case: Case, form, done: str, service, /, **kwargs):
    """Call one service; on refusal show its message beside the form's fields (or at the
    top of the page when the action has no form) and keep the case as it was."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        case.refresh_from_db()
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(case_url(case))
        # The service names the chosen action "action"; the form's field is task_action.
        apply_service_errors(form, exc, fields={"action": "task_action"})
        return _page(request, case, bound=form)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您不能办理这项操作")
        return redirect(case_url(case))
    messages.success(request, done)
    return redirect(case_url(case))


# --- downloads ------------------------------------------------------------------------------


def _file_response(field, filename: str, content_type: str) -> FileResponse:
    response = stored_file_response(field, filename, content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def material_download(request, pk: int, material_pk: int):
    """A material the applicant provided, for staff whose scope covers the case."""
    case = _case_or_404(request, pk)
    material = case.materials.filter(pk=material_pk).first()
    if material is None or not material.file:
        raise Http404("这项材料没有文件")
    suffix = PurePosixPath(material.file.name).suffix
    return _file_response(
        material.file, f"{case.number}-{material.name}{suffix}", material.content_type
    )


@require_safe
def document_download(request, pk: int, document_pk: int):
    case = _case_or_404(request, pk)
    document = case.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404("没有这份结果文书")
    return _file_response(document.file, f"{case.number}-{document.title}.pdf", "application/pdf")
