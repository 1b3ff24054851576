"""The guide page of an item in force (``GuidePage``), the elements every rendering shows,
and how fresh the guide is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
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
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent
from sanyi.catalog.public._common import _published, level_label
from sanyi.catalog.public.centers import CenterIndex, _path_prefixes, centers_for
from sanyi.catalog.public.limits import TimeLimits, _time_limits, visits_text
from sanyi.catalog.public.materials import MaterialRow, _material_row
from sanyi.orgs.models import OrgUnit, Role, ServiceCenter


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
    """The guide's elements in the standard's order, as label and value rows.

    Long because it is one list with a row per standard element, kept in one place so the
    order matches the standard at a glance."""
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
