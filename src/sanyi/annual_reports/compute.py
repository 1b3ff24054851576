"""Computing the annual report's figures and checking them.

The computed report is a plain, JSON-able dict (``ReportData``): the same dict is shown for
a draft, stored as the snapshot of an issued report, and written by the JSON format. Every
number sits in ``cells`` under a stable key:

* ``s2.<regulation|normative>.<made|abolished|in_force>``; ``s2.<licensing|penalty|
  compulsory>`` (decisions); ``s2.fees`` (万元, a decimal string);
* ``s3.<row>.<column>``: row ``new`` (一), ``carried_in`` (二), each outcome code
  (三(一)…(六), see ``disclosure_requests.choices.Outcome``), ``concluded_total`` (三(七)),
  ``carried_over`` (四); column each ``ApplicantColumn`` code or ``total``;
* ``s4.<review|lawsuit_direct|lawsuit_after_review>.<upheld|corrected|other|pending|total>``.

Counting rules (docs/openness-annual-report.md):

* The period is 1 January to 31 December; for the current year it ends today ("截至").
* Section 二: public publications (``openness.selectors.publication_public_qs`` at the end of
  the period) of kind 规章 / 行政规范性文件. 本年制发 = published in the period; 本年废止 =
  abolished (废止, not 失效) with the date in the period; 现行有效 = published by the end of
  the period and still valid then (valid now, or expired/abolished only after the period).
* Section 三 (``disclosure_requests.selectors.requests_received_qs``): 一 = received in
  the period; 二 = received before 1 January and not concluded before it; 三 = concluded
  in the period, by outcome; 四 = received by the end of the period and not concluded by
  then. Totals are counted on their own (not summed from the parts), so a request without
  an outcome or applicant column shows as a failed check.
* Section 四 (``disclosure_requests.selectors.appeals_filed_qs``): appeals filed in the
  period, by kind, with the result as at the end of the period (not concluded by then =
  尚未审结).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from sanyi.annual_reports.choices import COUNT_FIGURES, Figure, ReportScope
from sanyi.annual_reports.figures import provided_figure
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    ApplicantColumn,
    Outcome,
)
from sanyi.openness.choices import DocumentKind, Validity
from sanyi.orgs.models import OrgUnit
from sanyi.orgs.tree import subtree_q

FORMAT_NAME = "国办公开办函〔2021〕30号"
FIRST_YEAR = 2008  # the first year of the 2008 Regulations

ReportData = dict[str, Any]

# --- cell names ------------------------------------------------------------------------------

DOC_KINDS = [
    (DocumentKind.REGULATION.value, "规章"),
    (DocumentKind.NORMATIVE.value, "行政规范性文件"),
]
DOC_MEASURES = [
    ("made", "本年制发件数"),
    ("abolished", "本年废止件数"),
    ("in_force", "现行有效件数"),
]
FIGURE_ITEMS = {
    Figure.LICENSING.value: ("第二十条第（五）项", "行政许可", "本年处理决定数量"),
    Figure.PENALTY.value: ("第二十条第（六）项", "行政处罚", "本年处理决定数量"),
    Figure.COMPULSORY.value: ("第二十条第（六）项", "行政强制", "本年处理决定数量"),
    Figure.FEES.value: ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"),
}

APPLICANT_COLUMNS = [(c.value, c.label) for c in ApplicantColumn]
S3_COLUMNS = [*APPLICANT_COLUMNS, ("total", "总计")]

# (group label, [(outcome code, numbered label)]) in the order of the official table.
OUTCOME_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("（一）予以公开", [(Outcome.DISCLOSE.value, "")]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [(Outcome.PARTIAL.value, "")]),
    (
        "（三）不予公开",
        [
            (o.value, f"{i}.{o.label}")
            for i, o in enumerate([o for o in Outcome if o.value.startswith("withhold_")], start=1)
        ],
    ),
    (
        "（四）无法提供",
        [
            (o.value, f"{i}.{o.label}")
            for i, o in enumerate(
                [o for o in Outcome if o.value.startswith("unavailable_")], start=1
            )
        ],
    ),
    (
        "（五）不予处理",
        [
            (o.value, f"{i}.{o.label}")
            for i, o in enumerate(
                [o for o in Outcome if o.value.startswith("not_processed_")], start=1
            )
        ],
    ),
    (
        "（六）其他处理",
        [
            (o.value, f"{i}.{o.label}")
            for i, o in enumerate(
                [Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_FEE, Outcome.OTHER], start=1
            )
        ],
    ),
]
OUTCOME_CODES = [code for _, rows in OUTCOME_GROUPS for code, _ in rows]
assert sorted(OUTCOME_CODES) == sorted(Outcome.values), "every outcome has a report row"


def s3_row_label(row: str) -> str:
    """The Chinese name of a section 三 row, as a failed check names it."""
    fixed = {
        "new": "一、本年新收政府信息公开申请数量",
        "carried_in": "二、上年结转政府信息公开申请数量",
        "concluded_total": "三、（七）总计",
        "carried_over": "四、结转下年度继续办理",
    }
    if row in fixed:
        return fixed[row]
    for group, rows in OUTCOME_GROUPS:
        for code, label in rows:
            if code == row:
                return f"三、{group.split('（区分')[0]}" + (f" {label}" if label else "")
    return row


S3_ROWS = ["new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_over"]

APPEAL_KINDS = [
    (AppealKind.REVIEW.value, "行政复议"),
    (AppealKind.LAWSUIT_DIRECT.value, "行政诉讼（未经复议直接起诉）"),
    (AppealKind.LAWSUIT_AFTER_REVIEW.value, "行政诉讼（复议后起诉）"),
]
APPEAL_MEASURES = [
    (AppealResult.UPHELD.value, "结果维持"),
    (AppealResult.CORRECTED.value, "结果纠正"),
    (AppealResult.OTHER.value, "其他结果"),
    (AppealResult.PENDING.value, "尚未审结"),
    ("total", "总计"),
]


def cell_label(key: str) -> str:
    """The Chinese name of any cell key, e.g. ``s3.concluded_total.commercial`` →
    "三、（七）总计 · 商业企业"."""
    parts = key.split(".")
    if parts[0] == "s3" and len(parts) == 3:
        return f"{s3_row_label(parts[1])} · {dict(S3_COLUMNS).get(parts[2], parts[2])}"
    if parts[0] == "s4" and len(parts) == 3:
        kind = dict(APPEAL_KINDS).get(parts[1], parts[1])
        return f"四、{kind} · {dict(APPEAL_MEASURES).get(parts[2], parts[2])}"
    if parts[0] == "s2" and len(parts) == 3:
        return (
            f"二、第二十条第（一）项 · {dict(DOC_KINDS).get(parts[1], parts[1])} "
            f"{dict(DOC_MEASURES).get(parts[2], parts[2])}"
        )
    if parts[0] == "s2" and len(parts) == 2 and parts[1] in FIGURE_ITEMS:
        item, name, measure = FIGURE_ITEMS[parts[1]]
        return f"二、{item} · {name} {measure}"
    return key


# --- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    start: dt.date
    end: dt.date  # inclusive: 31 December, or today for the current year
    complete: bool

    @property
    def end_moment(self) -> dt.datetime:
        """The last instant of the period in local time (for ``publish_at``)."""
        next_day = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)

    @property
    def start_moment(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))


def report_period(year: int, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    if year < FIRST_YEAR or year > today.year:
        raise ValidationError({"year": f"年度须在{FIRST_YEAR}年至{today.year}年之间"})
    year_end = dt.date(year, 12, 31)
    end = min(year_end, today)
    return Period(year=year, start=dt.date(year, 1, 1), end=end, complete=end == year_end)


def report_units(unit: OrgUnit, scope: str) -> list[OrgUnit]:
    """The units a report covers: the unit alone, or it and everything below it (abolished
    units too: what they did in the year still counts)."""
    if scope == ReportScope.UNIT_ONLY:
        return [unit]
    return list(OrgUnit.objects.filter(subtree_q(unit.path, "path")).order_by("path"))


def _unit_q(unit: OrgUnit, scope: str, field: str) -> Q:
    if scope == ReportScope.UNIT_ONLY:
        return Q(**{field: unit})
    return subtree_q(unit.path, f"{field}__path")


# --- the parts -------------------------------------------------------------------------------


def _section2_publications(unit: OrgUnit, scope: str, period: Period) -> dict[str, int]:
    from sanyi.openness.selectors import publication_public_qs

    cells: dict[str, int] = {}
    qs = publication_public_qs(now=period.end_moment).filter(_unit_q(unit, scope, "publisher"))
    in_force = Q(validity=Validity.VALID) | Q(validity_changed_on__gt=period.end)
    for kind, _ in DOC_KINDS:
        counts = qs.filter(document_kind=kind).aggregate(
            made=Count("pk", filter=Q(publish_at__gte=period.start_moment)),
            abolished=Count(
                "pk",
                filter=Q(
                    validity=Validity.ABOLISHED,
                    validity_changed_on__gte=period.start,
                    validity_changed_on__lte=period.end,
                ),
            ),
            in_force=Count("pk", filter=in_force),
        )
        for measure, _ in DOC_MEASURES:
            cells[f"s2.{kind}.{measure}"] = counts[measure]
    return cells


def parse_figure(key: str, raw: Any) -> Decimal | int | None:
    """A hand-entered figure as a number (decisions: whole, ≥ 0; fees: ≥ 0, 万元 with at
    most 4 decimals); None when blank."""
    if raw is None or str(raw).strip() == "":
        return None
    name = FIGURE_ITEMS[key][1]
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({key: f"{name}：请填写数字"}) from None
    if not value.is_finite():
        raise ValidationError({key: f"{name}：请填写数字"})
    if value < 0:
        raise ValidationError({key: f"{name}：不能为负数"})
    if key in COUNT_FIGURES:
        if value != value.to_integral_value():
            raise ValidationError({key: f"{name}：处理决定数量须为整数"})
        return int(value)
    if value.as_tuple().exponent < -4:
        raise ValidationError({key: f"{name}：金额以万元为单位，最多保留4位小数（即精确到元）"})
    return value


def format_money(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _figure_cell(value: Decimal | int | None, key: str) -> int | str | None:
    if value is None:
        return None
    if key in COUNT_FIGURES:
        return int(value)
    return format_money(Decimal(value))


def _section2_figures(
    units: list[OrgUnit], period: Period, manual: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    cells: dict[str, Any] = {}
    figures: dict[str, dict[str, Any]] = {}
    for key in FIGURE_ITEMS:
        provided = provided_figure(key, units, period.year)
        entry = manual.get(key) or {}
        hand = parse_figure(key, entry.get("value"))
        if hand is not None:
            source, value, note = "manual", hand, str(entry.get("note", ""))
        elif provided is not None:
            source, value, note = "system", provided, ""
        else:
            source, value, note = "missing", None, ""
        cells[f"s2.{key}"] = _figure_cell(value, key)
        figures[key] = {
            "source": source,
            "note": note,
            "system_value": _figure_cell(provided, key),
        }
    return cells, figures


def _section3(unit: OrgUnit, scope: str, period: Period) -> dict[str, int]:
    from sanyi.disclosure_requests.selectors import requests_received_qs

    start, end = period.start, period.end
    qs = requests_received_qs().filter(_unit_q(unit, scope, "agency"))
    measures = {
        "new": Q(received_on__gte=start, received_on__lte=end),
        "carried_in": Q(received_on__lt=start)
        & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start)),
        "concluded_total": Q(concluded_on__gte=start, concluded_on__lte=end),
        "carried_over": Q(received_on__lte=end)
        & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)),
    }
    aggregates = {name: Count("pk", filter=q) for name, q in measures.items()}
    cells: dict[str, int] = {f"s3.{row}.{col}": 0 for row in S3_ROWS for col, _ in S3_COLUMNS}
    columns = set(ApplicantColumn.values)
    # Each row by column, and each row's total counted on its own (not summed), so a
    # request outside the six columns or without an outcome surfaces as a failed check.
    for row in qs.values("applicant_column").annotate(**aggregates).order_by():
        if row["applicant_column"] in columns:
            for name in measures:
                cells[f"s3.{name}.{row['applicant_column']}"] = row[name]
    totals = qs.aggregate(**aggregates)
    for name in measures:
        cells[f"s3.{name}.total"] = totals[name]
    concluded = qs.filter(measures["concluded_total"])
    for row in concluded.values("applicant_column", "outcome").annotate(n=Count("pk")).order_by():
        key = f"s3.{row['outcome']}.{row['applicant_column']}"
        if key in cells:
            cells[key] = row["n"]
    for row in concluded.values("outcome").annotate(n=Count("pk")).order_by():
        key = f"s3.{row['outcome']}.total"
        if key in cells:
            cells[key] = row["n"]
    return cells


def _section4(unit: OrgUnit, scope: str, period: Period) -> dict[str, int]:
    from sanyi.disclosure_requests.selectors import appeals_filed_qs

    end = period.end
    qs = appeals_filed_qs(start=period.start, end=end).filter(
        _unit_q(unit, scope, "request__agency")
    )
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=end)
    aggregates = {
        AppealResult.UPHELD.value: Count("pk", filter=concluded & Q(result=AppealResult.UPHELD)),
        AppealResult.CORRECTED.value: Count(
            "pk", filter=concluded & Q(result=AppealResult.CORRECTED)
        ),
        AppealResult.OTHER.value: Count("pk", filter=concluded & Q(result=AppealResult.OTHER)),
        AppealResult.PENDING.value: Count("pk", filter=~concluded | Q(result=AppealResult.PENDING)),
        "total": Count("pk"),
    }
    cells = {f"s4.{kind}.{m}": 0 for kind, _ in APPEAL_KINDS for m, _ in APPEAL_MEASURES}
    for row in qs.values("kind").annotate(**aggregates).order_by():
        for measure, _ in APPEAL_MEASURES:
            key = f"s4.{row['kind']}.{measure}"
            if key in cells:
                cells[key] = row[measure]
    return cells


def compute_report(
    *,
    unit: OrgUnit,
    year: int,
    scope: str = ReportScope.SUBTREE,
    manual_figures: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> ReportData:
    """Every figure of sections 二 to 四 for ``unit`` and ``year`` from the data as it is now."""
    if scope not in ReportScope.values:
        raise ValidationError({"scope": "统计范围无效"})
    period = report_period(year, today)
    units = report_units(unit, scope)
    cells: dict[str, Any] = {}
    cells.update(_section2_publications(unit, scope, period))
    figure_cells, figures = _section2_figures(units, period, manual_figures or {})
    cells.update(figure_cells)
    cells.update(_section3(unit, scope, period))
    cells.update(_section4(unit, scope, period))
    return {
        "format": FORMAT_NAME,
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "year": year,
        "scope": scope,
        "scope_label": ReportScope(scope).label,
        "units_included": len(units),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "complete_year": period.complete,
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),
        "cells": cells,
        "figures": figures,
    }


# --- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckFailure:
    """A failed check: the cells it concerns and a message that names them in Chinese."""

    cells: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"cells": list(self.cells), "message": self.message}


def _num(cells: dict[str, Any], key: str) -> int:
    value = cells.get(key)
    return value if isinstance(value, int) else 0


def report_checks(data: ReportData) -> list[CheckFailure]:
    """The checks an issued report must pass: 一 + 二 = 三(七) + 四 in every column; every
    总计 equals the sum of its parts; no negative or missing figure."""
    cells = data.get("cells", {})
    return [
        *_figure_checks(cells),
        *_s3_balance_checks(cells),
        *_s3_total_checks(cells),
        *_s4_total_checks(cells),
    ]


def _figure_checks(cells: dict[str, Any]) -> list[CheckFailure]:
    """No negative or invalid figure; every figure of part 二 filled in."""
    failures: list[CheckFailure] = []
    for key, value in cells.items():
        if value is None:
            continue
        if key == "s2.fees":
            try:
                negative = Decimal(str(value)) < 0
            except InvalidOperation:
                negative = True
        else:
            negative = not isinstance(value, int) or value < 0
        if negative:
            failures.append(CheckFailure((key,), f"{cell_label(key)}：数字无效（{value}）"))
    for key in FIGURE_ITEMS:
        cell = f"s2.{key}"
        if cells.get(cell) is None:
            failures.append(
                CheckFailure(
                    (cell,),
                    f"{cell_label(cell)}：没有系统统计数，请手工填写并注明数据来源",
                )
            )
    return failures


def _s3_balance_checks(cells: dict[str, Any]) -> list[CheckFailure]:
    """Part 三 in every column: 一、新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度."""
    failures: list[CheckFailure] = []
    for col, _ in S3_COLUMNS:
        left = _num(cells, f"s3.new.{col}") + _num(cells, f"s3.carried_in.{col}")
        right = _num(cells, f"s3.concluded_total.{col}") + _num(cells, f"s3.carried_over.{col}")
        if left != right:
            failures.append(
                CheckFailure(
                    (f"s3.concluded_total.{col}", f"s3.carried_over.{col}"),
                    f"三、（七）总计 + 四、结转下年度继续办理 · {dict(S3_COLUMNS)[col]}："
                    f"一、新收 + 二、上年结转 = {left}，三、（七）总计 + 四、结转下年度 = {right}，"
                    "两者应当相等",
                )
            )
    return failures


def _s3_total_checks(cells: dict[str, Any]) -> list[CheckFailure]:
    """Part 三's totals: （七） is the sum of （一）to（六）, each row's 总计 of its columns."""
    failures: list[CheckFailure] = []
    for col, label in S3_COLUMNS:
        parts = sum(_num(cells, f"s3.{code}.{col}") for code in OUTCOME_CODES)
        total = _num(cells, f"s3.concluded_total.{col}")
        if parts != total:
            failures.append(
                CheckFailure(
                    (f"s3.concluded_total.{col}",),
                    f"三、（七）总计 · {label}：应为（一）至（六）各项之和 {parts}，实为 {total}",
                )
            )
    for row in S3_ROWS:
        parts = sum(_num(cells, f"s3.{row}.{col}") for col, _ in APPLICANT_COLUMNS)
        total = _num(cells, f"s3.{row}.total")
        if parts != total:
            failures.append(
                CheckFailure(
                    (f"s3.{row}.total",),
                    f"{s3_row_label(row)} · 总计：应为各类申请人之和 {parts}，实为 {total}",
                )
            )
    return failures


def _s4_total_checks(cells: dict[str, Any]) -> list[CheckFailure]:
    """Part 四: each appeal kind's 总计 is the sum of its outcomes."""
    failures: list[CheckFailure] = []
    for kind, kind_label in APPEAL_KINDS:
        parts = sum(_num(cells, f"s4.{kind}.{m}") for m, _ in APPEAL_MEASURES[:-1])
        total = _num(cells, f"s4.{kind}.total")
        if parts != total:
            failures.append(
                CheckFailure(
                    (f"s4.{kind}.total",),
                    f"四、{kind_label} · 总计：应为维持、纠正、其他、尚未审结之和 {parts}，"
                    f"实为 {total}",
                )
            )
    return failures
