"""The life-event editor (一件事) of the workbench: the list, creating one, and editing
one as a whole with a preview of the resident's one form. Every catalogue admin reads
these pages; saving goes through ``services.life_event_edit``, which only lets a
district catalogue admin write and checks the members (order, dependencies, carried
materials, conditions) again, naming the row of each problem.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sanyi.catalog import services
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.life_event_selectors import (
    life_event_preview,
    staff_life_event_members,
    staff_life_events,
)
from sanyi.catalog.models import ImplementationItem, LifeEvent
from sanyi.catalog.web.life_event_forms import (
    LifeEventForm,
    MemberFormSet,
    SharedFieldFormSet,
    member_initial,
)
from sanyi.catalog.web.staff.access import require_catalog_admin
from sanyi.core.forms import apply_service_errors


@require_safe
def life_event_list(request: HttpRequest) -> HttpResponse:
    require_catalog_admin(request)
    return render(request, "catalog/staff/life_event_list.html", {"events": staff_life_events()})


def _event_or_404(pk: int) -> LifeEvent:
    event = LifeEvent.objects.filter(pk=pk).first()
    if event is None:
        raise Http404("没有这件“一件事”")
    return event


def _item_codes() -> list[tuple[str, str]]:
    """Published items a member may name: (implementation code, name · unit)."""
    rows = (
        ImplementationItem.objects.filter(versions__status=VersionStatus.PUBLISHED)
        .order_by("base_item__name", "implementation_code")
        .values_list("implementation_code", "base_item__name", "implementing_unit__name")
        .distinct()
    )
    return [(code, f"{name} · {unit}") for code, name, unit in rows]


def _forms(request: HttpRequest, event: LifeEvent | None):
    members = staff_life_event_members(event) if event else []
    data = request.POST if request.method == "POST" else None
    form = LifeEventForm(
        data,
        initial=(
            {"name": event.name, "description": event.description, "audience": event.audience}
            if event
            else None
        ),
    )
    fields = SharedFieldFormSet(data, prefix="fields", initial=event.fields if event else None)
    rows = MemberFormSet(data, prefix="members", initial=member_initial(members))
    return form, fields, rows, members


def _save(request, event, form, fields, rows) -> LifeEvent | None:
    if not (form.is_valid() and fields.is_valid() and rows.is_valid()):
        return None
    try:
        return services.life_event_edit(
            actor=request.user,
            event=event,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            audience=form.cleaned_data["audience"],
            fields=[r for f in fields if (r := f.row()) is not None],
            members=[r for f in rows if (r := f.row()) is not None],
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def life_event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no ``pk``) or edit a life event; the page shows the preview of the
    resident's form for the saved event."""
    require_catalog_admin(request)
    event = _event_or_404(pk) if pk is not None else None
    form, fields, rows, members = _forms(request, event)
    if request.method == "POST":
        saved = _save(request, event, form, fields, rows)
        if saved is not None:
            messages.success(request, f"“{saved.name}”已保存。")
            return redirect("workbench:catalog_life_event", saved.pk)
    context = {
        "event": event,
        "form": form,
        "fields": fields,
        "rows": rows,
        "members": members,
        "item_codes": _item_codes(),
        "preview": life_event_preview(event) if event else [],
        "status": 400 if request.method == "POST" else 200,
    }
    return render(request, "catalog/staff/life_event_edit.html", context, status=context["status"])
