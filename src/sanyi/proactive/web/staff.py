"""Workbench pages of proactive rules under /workbench/proactive/ (namespace
workbench:proactive): the rules with their versions and counters, the draft editor, the
rule's own test cases, publishing by a second person, retiring, and a dry-run preview.

Catalogue administrators write, test, publish and retire rules; supervisors read the
rules and their counters. Every check is the selectors' and services'; a refusal shows
the service's reason on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.core.http import StaffRequest
from sanyi.proactive import selectors, services
from sanyi.proactive.choices import RuleStatus
from sanyi.proactive.models import ProactiveRule
from sanyi.proactive.web.forms import PreviewForm, RuleForm, initial_of


def _rule(request: StaffRequest, pk: int) -> ProactiveRule:
    rule = selectors.rule_of(viewer=request.user, pk=pk)
    if rule is None:
        raise Http404("没有找到这条规则")
    return rule


def rules(request: StaffRequest) -> HttpResponseBase:
    rows = list(selectors.rules_with_counters(viewer=request.user))
    return render(
        request,
        "proactive/staff/rules.html",
        {"rules": rows, "can_write": selectors.can_write_rules(request.user)},
    )


def rule_detail(request: StaffRequest, pk: int) -> HttpResponseBase:
    rule = _rule(request, pk)
    return render(
        request,
        "proactive/staff/rule.html",
        {
            "rule": rule,
            "failures": services.rule_test_failures(rule),
            "can_write": selectors.can_write_rules(request.user),
            "own": rule.author_id == request.user.pk,
        },
    )


def rule_create(request: StaffRequest) -> HttpResponseBase:
    """A new rule, or (``?from=<pk>``) a new version of an existing one."""
    selectors.require_rule_writer(request.user)
    source = None
    if request.GET.get("from", "").isdigit():
        source = _rule(request, int(request.GET["from"]))
    form = RuleForm(request.POST or None, initial=_initial(source))
    if source is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        code = source.code if source else form.cleaned_data["code"]
        try:
            rule = services.proactive_rule_create(
                code=code, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。请运行测试用例，再请另一位事项管理员发布。")
            return redirect("workbench:proactive:rule", rule.pk)
    return render(request, "proactive/staff/rule_form.html", {"form": form, "rule": source})


def _initial(source: ProactiveRule | None) -> dict:
    return initial_of(source) if source is not None else {"trigger_params": "{}"}


def rule_edit(request: StaffRequest, pk: int) -> HttpResponseBase:
    selectors.require_rule_writer(request.user)
    rule = _rule(request, pk)
    if rule.status != RuleStatus.DRAFT:
        messages.error(request, "只有草稿可以修改；已发布的规则请新建一个版本。")
        return redirect("workbench:proactive:rule", rule.pk)
    form = RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.proactive_rule_update(rule=rule, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("workbench:proactive:rule", rule.pk)
    return render(request, "proactive/staff/rule_form.html", {"form": form, "rule": rule})


@require_POST
def rule_publish(request: StaffRequest, pk: int) -> HttpResponseBase:
    selectors.require_rule_writer(request.user)
    rule = _rule(request, pk)
    try:
        services.proactive_rule_publish(rule=rule, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "不能发布：" + "；".join(_messages(exc)))
    else:
        messages.success(request, "规则已发布，明天起按它推送；同一规则的旧版本已停用。")
    return redirect("workbench:proactive:rule", rule.pk)


@require_POST
def rule_retire(request: StaffRequest, pk: int) -> HttpResponseBase:
    selectors.require_rule_writer(request.user)
    rule = _rule(request, pk)
    try:
        services.proactive_rule_retire(rule=rule, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "不能停用：" + "；".join(exc.messages))
    else:
        messages.success(request, "规则已停用，不再推送；已推送的不受影响。")
    return redirect("workbench:proactive:rule", rule.pk)


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def preview(request: StaffRequest) -> HttpResponseBase:
    """What the published rules would offer on a day: a dry run, nothing written."""
    selectors.require_rule_writer(request.user)
    form = PreviewForm(request.GET or None, initial={"on": timezone.localdate()})
    plans = None
    if form.is_valid():
        plans = services.proactive_run(on=form.cleaned_data["on"], actor=request.user, dry_run=True)
    return render(request, "proactive/staff/preview.html", {"form": form, "plans": plans})
