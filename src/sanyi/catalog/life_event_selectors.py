"""Reading life events (一件事): which members apply to a resident's answers, served by
which implementation in the resident's area, and the staff pages' list and preview
(docs/catalog.md, "Life events")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem, LifeEvent, LifeEventMember

if TYPE_CHECKING:
    from sanyi.orgs.areas import Area


@dataclass(frozen=True)
class PlannedMember:
    """One member of a life event as it applies to one resident's answers."""

    member_pk: int
    item: ImplementationItem
    name: str
    position: int
    after: str  # the name of the member it waits for, "" when none
    carries: str
    # Said to the resident when no implementation serves their area and another unit's is
    # used instead; "" otherwise.
    area_note: str = ""


def _serving(candidates: list[ImplementationItem], area: Area) -> ImplementationItem | None:
    """The implementation a resident of ``area`` uses, as search chooses a guide: the
    deepest one whose unit is the resident's own unit or above it, else the only one
    inside the area (a community's, when only the subdistrict is known)."""
    own = area.unit.path
    mine = [c for c in candidates if own.startswith(c.implementing_unit.path)]
    if mine:
        return max(mine, key=lambda c: (len(c.implementing_unit.path), -c.pk))
    inside = [c for c in candidates if c.implementing_unit.path.startswith(own)]
    return inside[0] if len(inside) == 1 else None


def _for_area(plan: list[PlannedMember], area: Area) -> list[PlannedMember]:
    """Each planned member with the implementation that serves ``area``: among the
    published implementations of the same item. When none serves the area, the listed
    one stays and the member says so."""
    published = (
        ImplementationItem.objects.filter(
            base_item_id__in={p.item.base_item_id for p in plan},
            versions__status=VersionStatus.PUBLISHED,
        )
        .select_related("base_item", "implementing_unit")
        .distinct()
    )
    by_base: dict[int, list[ImplementationItem]] = {}
    for item in published:
        by_base.setdefault(item.base_item_id, []).append(item)
    out = []
    for p in plan:
        item = _serving(by_base.get(p.item.base_item_id, [p.item]), area)
        note = ""
        if item is None:
            item = p.item
            note = (
                f"您所在的{area.label}没有办理“{p.name}”的单位，"
                f"将由{p.item.implementing_unit.name}办理"
            )
        out.append(PlannedMember(p.member_pk, item, p.name, p.position, p.after, p.carries, note))
    return out


def life_event_plan(
    event: LifeEvent, answers: dict[str, Any], *, area: Area | None = None
) -> list[PlannedMember]:
    """The members that apply to these answers, in order, one item per name (the one with
    a version in force, lowest id first); a member whose earlier one does not apply does
    not wait for it. Conditions are JSON Logic over the answers. With the resident's
    ``area``, each member is served by the implementation of that area (``_for_area``)."""
    from sanyi.catalog.eligibility import evaluate

    members = (
        event.members.filter(item__versions__status=VersionStatus.PUBLISHED)
        .select_related("item__base_item", "item__implementing_unit", "depends_on__item__base_item")
        .order_by("position", "item_id")
        .distinct()
    )
    chosen: dict[str, PlannedMember] = {}
    for m in members:
        name = m.item.base_item.name
        if name in chosen or (m.condition and not evaluate(m.condition, dict(answers))):
            continue
        after = m.depends_on.item.base_item.name if m.depends_on is not None else ""
        chosen[name] = PlannedMember(m.pk, m.item, name, m.position, after, m.carries)
    plan = [
        p if p.after in chosen else PlannedMember(p.member_pk, p.item, p.name, p.position, "", "")
        for p in chosen.values()
    ]
    return _for_area(plan, area) if area is not None and plan else plan


# --- the staff pages ---------------------------------------------------------------------


def _members() -> QuerySet[LifeEventMember]:
    return LifeEventMember.objects.select_related(
        "item__base_item", "item__implementing_unit", "depends_on__item__base_item"
    ).order_by("position", "pk")


def staff_life_events(*, with_members: bool = False) -> QuerySet[LifeEvent]:
    """Every life event with how many members and bundles it has (one query), and with
    ``with_members`` its members in order (one more)."""
    events = LifeEvent.objects.annotate(
        member_count=Count("members", distinct=True), bundle_count=Count("bundles", distinct=True)
    ).order_by("sort_order", "name")
    if with_members:
        events = events.prefetch_related(Prefetch("members", queryset=_members()))
    return events


def staff_life_event_members(event: LifeEvent) -> list[LifeEventMember]:
    """The event's members in order, with their items and what each waits for."""
    return list(_members().filter(life_event=event))


@dataclass(frozen=True)
class PreviewCase:
    """One set of sample answers and the members that apply to it."""

    answers: dict[str, str]
    members: list[PlannedMember]


def life_event_preview(event: LifeEvent) -> list[PreviewCase]:
    """What the resident's one form asks (each shared field once) and, for sample
    answers (every yes/no answered yes, then every one answered no), the members that
    apply in order. Text fields are answered with a sample text."""
    samples = []
    yes_no = [f for f in event.fields if f["kind"] == "yes_no"]
    for value in [True, False] if yes_no else [True]:
        answers: dict[str, Any] = {
            f["name"]: value if f["kind"] == "yes_no" else "示例" for f in event.fields
        }
        shown = {
            f["label"]: ("是" if value else "否") if f["kind"] == "yes_no" else "示例"
            for f in event.fields
        }
        samples.append(PreviewCase(shown, life_event_plan(event, answers)))
    return samples


LIFE_EVENT_LINT_CODE = "L020"
LIFE_EVENT_LINT_TITLE = "一件事的前后关系不一致"


def life_event_findings() -> list[tuple[LifeEvent, str]]:
    """``sanyi catalog lint``'s check of the stored life events (L020): the rules the
    editor enforces on saving, run again on what is stored now, since an item's new
    version can drop the material an earlier member's result was to provide."""
    from sanyi.catalog.services.life_event_edit import MemberRow, member_problems

    out: list[tuple[LifeEvent, str]] = []
    for event in staff_life_events(with_members=True):
        rows = [
            MemberRow(
                item=m.item,
                position=m.position,
                after=m.depends_on.item.implementation_code if m.depends_on else "",
                carries=m.carries,
                condition=m.condition,
            )
            for m in event.members.all()
        ]
        names = {f.get("name", "") for f in event.fields}
        out.extend((event, message) for message in member_problems(rows, names))
    return out
