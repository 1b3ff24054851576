"""Reading the public face of the catalogue: the guide of an item in force, the browse
lists of the catalogue home, and life-event pages.

``guide_page`` builds one plain structure (``GuidePage``) that the web page, the counter
PDF, the material checklist PDF and the JSON-LD all render: 线上线下标准同源, the guide on
the screen and the guide on paper come from the same data. Only the published version of a
code is ever public here; drafts, versions in review, superseded and cancelled versions
are not (a superseded guide stays readable to staff in the workbench history, not here).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from sanyi.catalog.choices import (
    FULL_ONLINE,
    Channel,
    HandlingType,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LegalBasisKind,
    LimitUnit,
    MaterialNecessity,
    MaterialSource,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.catalog.flowchart import FlowStep, flowchart_svg
from sanyi.catalog.guide import versions_with_children
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent, Material
from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter
from sanyi.search.models import Synonym

# The three levels residents browse by (STANDARDS.md §2: 县级 / 乡级 / 村级).
PUBLIC_LEVELS = {
    ItemLevel.DISTRICT.value: "区级",
    ItemLevel.SUBDISTRICT.value: "街道（乡镇）级",
    ItemLevel.COMMUNITY.value: "社区（村）级",
}


def level_label(level: str) -> str:
    return PUBLIC_LEVELS.get(level) or ItemLevel(level).label


def _published() -> QuerySet[ItemVersion]:
    """Versions in force. Public data, the same for every viewer: staff see drafts in the
    workbench, never on the public pages."""
    return ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)


# --- time limits -------------------------------------------------------------------------


def saved_percent(statutory: int | None, promised: int | None) -> int | None:
    """How much shorter the promise is than the law, in whole percent, rounded down so the
    page never claims more than was cut. None when it cannot be said (a limit missing, or
    a promise not shorter than the law)."""
    if not statutory or promised is None or promised < 0 or promised >= statutory:
        return None
    return (statutory - promised) * 100 // statutory


def limit_text(value: int | None, unit: str) -> str:
    if unit == LimitUnit.NONE or not value:
        return "无时限"
    return f"{value}{LimitUnit(unit).label}"


@dataclass(frozen=True)
class TimeLimits:
    instant: bool
    promised: str
    statutory: str
    promised_note: str
    statutory_note: str
    saved_percent: int | None

    @property
    def headline(self) -> str:
        if self.instant:
            return "当场办结（即办件）"
        return f"承诺{self.promised}内办结" if self.promised != "无时限" else "无承诺时限"


def _time_limits(version: ItemVersion) -> TimeLimits:
    same_unit = (
        version.statutory_limit_unit == version.promised_limit_unit
        and version.statutory_limit_unit != LimitUnit.NONE
    )
    return TimeLimits(
        instant=version.handling_type == HandlingType.INSTANT,
        promised=limit_text(version.promised_limit_value, version.promised_limit_unit),
        statutory=limit_text(version.statutory_limit_value, version.statutory_limit_unit),
        promised_note=version.promised_limit_note,
        statutory_note=version.statutory_limit_note,
        saved_percent=saved_percent(version.statutory_limit_value, version.promised_limit_value)
        if same_unit
        else None,
    )


def visits_text(visits: int) -> str:
    if visits == 0:
        return "不用跑：网上办理或邮寄办理，不用到现场"
    if visits == 1:
        return "最多跑1次"
    return f"需到现场{visits}次"


# --- materials ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    position: int
    name: str
    type: str  # label: 原件 / 复印件 / 原件和复印件
    form: str
    copies: int
    necessity: str  # code
    necessity_label: str
    specification: str
    source: str  # code
    source_label: str
    source_note: str
    legal_basis: str
    acceptance_standard: str
    notes: str
    blank_form_url: str
    sample_url: str

    @property
    def deferrable(self) -> bool:
        return self.necessity == MaterialNecessity.DEFERRABLE

    @property
    def optional(self) -> bool:
        return self.necessity == MaterialNecessity.OPTIONAL

    @property
    def copies_text(self) -> str:
        return f"{self.copies}份" if self.copies else "出示即可，不留存"


def _file_url(implementation_code: str, material: Material, kind: str) -> str:
    # Files live outside the web root: links go to the download view, never to MEDIA_URL.
    if not getattr(material, kind):
        return ""
    return reverse("catalog:material_file", args=[implementation_code, material.position, kind])


def _material_row(material: Material, implementation_code: str) -> MaterialRow:
    return MaterialRow(
        position=material.position,
        name=material.name,
        type=material.get_type_display(),
        form=material.get_form_display(),
        copies=material.copies,
        necessity=material.necessity,
        necessity_label=material.get_necessity_display(),
        specification=material.specification,
        source=material.source,
        source_label=material.get_source_display(),
        source_note=material.source_note,
        legal_basis=material.legal_basis,
        acceptance_standard=material.acceptance_standard,
        notes=material.notes,
        blank_form_url=_file_url(implementation_code, material, "blank_form"),
        sample_url=_file_url(implementation_code, material, "sample"),
    )


# --- material files (blank forms and samples) -----------------------------------------------

MATERIAL_FILE_KINDS = {"blank_form": "空白表格", "sample": "示例样表"}
# By the stored name's extension: the workbench checks at upload that the content matches it.
MATERIAL_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/octet-stream",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class MaterialFile:
    """One stored blank form or sample, ready to stream."""

    file: FieldFile
    filename: str  # what the resident's computer saves it as
    content_type: str


def material_file(material: Material, kind: str) -> MaterialFile | None:
    """The blank form (``kind`` "blank_form") or sample ("sample") of a material, named
    after the material; None when the material has none or ``kind`` is unknown."""
    if kind not in MATERIAL_FILE_KINDS:
        return None
    stored = getattr(material, kind)
    if not stored:
        return None
    suffix = PurePosixPath(stored.name).suffix.lower()
    name = _UNSAFE_IN_NAME.sub("_", material.name).strip(" ._") or f"材料{material.position}"
    if kind == "sample":
        name = f"{name}（{MATERIAL_FILE_KINDS[kind]}）"
    return MaterialFile(
        file=stored,
        filename=f"{name}{suffix}",
        content_type=MATERIAL_FILE_TYPES.get(suffix, "application/octet-stream"),
    )


def public_material(*, implementation_code: str, position: int) -> Material:
    """Material ``position`` of the version in force of ``implementation_code`` (one
    query). Raises Material.DoesNotExist for drafts, superseded versions and unknown codes."""
    return Material.objects.only(
        "pk", "version_id", "position", "name", "blank_form", "sample"
    ).get(
        version__status=VersionStatus.PUBLISHED,
        version__implementation_item__implementation_code=implementation_code,
        position=position,
    )


# --- steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    number: int
    name: str
    actor: str
    description: str
    days: int | None
    level: str  # label, "" when not given
    role: str  # label, "" when not given

    @property
    def days_text(self) -> str:
        if self.days is None:
            return ""
        return "当场办理" if self.days == 0 else f"{self.days}个工作日"


# --- the page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """One row of the official elements table (STANDARDS.md §1)."""

    label: str
    value: str
    url: str = ""


@dataclass
class GuidePage:
    version: ItemVersion
    item: ImplementationItem
    name: str
    implementation_code: str
    base_code: str
    item_type: str
    unit: OrgUnit
    level: str
    service_objects: list[str]
    conditions: list[str]
    to_bring: list[MaterialRow]
    not_needed: list[MaterialRow]
    materials: list[MaterialRow]
    time: TimeLimits
    visits: int
    visits_text: str
    centers: list[ServiceCenter]
    place: str
    hours: str
    fees: list[Any]
    steps: list[StepRow]
    legal_bases: list[Any]
    variants: list[Any]
    life_events: list[LifeEvent]
    online_url: str
    online_depth: list[str]
    fully_online: bool
    channels: list[str]
    elements: list[Element] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return not self.fees

    @property
    def has_blank_forms(self) -> bool:
        return any(m.blank_form_url for m in self.to_bring)

    @property
    def deferrable_count(self) -> int:
        return sum(1 for m in self.to_bring if m.deferrable)

    @property
    def planned_cancel_on(self) -> dt.date | None:
        return self.version.planned_cancel_on

    @property
    def steps_days(self) -> int | None:
        """Working days of all steps together, when every step states its days."""
        if not self.steps or any(s.days is None for s in self.steps):
            return None
        return sum(s.days for s in self.steps)

    @cached_property
    def flowchart(self) -> SafeString:
        names = "→".join(s.name for s in self.steps)
        return flowchart_svg(
            [FlowStep(s.name, s.actor, s.level, s.days_text) for s in self.steps],
            title=f"{self.name}办理流程图",
            description=f"共{len(self.steps)}个环节：{names}。每个环节的办理人员和时限见图下的文字说明。",
            id_prefix=f"flow-{self.implementation_code}",
        )


def _path_prefixes(path: str) -> list[str]:
    """The paths of a unit and every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _nearest(centers: list[ServiceCenter], path: str) -> list[ServiceCenter]:
    mine = [c for c in centers if path.startswith(c.org_unit.path)]
    if not mine:
        return []
    deepest = max(c.org_unit.depth for c in mine)
    return sorted((c for c in mine if c.org_unit.depth == deepest), key=lambda c: c.name)


