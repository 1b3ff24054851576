"""The rule editor of a draft (受理条件规则): the draft's rules, adding, changing and
deleting one. Only drafts are edited; every change goes through ``services.rules``, which
checks the role, the status and the rule (its shape and lint's L018/L019) again.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sanyi.catalog import services
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.eligibility import rules_of, vocabulary
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.web.rule_forms import (
    ADVANCED,
    OPERATORS,
    RuleForm,
    facts_text,
    posted_rule,
    test_rows,
)
from sanyi.catalog.web.staff.access import version_or_404, version_url
from sanyi.core.forms import apply_service_errors


def _draft_or_redirect(request: HttpRequest, pk: int) -> tuple[ItemVersion, HttpResponse | None]:
    version = version_or_404(request, pk)
    if version.status != VersionStatus.DRAFT:
        messages.warning(
            request, f"该版本处于“{version.get_status_display()}”状态，不能修改受理条件规则。"
        )
        return version, redirect(version_url(version))
    return version, None


def _page(
    request: HttpRequest,
    version: ItemVersion,
    form: RuleForm,
    tests: Any,
    *,
    position: int | None = None,
    status: int = 200,
) -> HttpResponse:
    rules = [
        {
            **rule,
            "position": i,
            "logic_json": json.dumps(rule["logic"], ensure_ascii=False),
            "test_rows": [
                (facts_text(t["facts"]), "符合" if t["expected"] else "不符合")
                for t in rule["tests"]
            ],
        }
        for i, rule in enumerate(rules_of(version), start=1)
    ]
    context = {
        "version": version,
        "rules": rules,
        "form": form,
        "tests": tests,
        "position": position,
        "fields": vocabulary(),
        "operators": OPERATORS,
    }
    return render(request, "catalog/staff/rules.html", context, status=status)


def _save(request: HttpRequest, version: ItemVersion, position: int | None) -> HttpResponse:
    """Parse the posted rule and save it through the service, or show the page again with
    the errors on its fields."""
    form, tests = RuleForm(request.POST), test_rows(request.POST)
    form_ok, tests_ok = form.is_valid(), tests.is_valid()
    if form_ok and tests_ok:
        try:
            services.eligibility_rule_save(
                actor=request.user,
                version=version,
                rule=posted_rule(form, tests),
                position=position,
            )
        except ValidationError as exc:
            simple = form.cleaned_data.get("mode") != ADVANCED
            apply_service_errors(form, exc, fields={"logic": "value"} if simple else None)
        else:
            messages.success(request, f"已保存受理条件规则“{form.cleaned_data['name']}”。")
            return redirect(reverse("workbench:catalog_rules", args=[version.pk]))
    return _page(request, version, form, tests, position=position, status=400)


def rule_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's rules, and the form that adds one."""
    version, away = _draft_or_redirect(request, pk)
    if away is not None:
        return away
    if request.method == "POST":
        return _save(request, version, None)
    return _page(request, version, RuleForm(), test_rows())


def rule_edit(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    version, away = _draft_or_redirect(request, pk)
    if away is not None:
        return away
    rules = rules_of(version)
    if not 1 <= position <= len(rules):
        raise Http404("这条受理条件规则不存在")
    if request.method == "POST":
        return _save(request, version, position)
    rule = rules[position - 1]
    form = RuleForm(initial=RuleForm.initial_of(rule))
    return _page(request, version, form, test_rows(tests=rule["tests"]), position=position)


@require_POST
def rule_delete(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    version, away = _draft_or_redirect(request, pk)
    if away is not None:
        return away
    try:
        services.eligibility_rule_delete(actor=request.user, version=version, position=position)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已删除第{position}条受理条件规则。")
    return redirect(reverse("workbench:catalog_rules", args=[version.pk]))
