"""Staff pages under /workbench/search/: the synonym table (list, add, edit, deactivate,
delete) for catalogue and system admins, and the searches that found nothing or only poor
results, from which a synonym is added in one step."""

from __future__ import annotations

import datetime as dt
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.orgs.models import User
from sanyi.search import selectors, services
from sanyi.search.models import Synonym
from sanyi.search.registry import registered_kinds
from sanyi.search.web.forms import PERIODS, SynonymFilterForm, SynonymForm

PER_PAGE = 50


def _staff(request: HttpRequest) -> User:
    # Only signed-in staff reach the workbench (workbench.access.WorkbenchAccessMiddleware).
    return cast(User, request.user)


def _require_editor(request: HttpRequest) -> None:
    if not selectors.can_edit_synonyms(_staff(request)):
        raise PermissionDenied("只有事项管理员和系统管理员可以维护同义词")


LOG_DAYS = 30
LOG_ROWS = 15


def synonyms(request: HttpRequest) -> HttpResponseBase:
    """The synonym table with the editor for a new one and, beside them, what residents
    searched most and what went wrong (last 30 days): "加为同义词" fills the editor."""
    viewer = _staff(request)
    form = SynonymFilterForm(request.GET or None)
    text, active = "", None
    if form.is_valid():
        text = form.cleaned_data["q"]
        active = {"active": True, "inactive": False}.get(form.cleaned_data["state"])
    rows = selectors.synonym_list(viewer=viewer, text=text, active=active)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    )
    term = request.GET.get("term", "").strip()[:20]
    editor = SynonymForm(initial={"term": term, "is_active": True}) if term else SynonymForm()
    return render(
        request,
        "search/staff/synonyms.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "editor": editor,
            "term": term,
            "can_read_log": selectors.can_read_search_log(viewer),
            **(_query_log(viewer) if selectors.can_read_search_log(viewer) else {}),
        },
    )


def _query_log(viewer: User) -> dict:
    """The most asked searches and those that went wrong, each with its synonym's id when
    the word already has one (three queries)."""
    since = timezone.now() - dt.timedelta(days=LOG_DAYS)
    top = selectors.top_queries(viewer=viewer, since=since, limit=LOG_ROWS)
    poor = selectors.poor_result_queries(viewer=viewer, since=since, limit=LOG_ROWS)
    existing = selectors.synonym_terms(texts=[r.text for r in [*top, *poor]])
    return {
        "log_days": LOG_DAYS,
        "top_rows": [(r, existing.get(r.text)) for r in top],
        "poor_rows": [(r, existing.get(r.text)) for r in poor],
        "rule": selectors.POOR_RESULT_RULE,
    }


@require_http_methods(["GET", "POST"])
def synonym_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    _require_editor(request)
    synonym = get_object_or_404(Synonym, pk=pk) if pk else None
    if synonym is not None:
        initial = {
            "term": synonym.term,
            "expansions": "\n".join(synonym.expansions),
            "note": synonym.note,
            "is_active": synonym.is_active,
        }
    else:
        # Prefilled from the list of searches that went wrong: the word residents typed.
        initial = {"term": request.GET.get("term", "")[:20], "is_active": True}
    form = SynonymForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if synonym is None:
                synonym = services.synonym_create(actor=_staff(request), **data)
            else:
                services.synonym_update(actor=_staff(request), synonym=synonym, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"同义词“{data['term']}”已保存，群众搜索时立即生效。")
            return redirect("workbench:search:synonyms")
    return render(
        request,
        "search/staff/synonym_form.html",
        {"form": form, "synonym": synonym, "back": request.GET.get("back") == "demand"},
    )


@require_POST
def synonym_toggle(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require_editor(request)
    synonym = get_object_or_404(Synonym, pk=pk)
    services.synonym_update(actor=_staff(request), synonym=synonym, is_active=not synonym.is_active)
    state = "停用" if synonym.is_active else "启用"
    messages.success(request, f"已{state}同义词“{synonym.term}”。")
    return redirect("workbench:search:synonyms")


@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require_editor(request)
    synonym = get_object_or_404(Synonym, pk=pk)
    services.synonym_delete(actor=_staff(request), synonym=synonym)
    messages.success(request, f"已删除同义词“{synonym.term}”。")
    return redirect("workbench:search:synonyms")


def demand(request: HttpRequest) -> HttpResponseBase:
    """Searches that found nothing or only poor results, most asked first."""
    if not selectors.can_read_search_log(_staff(request)):
        raise PermissionDenied("只有事项管理员、政务公开专员、督查人员和系统管理员可以查看搜索统计")
    days = PERIODS.get(request.GET.get("days", ""), 30)
    kinds = {k.kind: k.label for k in registered_kinds()}
    kind = request.GET.get("kind", "")
    rows = selectors.poor_result_queries(
        viewer=_staff(request),
        since=timezone.now() - dt.timedelta(days=days),
        limit=200,
        kinds=[kind] if kind in kinds else None,
    )
    existing = selectors.synonym_terms(texts=[r.text for r in rows])
    return render(
        request,
        "search/staff/demand.html",
        {
            "rows": [(row, existing.get(row.text)) for row in rows],
            "days": days,
            "periods": list(PERIODS.values()),
            "kinds": kinds,
            "kind": kind if kind in kinds else "",
            "can_edit": selectors.can_edit_synonyms(_staff(request)),
            "rule": selectors.POOR_RESULT_RULE,
        },
    )