def _active_centers():
    return ServiceCenter.objects.filter(is_active=True, org_unit__is_active=True).select_related(
        "org_unit"
    )


def centers_for(unit: OrgUnit) -> list[ServiceCenter]:
    """Where residents go for an item of ``unit``: the unit's own service centers, or those
    of the nearest unit above it that has any (a district department's items are handled
    at the district's 政务服务中心). One query."""
    centers = list(_active_centers().filter(org_unit__path__in=_path_prefixes(unit.path)))
    return _nearest(centers, unit.path)


class CenterIndex:
    """``centers_for`` for many units at once: every active center read in one query."""

    def __init__(self) -> None:
        self._centers = list(_active_centers())

    def centers_for(self, unit: OrgUnit) -> list[ServiceCenter]:
        return _nearest(self._centers, unit.path)


def _labels(values, choices) -> list[str]:
    out = []
    for value in values or []:
        try:
            out.append(choices(value).label)
        except ValueError:
            out.append(str(value))
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n；;]", text or "") if line.strip()]


def _with_note(text: str, note: str) -> str:
    return f"{text}（{note}）" if note else text


def _date(value: dt.date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "无"


def _elements(page: GuidePage) -> list[Element]:
    version, item = page.version, page.item
    unit = item.implementing_unit
    setting = [b for b in page.legal_bases if b.kind == LegalBasisKind.SETTING]
    implementing = [b for b in page.legal_bases if b.kind == LegalBasisKind.IMPLEMENTING]

    def bases(rows) -> str:
        return "；".join(f"{b.title}{b.article}" for b in rows) or "无"

    def yes(flag: bool) -> str:
        return "是" if flag else "否"

    channels = set(page.channels)
    centers = page.centers
    depth = "全程网办" if page.fully_online else "、".join(page.online_depth) or "无"
    fees = (
        "；".join(
            f"{f.name}：{f.standard}（依据：{f.basis or '未填写'}；"
            f"{'可以减免，依据：' + f.reduction_basis if f.reducible else '不减免'}）"
            for f in page.fees
        )
        if page.fees
        else "不收费"
    )
    rows = [
        Element("事项名称", page.name),
        Element("基本编码", page.base_code),
        Element("实施编码", page.implementation_code),
        Element(
            "业务办理项",
            "；".join(f"{v.name}（{v.code}）" if v.code else v.name for v in page.variants) or "无",
        ),
        Element("事项类型", page.item_type),
        Element("设定依据", bases(setting)),
        Element("实施依据", bases(implementing)),
        Element("权力来源", PowerSource(item.power_source).label),
        Element("行使层级", ItemLevel(item.level).label),
        Element("实施主体", unit.name),
        Element("实施主体编码", unit.uscc or unit.division_code or "无"),
        Element("实施主体性质", ImplementerNature(item.implementer_nature).label),
        Element("委托部门", item.entrusting_body or "无"),
        Element("下放单位", item.delegated_from.name if item.delegated_from_id else "无"),
        Element("受理条件", version.acceptance_conditions or "无"),
        Element(
            "法定办结时限",
            _with_note(page.time.statutory, page.time.statutory_note),
        ),
        Element(
            "承诺办结时限",
            _with_note(page.time.promised, page.time.promised_note),
        ),
        Element("办件类型", HandlingType(version.handling_type).label),
        Element("到办事现场次数", f"{version.visits}次"),
        Element("办理形式", "、".join(_labels(page.channels, Channel)) or "无"),
        Element("办理流程", "→".join(s.name for s in page.steps) or "无"),
        Element("办理地点", version.place or "；".join(c.address for c in centers) or "无"),
        Element("办理时间", version.hours or "；".join(c.opening_hours for c in centers) or "无"),
        Element("是否收费", "收费" if page.fees else "不收费"),
        Element("收费标准及依据", fees),
        Element("咨询电话", version.consultation_phone or "无"),
        Element("监督投诉电话", version.complaint_phone or "无"),
        Element("特别程序", version.special_procedures or "无"),
        Element("服务对象", "、".join(page.service_objects) or "无"),
        Element("事项版本", f"第{version.number}版"),
        Element("事项状态", VersionStatus(version.status).label),
        Element("生效日期", _date(version.effective_on)),
        Element("计划取消日期", _date(version.planned_cancel_on)),
        Element("是否网办", yes(Channel.ONLINE in channels)),
        Element("网办深度", depth),
        Element("网办地址", version.online_url or "无", url=version.online_url),
        Element("是否进驻政务服务大厅", yes(Channel.WINDOW in channels and bool(page.centers))),
        Element("物流快递", yes(Channel.POST in channels)),
        Element("网上支付", yes(version.online_payment)),
        Element("自助终端", yes(Channel.SELF_SERVICE in channels)),
        Element("审批结果名称", version.result_name or "无"),
        Element("审批结果类型", ResultType(version.result_type).label),
        Element("审批结果样本", version.result_sample or "无"),
        Element("中介服务", version.intermediary_services or "无"),
        Element("联办机构", "、".join(version.joint_agencies) or "无"),
    ]
    return rows


def public_guide_version(*, implementation_code: str) -> ItemVersion:
    """The version in force of ``implementation_code`` with everything the guide shows.
    Raises ItemVersion.DoesNotExist when the code has no published version."""
    return versions_with_children(
        _published().select_related(
            "implementation_item__base_item",
            "implementation_item__implementing_unit",
            "implementation_item__delegated_from",
        )
    ).get(implementation_item__implementation_code=implementation_code)


def published_guide_versions() -> QuerySet[ItemVersion]:
    """Every version in force, loaded for ``guide_page`` (children and life events
    prefetched): for exports and the search index."""
    return (
        versions_with_children(
            _published().select_related(
                "implementation_item__base_item",
                "implementation_item__implementing_unit__parent",
                "implementation_item__delegated_from",
            )
        )
        .prefetch_related("implementation_item__life_events")
        .order_by(
            "implementation_item__base_item__base_code", "implementation_item__implementation_code"
        )
    )


def guide_page(version: ItemVersion, *, centers: CenterIndex | None = None) -> GuidePage:
    """The display data of a published guide (page, PDFs and JSON-LD alike). Reads the
    centers and life events (two queries, none with ``centers`` given and life events
    prefetched) on top of a version loaded by ``public_guide_version``."""
    item = version.implementation_item
    materials = [_material_row(m, item.implementation_code) for m in version.materials.all()]
    steps = [
        StepRow(
            number=i,
            name=s.name,
            actor=s.actor,
            description=s.description,
            days=s.days,
            level=StepUnitLevel(s.unit_level).label if s.unit_level else "",
            role=Role(s.role).label if s.role else "",
        )
        for i, s in enumerate(version.steps.all(), start=1)
    ]
    depth = list(version.online_depth or [])
    page = GuidePage(
        version=version,
        item=item,
        name=item.base_item.name,
        implementation_code=item.implementation_code,
        base_code=item.base_item.base_code,
        item_type=ItemType(item.base_item.item_type).label,
        unit=item.implementing_unit,
        level=level_label(item.level),
        service_objects=_labels(version.service_objects, ServiceObject),
        conditions=_lines(version.acceptance_conditions),
        to_bring=[m for m in materials if m.source != MaterialSource.SHARED_DATA],
        not_needed=[m for m in materials if m.source == MaterialSource.SHARED_DATA],
        materials=materials,
        time=_time_limits(version),
        visits=version.visits,
        visits_text=visits_text(version.visits),
        centers=centers.centers_for(item.implementing_unit)
        if centers is not None
        else centers_for(item.implementing_unit),
        place=version.place,
        hours=version.hours,
        fees=list(version.fees.all()),
        steps=steps,
        legal_bases=list(version.legal_bases.all()),
        variants=list(version.variants.all()),
        life_events=sorted(item.life_events.all(), key=lambda e: (e.sort_order, e.name)),
        online_url=version.online_url,
        online_depth=_labels(depth, OnlineDepth),
        fully_online=set(depth) >= FULL_ONLINE,
        channels=list(version.channels or []),
    )
    page.elements = _elements(page)
    return page


@dataclass(frozen=True)
class Freshness:
    """What a cached copy of a guide depends on: the version in force and its centers."""

    version_id: int
    published_at: dt.datetime
    centers_changed_at: dt.datetime | None

    @property
    def last_modified(self) -> dt.datetime:
        if self.centers_changed_at and self.centers_changed_at > self.published_at:
            return self.centers_changed_at
        return self.published_at

    @property
    def tag(self) -> str:
        centers = self.centers_changed_at.timestamp() if self.centers_changed_at else 0
        return f"{self.version_id}-{self.published_at.timestamp():.6f}-{centers:.6f}"


def guide_freshness(*, implementation_code: str) -> Freshness | None:
    """The facts a guide's ETag and Last-Modified are made of (two small queries), or None
    when the code has no version in force."""
    row = (
        _published()
        .filter(implementation_item__implementation_code=implementation_code)
        .values_list("pk", "published_at", "implementation_item__implementing_unit__path")
        .first()
    )
    if row is None:
        return None
    pk, published_at, path = row
    changed = ServiceCenter.objects.filter(org_unit__path__in=_path_prefixes(path)).aggregate(
        at=Max("updated_at")
    )["at"]
    return Freshness(pk, published_at, changed)


# --- browsing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowseEntry:
    label: str
    value: str
    count: int


@dataclass
class CatalogueOverview:
    total: int
    levels: list[BrowseEntry]
    themes_person: list[BrowseEntry]
    themes_business: list[BrowseEntry]
    departments: list[BrowseEntry]
    life_events: list[BrowseEntry]
    updated_at: dt.datetime | None


def department_of(item: ImplementationItem) -> OrgUnit | None:
    """The department a resident would name for an item: the implementing unit when it is
    a department, the department a station belongs to, else the department that delegated
    the item down. Needs implementing_unit__parent and delegated_from loaded."""
    unit = item.implementing_unit
    if unit.kind == OrgKind.DEPARTMENT:
        return unit
    if unit.kind == OrgKind.STATION and unit.parent_id and unit.parent.kind == OrgKind.DEPARTMENT:
        return unit.parent
    if item.delegated_from_id and item.delegated_from.kind == OrgKind.DEPARTMENT:
        return item.delegated_from
    return None


def catalogue_overview() -> CatalogueOverview:
    """Counts for the catalogue home: by level, theme, department and life event. Public
    data, the same for every viewer. Four queries."""
    rows = list(
        _published().select_related(
            "implementation_item__implementing_unit__parent",
            "implementation_item__delegated_from",
        )
    )
    levels: Counter = Counter()
    person: Counter = Counter()
    business: Counter = Counter()
    departments: Counter = Counter()
    order: dict[str, int] = {}
    for version in rows:
        item = version.implementation_item
        levels[item.level] += 1
        person.update(set(version.themes_person or []))
        business.update(set(version.themes_business or []))
        dept = department_of(item)
        if dept is not None:
            departments[dept.name] += 1
            order.setdefault(dept.name, dept.sort_order)
    events = (
        LifeEvent.objects.annotate(
            # Distinct base items: 生育登记 in six subdistricts is one thing to do.
            live=Count(
                "items__base_item",
                filter=Q(items__versions__status=VersionStatus.PUBLISHED),
                distinct=True,
            )
        )
        .filter(live__gt=0)
        .order_by("sort_order", "name")
    )
    return CatalogueOverview(
        total=len(rows),
        levels=[
            BrowseEntry(label, code, levels[code])
            for code, label in PUBLIC_LEVELS.items()
            if levels[code]
        ],
        themes_person=[BrowseEntry(t, t, n) for t, n in sorted(person.items(), key=_by_count)],
        themes_business=[BrowseEntry(t, t, n) for t, n in sorted(business.items(), key=_by_count)],
        departments=[
            BrowseEntry(name, name, n)
            for name, n in sorted(departments.items(), key=lambda kv: (order[kv[0]], kv[0]))
        ],
        life_events=[BrowseEntry(e.name, str(e.pk), e.live) for e in events],
        updated_at=max((v.published_at for v in rows), default=None),
    )


def _by_count(pair: tuple[str, int]) -> tuple[int, str]:
    return (-pair[1], pair[0])


# --- life events -------------------------------------------------------------------------


def public_life_event(*, pk: int) -> LifeEvent:
    """A life event with at least one item in force (raises LifeEvent.DoesNotExist)."""
    return (
        LifeEvent.objects.filter(items__versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .get(pk=pk)
    )


@dataclass(frozen=True)
class LifeEventStep:
    """One thing to do in a life event, with the units that do it (one link each)."""

    name: str
    versions: list[ItemVersion]


def life_event_steps(versions: list[ItemVersion]) -> list[LifeEventStep]:
    """The published versions of a life event grouped by item name, in their order."""
    groups: dict[str, list[ItemVersion]] = {}
    for version in versions:
        groups.setdefault(version.implementation_item.base_item.name, []).append(version)
    return [LifeEventStep(name, group) for name, group in groups.items()]


def search_suggestions(limit: int = 12) -> list[str]:
    """Everyday words worth trying when a search is empty or finds nothing: the residents'
    words of the synonym table, each of which leads to official item names."""
    terms = Synonym.objects.filter(is_active=True).order_by("term")
    return list(terms.values_list("term", flat=True)[:limit])
