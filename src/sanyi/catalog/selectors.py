"""Reading the catalogue. Every selector takes the viewer.

Visibility (one place, ``visible_versions``): published, superseded and cancelled versions
are public, like the guides themselves. Drafts and versions in review are seen only by
catalogue admins of the implementing unit or a unit above it, by system admins, and by
system actors (a plain label such as "系统：命令行").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from sanyi.audit.models import AuditEvent
from sanyi.catalog.centre_check import centres_of
from sanyi.catalog.choices import ItemLevel, VersionStatus
from sanyi.catalog.guide import (
    CHILD_IDENTITY,
    CHILD_KEYS,
    FIELD_LABELS,
    guide_of,
    versions_with_children,
)
from sanyi.catalog.life_event_selectors import PlannedMember as PlannedMember
from sanyi.catalog.life_event_selectors import life_event_plan as life_event_plan
from sanyi.catalog.lint import RULES, LintFinding, lint_guide, material_key
from sanyi.catalog.models import ImplementationItem, ItemReview, ItemVersion, LifeEvent
from sanyi.catalog.public.centers import CenterIndex
from sanyi.catalog.readability import guide_readability
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_q

if TYPE_CHECKING:
    from sanyi.orgs.models import OrgUnit, User

PUBLIC_STATUSES = [VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.CANCELLED]


def _working_scope(viewer: User) -> Q | None:
    """Q over versions whose working copies the viewer may see; None = all of them."""
    if isinstance(viewer, str):
        return None
    return scope_q(
        viewer,
        [Role.CATALOG_ADMIN, Role.SYSTEM_ADMIN],
        path_field="implementation_item__implementing_unit__path",
    )


def visible_versions(viewer: User) -> QuerySet[ItemVersion]:
    """Every version ``viewer`` may read."""
    scope = _working_scope(viewer)
    qs = ItemVersion.objects.all()
    if scope is not None:
        qs = qs.filter(Q(status__in=PUBLIC_STATUSES) | scope)
    return qs.select_related(
        "implementation_item__base_item__main_item",
        "implementation_item__implementing_unit",
        "implementation_item__delegated_from",
    )


def version_list(
    *,
    viewer: User,
    status: str | None = VersionStatus.PUBLISHED,
    item_type: str | None = None,
    unit: OrgUnit | None = None,
    include_subunits: bool = False,
    level: str | None = None,
) -> QuerySet[ItemVersion]:
    """Versions for a list page, filtered by the indexed list filters."""
    qs = visible_versions(viewer)
    if status:
        qs = qs.filter(status=status)
    if item_type:
        qs = qs.filter(implementation_item__base_item__item_type=item_type)
    if unit is not None and include_subunits:
        qs = qs.filter(implementation_item__implementing_unit__path__startswith=unit.path)
    elif unit is not None:
        qs = qs.filter(implementation_item__implementing_unit=unit)
    if level:
        qs = qs.filter(implementation_item__level=level)
    return qs.order_by(
        "implementation_item__base_item__base_code", "implementation_item__implementation_code"
    )


def version_detail(*, viewer: User, pk: int) -> ItemVersion:
    """One version with all its child rows (raises ItemVersion.DoesNotExist if not visible)."""
    return versions_with_children(visible_versions(viewer)).get(pk=pk)


def published_version(*, implementation_item: ImplementationItem) -> ItemVersion | None:
    return versions_with_children(
        ItemVersion.objects.filter(
            implementation_item=implementation_item, status=VersionStatus.PUBLISHED
        )
    ).first()


# --- diff ------------------------------------------------------------------------------


@dataclass
class ChildDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # {name, changes}

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    old_number: int | None
    new_number: int
    fields: list[dict[str, Any]]  # {field, label, before, after}
    children: dict[str, ChildDiff]

    @property
    def empty(self) -> bool:
        return not self.fields and all(c.empty for c in self.children.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_number": self.old_number,
            "new_number": self.new_number,
            "fields": self.fields,
            "children": {
                k: {"added": v.added, "removed": v.removed, "changed": v.changed}
                for k, v in self.children.items()
            },
        }


def _flatten(guide: dict) -> dict[str, Any]:
    flat = {}
    for key, value in guide.items():
        if key in CHILD_KEYS:
            continue
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    return flat


def guide_diff(before: dict, after: dict) -> tuple[list[dict], dict[str, ChildDiff]]:
    """Field-by-field differences; child rows matched by name (legal bases by title)."""
    old, new = _flatten(before), _flatten(after)
    fields = [
        {
            "field": key,
            "label": FIELD_LABELS.get(key.split(".")[0], key),
            "before": old.get(key),
            "after": new.get(key),
        }
        for key in new
        if old.get(key) != new.get(key)
    ]
    children = {}
    for key in CHILD_KEYS:
        ident = CHILD_IDENTITY[key]
        a = {row[ident]: row for row in before.get(key, [])}
        b = {row[ident]: row for row in after.get(key, [])}
        diff = ChildDiff(
            added=[name for name in b if name not in a],
            removed=[name for name in a if name not in b],
        )
        for name in b:
            if name in a and a[name] != b[name]:
                diff.changed.append(
                    {
                        "name": name,
                        "changes": {
                            f: [a[name].get(f), b[name].get(f)]
                            for f in b[name]
                            if a[name].get(f) != b[name].get(f)
                        },
                    }
                )
        old_order = [n for n in a if n in b]
        new_order = [n for n in b if n in a]
        if old_order != new_order:
            fields.append(
                {
                    "field": f"{key}.order",
                    "label": f"{FIELD_LABELS[key]}顺序",
                    "before": old_order,
                    "after": new_order,
                }
            )
        children[key] = diff
    return fields, children


def version_diff(*, viewer: User, old: ItemVersion | None, new: ItemVersion) -> VersionDiff:
    """What changed from ``old`` to ``new`` (``old`` None: everything is new)."""
    pks = [v.pk for v in (old, new) if v is not None]
    loaded = {v.pk: v for v in versions_with_children(visible_versions(viewer)).filter(pk__in=pks)}
    if new.pk not in loaded or (old is not None and old.pk not in loaded):
        raise ItemVersion.DoesNotExist("版本不存在或无权查看")
    after = guide_of(loaded[new.pk])
    before = (
        guide_of(loaded[old.pk])
        if old is not None
        else {key: [] if key in CHILD_KEYS else None for key in after}
    )
    fields, children = guide_diff(before, after)
    return VersionDiff(old.number if old else None, new.number, fields, children)


@dataclass
class HistoryEntry:
    version: ItemVersion
    reviews: list[ItemReview]
    diff_from_previous: VersionDiff


def item_history(*, viewer: User, implementation_item: ImplementationItem) -> dict[str, Any]:
    """Every version of one code the viewer may see, oldest first, each with its reviews
    and its diff from the version before; plus the audit trail of the code."""
    versions = list(
        versions_with_children(visible_versions(viewer))
        .filter(implementation_item=implementation_item)
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=ItemReview.objects.select_related("reviewer").order_by("created_at", "pk"),
            )
        )
        .order_by("number")
    )
    entries = []
    previous_guide = None
    previous = None
    for version in versions:
        guide = guide_of(version)
        before: dict[str, Any] = previous_guide or {
            k: [] if k in CHILD_KEYS else None for k in guide
        }
        fields, children = guide_diff(before, guide)
        entries.append(
            HistoryEntry(
                version,
                list(version.reviews.all()),
                VersionDiff(
                    previous.number if previous else None, version.number, fields, children
                ),
            )
        )
        previous_guide, previous = guide, version
    version_ids = [str(v.pk) for v in versions]
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="catalog.itemversion", object_id__in=version_ids)
            | Q(object_type="catalog.implementationitem", object_id=str(implementation_item.pk))
        ).order_by("seq")
    )
    return {"item": implementation_item, "versions": entries, "audit": events}


# --- life events -----------------------------------------------------------------------


@dataclass
class MergedEntry:
    text: str
    items: list[str]  # names of the items that ask for it
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class MergedGuide:
    event: LifeEvent
    items: list[ItemVersion]
    conditions: list[MergedEntry]
    materials: list[MergedEntry]


def _condition_key(text: str) -> str:
    return re.sub(r"[\s，,。.；;、：:]", "", text)


def life_event_merged_guide(event: LifeEvent) -> MergedGuide:
    """The guide of a life event: the published versions of its items, their acceptance
    conditions and materials merged so each appears once, naming the items that need it."""
    versions = list(
        versions_with_children(
            ItemVersion.objects.filter(
                implementation_item__life_event_members__life_event=event,
                status=VersionStatus.PUBLISHED,
            ).select_related(
                "implementation_item__base_item", "implementation_item__implementing_unit"
            )
        ).order_by(
            # In the event's order: an item comes after the one whose result it needs.
            "implementation_item__life_event_members__position",
            "implementation_item__base_item__base_code",
            "implementation_item__implementation_code",
        )
    )
    conditions: dict[str, MergedEntry] = {}
    materials: dict[str, MergedEntry] = {}
    for version in versions:
        name = version.implementation_item.base_item.name
        for line in re.split(r"[\n；;]", version.acceptance_conditions):
            line = line.strip()
            if not line:
                continue
            entry = conditions.setdefault(_condition_key(line), MergedEntry(line, []))
            if name not in entry.items:
                entry.items.append(name)
        for material in version.materials.all():
            entry = materials.setdefault(
                material_key(material.name),
                MergedEntry(
                    material.name,
                    [],
                    {
                        "type": material.type,
                        "form": material.form,
                        "copies": material.copies,
                        "necessity": material.necessity,
                        "source": material.source,
                    },
                ),
            )
            if name not in entry.items:
                entry.items.append(name)
            # Brought once for all items, so the most copies any item asks for.
            entry.detail["copies"] = max(entry.detail["copies"], material.copies)
            if material.necessity == "required":
                entry.detail["necessity"] = "required"
    return MergedGuide(event, versions, list(conditions.values()), list(materials.values()))


# --- quality ---------------------------------------------------------------------------


def catalog_lint(
    *, viewer: User, status: str | None = VersionStatus.PUBLISHED
) -> list[tuple[ItemVersion, list[LintFinding]]]:
    """Lint every visible version with ``status`` ("draft" also covers versions in review;
    None: every draft, version in review and published version)."""
    qs = visible_versions(viewer)
    if status == VersionStatus.DRAFT:
        qs = qs.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(
            status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED]
        )
    qs = versions_with_children(qs).order_by("implementation_item__implementation_code", "number")
    centres = CenterIndex()  # every centre in one query, for L021
    out = []
    for version in qs:
        item = version.implementation_item
        found = lint_guide(
            guide_of(version),
            item_type=item.base_item.item_type,
            centres=centres_of(centres.centers_for(item.implementing_unit)),
        )
        out.append((version, found))
    return out


def catalog_quality_summary(
    *, viewer: User, status: str | None = VersionStatus.PUBLISHED
) -> dict[str, Any]:
    """Counts of lint findings by rule, by implementing unit and by level (for the quality
    page), plus how many versions were checked and how many are clean."""
    results = catalog_lint(viewer=viewer, status=status)
    by_rule: Counter = Counter()
    by_unit: dict[int, dict[str, Any]] = {}
    by_level: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"errors": 0, "warnings": 0, "versions": 0}
    )
    clean = 0
    for version, findings in results:
        unit = version.implementation_item.implementing_unit
        level = version.implementation_item.level
        unit_row = by_unit.setdefault(
            unit.pk,
            {"unit_id": unit.pk, "unit": unit.name, "errors": 0, "warnings": 0, "versions": 0},
        )
        unit_row["versions"] += 1
        by_level[level]["versions"] += 1
        if not findings:
            clean += 1
        for finding in findings:
            by_rule[finding.code] += 1
            bucket = "errors" if finding.severity == "error" else "warnings"
            unit_row[bucket] += 1
            by_level[level][bucket] += 1
    return {
        "checked": len(results),
        "clean": clean,
        "readability": _readability_rows(results),
        "by_rule": [
            {
                "code": r.code,
                "title": r.title,
                "severity": r.severity,
                "count": by_rule.get(r.code, 0),
            }
            for r in RULES
        ],
        "by_unit": sorted(by_unit.values(), key=lambda r: (-r["errors"], r["unit"])),
        "by_level": [
            {"level": lvl, "label": ItemLevel(lvl).label, **by_level[lvl]}
            for lvl in ItemLevel.values
            if lvl in by_level
        ],
    }


def _readability_rows(
    results: list[tuple[ItemVersion, list[LintFinding]]],
) -> list[dict[str, Any]]:
    """The readability score of each checked guide, lowest first (L022's threshold)."""
    rows = []
    for version, _ in results:
        item = version.implementation_item
        measured = guide_readability(guide_of(version))
        rows.append(
            {
                "version_id": version.pk,
                "unit_id": item.implementing_unit_id,
                "implementation_code": item.implementation_code,
                "name": item.base_item.name,
                "unit": item.implementing_unit.name,
                "version": version.number,
                "score": measured.score,
                "passes": measured.passes,
                "average_length": measured.average_length,
                "longest": measured.longest,
                "jargon": len(measured.jargon),
                "stacked": len(measured.stacked),
            }
        )
    return sorted(rows, key=lambda r: (r["score"], r["implementation_code"]))


def life_event_steps_of(event: LifeEvent) -> list[dict[str, Any]]:
    """The event's members as exchange steps, in order, one per item name: what each
    waits for, the material the earlier result fills and the answers it applies to."""
    steps: list[dict[str, Any]] = []
    seen: set[str] = set()
    members = event.members.select_related("item__base_item", "depends_on__item__base_item")
    for m in members.order_by("position", "pk"):
        name = m.item.base_item.name
        if name in seen:
            continue
        seen.add(name)
        step: dict[str, Any] = {"item": name}
        if m.depends_on is not None:
            step["after"] = m.depends_on.item.base_item.name
        if m.carries:
            step["carries"] = m.carries
        if m.condition:
            step["when"] = m.condition
        steps.append(step)
    return steps
