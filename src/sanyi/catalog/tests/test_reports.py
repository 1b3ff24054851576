import io

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sanyi.catalog.reports import reduction_report, reduction_report_xlsx
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


def material(name, source="applicant"):
    return {
        "name": name,
        "type": "original",
        "form": "paper",
        "necessity": "required",
        "copies": 1,
        "source": source,
        "specification": "",
        "source_note": "",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
    }


@pytest.fixture
def catalogue():
    """Three published items with known figures, and a draft that must not count."""
    units = f.org()
    f.item(
        unit=units["dept"],
        status="published",
        name="甲许可",
        item_type="01",
        guide=f.good_guide(materials=[material("申请书"), material("营业执照", "shared_data")]),
    )
    b = f.item(
        unit=units["sub_dept"],
        status="published",
        name="乙服务",
        item_type="20",
        guide=f.good_guide(
            statutory_limit={"value": 10, "unit": "working_day", "note": ""},
            promised_limit={"value": 2, "unit": "working_day", "note": ""},
            handling_type="1",
            visits=0,
            channels=["online", "post"],
            materials=[material("申请表")],
        ),
    )
    f.item(
        unit=units["sub_dept"],
        status="published",
        name="乙服务（变更）",
        item_type="20",
        main_item=b.implementation_item.base_item,
        level="4",
        power_source="2",
        delegated_from=units["dept"],
        guide=f.good_guide(
            statutory_limit={"value": None, "unit": "none", "note": ""},
            promised_limit={"value": 3, "unit": "working_day", "note": ""},
            visits=2,
            materials=[material("变更申请"), material("原证件"), material("说明")],
        ),
    )
    f.item(unit=units["dept"], status="draft", name="丙草稿")
    return units


def test_reduction_report_figures_on_a_known_catalogue(catalogue):
    report = reduction_report(viewer=None)
    t = report.total

    assert (t.items, t.powers, t.public_services, t.licensing, t.delegated, t.sub_items) == (
        3,
        1,
        2,
        1,
        1,
        1,
    )
    assert t.with_both_limits == 2
    assert t.mean_time_ratio == pytest.approx(0.35)
    assert t.meeting_half_target == 2
    assert (t.materials, t.materials_per_item) == (6, 2.0)
    assert (t.shared_materials, t.shared_material_share) == (1, pytest.approx(0.1667))
    assert (t.visits_0, t.visits_1, t.visits_2_plus) == (1, 1, 1)
    assert (t.instant, t.instant_share) == (1, pytest.approx(0.3333))
    assert {r["item_type"]: r["items"] for r in report.by_type} == {"01": 1, "20": 2}


def test_reduction_report_breaks_down_by_unit_and_level(catalogue):
    report = reduction_report(viewer=None)

    by_unit = {row["label"]: row for row in report.by_unit}
    sub = by_unit[catalogue["sub_dept"].name]
    assert (sub["items"], sub["materials"], sub["materials_per_item"]) == (2, 4, 2.0)
    assert sub["mean_time_ratio"] == pytest.approx(0.2)
    assert [row["key"] for row in report.by_level] == ["4"]


def test_reduction_report_of_one_unit(catalogue):
    report = reduction_report(viewer=None, unit=catalogue["dept"])
    assert (report.total.items, report.total.materials) == (1, 2)


def test_reduction_report_uses_a_fixed_number_of_queries(catalogue, django_assert_max_num_queries):
    for _ in range(4):
        f.item(unit=catalogue["dept"], status="published")
    # 8 for the catalogue, 1 for the cases' materials reused (registered by the cases app).
    with django_assert_max_num_queries(9):
        reduction_report(viewer=None)


def test_empty_catalogue_gives_no_ratios_instead_of_errors(db):
    report = reduction_report(viewer=None)
    assert report.total.items == 0
    assert report.total.mean_time_ratio is None and report.total.instant_share is None
    assert report.as_dict()["total"]["items"] == 0


def test_reduction_report_excel_reads_back(catalogue):
    data = reduction_report_xlsx(reduction_report(viewer=None))

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["总体", "按事项类型", "按实施主体", "按层级"]
    overall = {row[0]: row[1] for row in wb["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["事项数"] == 3
    assert overall["承诺时限/法定时限（平均）"] == pytest.approx(0.35)
    assert wb["按实施主体"].max_row == 3


@hsettings(max_examples=8, deadline=None)
@given(limits=st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), min_size=1, max_size=4))
@pytest.mark.django_db
def test_mean_time_ratio_is_the_mean_of_promised_over_statutory(limits):
    dept = org_factories.unit(
        org_factories.district(), OrgKind.DEPARTMENT, uscc=org_factories.unique_uscc()
    )
    pairs = [(max(s, p), min(s, p)) for s, p in limits]  # promised never above statutory
    for statutory, promised in pairs:
        f.item(
            unit=dept,
            status="published",
            guide=f.good_guide(
                statutory_limit={"value": statutory, "unit": "working_day", "note": ""},
                promised_limit={"value": promised, "unit": "working_day", "note": ""},
            ),
        )

    total = reduction_report(viewer=None, unit=dept).total

    expected = sum(p / s for s, p in pairs) / len(pairs)
    assert total.mean_time_ratio == pytest.approx(expected, abs=1e-4)
    assert total.meeting_half_target == sum(1 for s, p in pairs if 2 * p <= s)


def test_reduction_report_excel_writes_formula_like_names_as_text(catalogue):
    from sanyi.orgs.models import OrgUnit

    link = '=HYPERLINK("http://evil.example/","x")'
    OrgUnit.objects.filter(pk=catalogue["dept"].pk).update(name=link)
    data = reduction_report_xlsx(reduction_report(viewer=None))
    cells = [c for row in load_workbook(io.BytesIO(data))["按实施主体"].iter_rows() for c in row]
    assert [(c.value, c.data_type) for c in cells if c.value == link] == [(link, "s")]
