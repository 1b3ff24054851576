"""Reduction report (减材料、减时限、减跑动): figures of the published catalogue.

All figures are aggregated in the database: one query for the item figures, one for the
material figures, and one of each per breakdown (by implementing unit, by level), however
large the catalogue. The report is JSON-able (``as_dict``) and exports to Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from openpyxl import Workbook
from openpyxl.styles import Font

from sanyi.catalog.choices import (
    HandlingType,
    ItemLevel,
    ItemType,
    LimitUnit,
    MaterialSource,
    PowerSource,
    VersionStatus,
)
from sanyi.catalog.models import ItemVersion, Material
from sanyi.core.xlsx import workbook_bytes

# The pilot's target for promised time: half the statutory time.
PILOT_TARGET_RATIO = 0.5

BOTH_IN_WORKING_DAYS = Q(
    statutory_limit_unit=LimitUnit.WORKING_DAY,
    promised_limit_unit=LimitUnit.WORKING_DAY,
    statutory_limit_value__gt=0,
    promised_limit_value__isnull=False,
)
DELEGATED = Q(implementation_item__delegated_from__isnull=False) | Q(
    implementation_item__power_source=PowerSource.DELEGATED_FROM_ABOVE
)


# Figures of the cases of the reported items (materials reused versus submitted). The
# cases app registers its provider in CasesConfig.ready (the catalogue does not read cases):
# ``func(published_versions) -> {"case_materials_reused": int, ...}``.
CaseFigures = Callable[[QuerySet[ItemVersion]], dict[str, Any]]
_case_figures: list[CaseFigures] = []


def register_case_figures(func: CaseFigures) -> None:
    """Add a provider of case figures; registering the same function twice is harmless."""
    if func not in _case_figures:
        _case_figures.append(func)


def _cases_of(versions: QuerySet[ItemVersion]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for func in _case_figures:
        out.update(func(versions))
    return out


def _item_aggregates() -> dict[str, Any]:
    """Aggregates over published versions (one row per implementation item)."""
    ratio = Cast(F("promised_limit_value"), FloatField()) / Cast(
        F("statutory_limit_value"), FloatField()
    )
    item_type = "implementation_item__base_item__item_type"
    return {
        "items": Count("pk"),
        "powers": Count("pk", filter=~Q(**{item_type: ItemType.PUBLIC_SERVICE})),
        "public_services": Count("pk", filter=Q(**{item_type: ItemType.PUBLIC_SERVICE})),
        "licensing": Count("pk", filter=Q(**{item_type: ItemType.LICENSING})),
        "delegated": Count("pk", filter=DELEGATED),
        "sub_items": Count("pk", filter=Q(implementation_item__base_item__main_item__isnull=False)),
        "with_both_limits": Count("pk", filter=BOTH_IN_WORKING_DAYS),
        "mean_time_ratio": Avg(ratio, filter=BOTH_IN_WORKING_DAYS),
        "meeting_half_target": Count(
            "pk",
            filter=BOTH_IN_WORKING_DAYS
            & Q(statutory_limit_value__gte=F("promised_limit_value") * 2),
        ),
        "visits_0": Count("pk", filter=Q(visits=0)),
        "visits_1": Count("pk", filter=Q(visits=1)),
        "visits_2_plus": Count("pk", filter=Q(visits__gte=2)),
        "instant": Count("pk", filter=Q(handling_type=HandlingType.INSTANT)),
    }


def _material_aggregates() -> dict[str, Any]:
    return {
        "materials": Count("pk"),
        "shared_materials": Count("pk", filter=Q(source=MaterialSource.SHARED_DATA)),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Figures:
    items: int = 0
    powers: int = 0
    public_services: int = 0
    licensing: int = 0
    delegated: int = 0
    sub_items: int = 0
    with_both_limits: int = 0
    mean_time_ratio: float | None = None
    meeting_half_target: int = 0
    materials: int = 0
    materials_per_item: float | None = None
    shared_materials: int = 0
    shared_material_share: float | None = None
    visits_0: int = 0
    visits_1: int = 0
    visits_2_plus: int = 0
    instant: int = 0
    instant_share: float | None = None

    @classmethod
    def build(cls, items: dict[str, Any], materials: dict[str, Any]) -> Figures:
        fig = cls(
            **{
                k: items.get(k) or 0
                for k in (
                    "items",
                    "powers",
                    "public_services",
                    "licensing",
                    "delegated",
                    "sub_items",
                    "with_both_limits",
                    "meeting_half_target",
                    "visits_0",
                    "visits_1",
                    "visits_2_plus",
                    "instant",
                )
            }
        )
        ratio = items.get("mean_time_ratio")
        fig.mean_time_ratio = round(ratio, 4) if ratio is not None else None
        fig.materials = materials.get("materials") or 0
        fig.shared_materials = materials.get("shared_materials") or 0
        fig.materials_per_item = round(fig.materials / fig.items, 2) if fig.items else None
        fig.shared_material_share = _share(fig.shared_materials, fig.materials)
        fig.instant_share = _share(fig.instant, fig.items)
        return fig


@dataclass
class ReductionReport:
    total: Figures
    by_type: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    by_level: list[dict[str, Any]] = field(default_factory=list)
    target_ratio: float = PILOT_TARGET_RATIO
    # 办件材料: reused (e-licence or earlier material) vs submitted, from the cases.
    cases: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _published(unit=None, level: str | None = None) -> QuerySet[ItemVersion]:
    qs = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    if unit is not None:
        qs = qs.filter(implementation_item__implementing_unit__path__startswith=unit.path)
    if level:
        qs = qs.filter(implementation_item__level=level)
    return qs


def reduction_report(*, viewer, unit=None, level: str | None = None) -> ReductionReport:
    """Figures of the published catalogue, optionally of one unit (and the units under it)
    or one level, with breakdowns by item type, implementing unit and level.

    The published catalogue is public, so every viewer gets the same figures.
    """
    del viewer  # published figures are public; the argument keeps the selector contract
    versions = _published(unit, level)
    materials = Material.objects.filter(version__in=_published(unit, level))
    total = Figures.build(
        versions.aggregate(**_item_aggregates()), materials.aggregate(**_material_aggregates())
    )

    by_type = [
        {
            "item_type": row["implementation_item__base_item__item_type"],
            "label": ItemType(row["implementation_item__base_item__item_type"]).label,
            "items": row["items"],
        }
        for row in versions.values("implementation_item__base_item__item_type")
        .annotate(items=Count("pk"))
        .order_by("implementation_item__base_item__item_type")
    ]

    def grouped(key: str, material_key: str, label_of) -> list[dict[str, Any]]:
        rows = {
            r[key]: r for r in versions.values(key).annotate(**_item_aggregates()).order_by(key)
        }
        mats = {
            r[material_key]: r
            for r in materials.values(material_key)
            .annotate(**_material_aggregates())
            .order_by(material_key)
        }
        out = []
        for group, row in rows.items():
            figures = Figures.build(row, mats.get(group, {}))
            out.append({"key": group, "label": label_of(group, row), **asdict(figures)})
        return out

    unit_names = dict(
        versions.values_list(
            "implementation_item__implementing_unit", "implementation_item__implementing_unit__name"
        ).distinct()
    )
    by_unit = grouped(
        "implementation_item__implementing_unit",
        "version__implementation_item__implementing_unit",
        lambda pk, row: unit_names.get(pk, ""),
    )
    by_level = grouped(
        "implementation_item__level",
        "version__implementation_item__level",
        lambda lvl, row: ItemLevel(lvl).label,
    )
    return ReductionReport(
        total=total, by_type=by_type, by_unit=by_unit, by_level=by_level, cases=_cases_of(versions)
    )


FIGURE_COLUMNS: list[tuple[str, str]] = [
    ("items", "事项数"),
    ("powers", "行政权力事项"),
    ("public_services", "公共服务事项"),
    ("licensing", "行政许可事项"),
    ("delegated", "下放事项"),
    ("sub_items", "子项"),
    ("with_both_limits", "有法定和承诺时限（工作日）的事项"),
    ("mean_time_ratio", "承诺时限/法定时限（平均）"),
    ("meeting_half_target", "承诺时限不超过法定时限一半的事项"),
    ("materials", "材料总数"),
    ("materials_per_item", "平均每项材料数"),
    ("shared_materials", "共享获取材料数"),
    ("shared_material_share", "共享获取材料占比"),
    ("visits_0", "零跑动事项"),
    ("visits_1", "跑一次事项"),
    ("visits_2_plus", "跑两次及以上事项"),
    ("instant", "即办件"),
    ("instant_share", "即办件占比"),
]

# Shares are kept as fractions (0–1) in the data and the JSON; pages show them as percent
# and Excel stores the number with a percent format.
SHARE_KEYS = {"shared_material_share", "instant_share", "case_materials_reused_share"}


def share_text(value: float | None) -> str:
    """A share as people read it: 0.375 → "37.5%"; None (nothing to divide by) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


CASE_COLUMNS: list[tuple[str, str]] = [
    ("case_materials_reused", "办件中复用的材料（电子证照、以前提交的材料）"),
    ("case_materials_shared", "办件中通过数据共享获取的材料"),
    ("case_materials_submitted", "办件中申请人本次提交的材料"),
    ("case_materials_reused_share", "复用材料占比（复用/（复用+提交））"),
]


def _append_figure(ws, label: str, value, share: bool) -> None:
    ws.append([label, value])
    if share and value is not None:
        ws.cell(row=ws.max_row, column=2).number_format = "0.0%"


def reduction_report_xlsx(report: ReductionReport) -> bytes:
    """The report as an Excel workbook: 总体, 按事项类型, 按实施主体, 按层级."""
    wb = Workbook()
    ws = wb.active
    ws.title = "总体"
    ws.append(["指标", "数值"])
    total = asdict(report.total)
    for key, label in FIGURE_COLUMNS:
        _append_figure(ws, label, total[key], key in SHARE_KEYS)
    ws.append(["试点目标：承诺时限/法定时限", report.target_ratio])
    for key, label in CASE_COLUMNS:
        if key in report.cases:
            _append_figure(ws, label, report.cases[key], key in SHARE_KEYS)
    types = wb.create_sheet("按事项类型")
    types.append(["事项类型代码", "事项类型", "事项数"])
    for row in report.by_type:
        types.append([row["item_type"], row["label"], row["items"]])
    for title, rows, head in (
        ("按实施主体", report.by_unit, "实施主体"),
        ("按层级", report.by_level, "行使层级"),
    ):
        sheet = wb.create_sheet(title)
        sheet.append([head, *[label for _, label in FIGURE_COLUMNS]])
        for row in rows:
            sheet.append([row["label"], *[row[key] for key, _ in FIGURE_COLUMNS]])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    return workbook_bytes(wb)
