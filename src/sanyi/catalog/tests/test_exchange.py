import copy
import io

import pytest
from openpyxl import load_workbook

from sanyi.audit.models import AuditEvent
from sanyi.catalog import exchange, services
from sanyi.catalog.models import (
    BaseItem,
    ImplementationItem,
    IssuedCode,
    ItemReview,
    ItemVersion,
    LifeEvent,
)
from sanyi.catalog.tests import factories as f

pytestmark = pytest.mark.django_db
ACTOR = exchange.IMPORT_ACTOR


@pytest.fixture
def units():
    return f.org()


@pytest.fixture
def catalogue(units):
    """A small catalogue: a main item with a sub-item, a delegated item, a fee, a draft."""
    main = f.item(
        unit=units["dept"],
        status="published",
        name="食品经营许可",
        guide=f.good_guide(
            fees=[
                {
                    "name": "工本费",
                    "standard": "每证10元",
                    "basis": "某价费文件",
                    "reducible": True,
                    "reduction_basis": "低保对象免收",
                }
            ],
            online_payment=True,
        ),
    )
    f.item(
        unit=units["dept"],
        status="published",
        name="食品经营许可（变更）",
        main_item=main.implementation_item.base_item,
    )
    delegated = f.item(
        unit=units["sub_dept"],
        status="published",
        name="临时占道许可",
        level="5",
        power_source="2",
        delegated_from=units["dept"],
    )
    f.item(unit=units["dept"], name="尚未发布的事项")
    services.life_event_save(
        actor=f.SYSTEM,
        name="开办餐饮店",
        description="开店要办的事",
        audience="business",
        items=[main.implementation_item, delegated.implementation_item],
    )
    return units


def wipe_catalogue():
    """Empty the catalogue tables, as on a fresh installation with the same org tree."""
    LifeEvent.objects.all().delete()
    ItemReview.objects.all().delete()
    ItemVersion.objects.all().delete()
    ImplementationItem.objects.all().delete()
    BaseItem.objects.filter(main_item__isnull=False).delete()
    BaseItem.objects.all().delete()
    IssuedCode.objects.all().delete()


def snapshot_counts():
    return (
        BaseItem.objects.count(),
        ImplementationItem.objects.count(),
        ItemVersion.objects.count(),
        IssuedCode.objects.count(),
        LifeEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_export_follows_the_documented_format(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)

    assert (doc["format"], doc["version"]) == ("sanyi-catalog", 1)
    by_name = {item["name"]: item for item in doc["items"]}
    assert set(by_name) == {
        "食品经营许可",
        "食品经营许可（变更）",
        "临时占道许可",
        "尚未发布的事项",
    }
    assert by_name["尚未发布的事项"]["status"] == "draft"
    sub = by_name["食品经营许可（变更）"]
    assert sub["main_item"] == by_name["食品经营许可"]["base_code"]
    assert by_name["临时占道许可"]["delegated_from"] == catalogue["dept"].uscc
    assert by_name["食品经营许可"]["life_events"] == ["开办餐饮店"]
    assert doc["life_events"] == [
        {
            "name": "开办餐饮店",
            "description": "开店要办的事",
            "audience": "business",
            "items": ["临时占道许可", "食品经营许可"],
        }
    ]


def test_export_hides_drafts_from_the_public(catalogue):
    doc = exchange.catalog_export(viewer=None)
    assert "尚未发布的事项" not in {item["name"] for item in doc["items"]}


def test_json_round_trip(catalogue):
    before = exchange.catalog_export(viewer=f.SYSTEM)
    text = exchange.export_json(before)
    wipe_catalogue()

    result = exchange.catalog_import(
        actor=ACTOR, document=exchange.read_json(text), publish_without_review=True
    )

    assert len(result.created) == 4
    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def test_excel_round_trip(catalogue):
    before = exchange.catalog_export(viewer=f.SYSTEM)
    data = exchange.export_xlsx(before)
    wipe_catalogue()

    document, locator = exchange.read_xlsx(data)
    exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )

    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def test_reimport_without_changes_makes_no_new_version(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    versions = ItemVersion.objects.count()

    result = exchange.catalog_import(actor=ACTOR, document=doc)

    assert len(result.unchanged) == 4 and not result.created and not result.new_versions
    assert ItemVersion.objects.count() == versions


def test_reimport_with_a_change_submits_a_new_version_of_the_same_code_for_review(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    changed = next(item for item in doc["items"] if item["name"] == "临时占道许可")
    changed["hours"] = "工作日 8:30-12:00"

    result = exchange.catalog_import(actor=ACTOR, document=doc)

    assert result.new_versions == [changed["implementation_code"]]
    assert result.submitted == [changed["implementation_code"]]
    item = ImplementationItem.objects.get(implementation_code=changed["implementation_code"])
    assert list(item.versions.order_by("number").values_list("number", "status")) == [
        (1, "published"),
        (2, "in_review"),
    ]
    assert item.versions.get(number=2).hours == "工作日 8:30-12:00"


def test_items_without_codes_get_generated_codes(units):
    item = copy.deepcopy(f.good_guide())
    item.update(
        {
            "name": "新事项",
            "item_type": "01",
            "implementing_unit": units["dept"].name,
            "level": "4",
            "power_source": "1",
            "implementer_nature": "1",
            "life_events": [],
        }
    )
    result = exchange.catalog_import(
        actor=ACTOR, document={"format": "sanyi-catalog", "version": 1, "items": [item]}
    )

    code = result.created[0]
    assert code.startswith(units["dept"].uscc) and len(code) == 31
    assert ItemVersion.objects.get(implementation_item__implementation_code=code).status == (
        "in_review"
    )


def test_every_problem_is_reported_with_its_path_and_nothing_is_written(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    wipe_catalogue()
    doc["items"][0]["materials"][1]["type"] = "scan"
    doc["items"][1]["visits"] = "两次"
    doc["items"][1]["colour"] = "red"
    del doc["items"][2]["place"]
    doc["items"][3]["implementing_unit"] = "不存在的局"
    doc["life_events"][0]["items"].append("没有这个事项")
    counts = snapshot_counts()

    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document=doc)

    where = {p.where for p in exc.value.problems}
    assert {
        "items[0].materials[1].type",
        "items[1].visits",
        "items[1].colour",
        "items[2].place",
        "items[3].implementing_unit",
    } <= where
    assert snapshot_counts() == counts


def test_problems_found_while_writing_roll_everything_back(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    wipe_catalogue()
    doc["life_events"][0]["items"].append("没有这个事项")
    counts = snapshot_counts()

    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document=doc)

    assert [str(p) for p in exc.value.problems] == [
        "life_events[0].items[2]：事项“没有这个事项”不存在"
    ]
    assert snapshot_counts() == counts


def test_a_code_issued_before_is_refused_on_import(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    draft = ItemVersion.objects.get(implementation_item__base_item__name="尚未发布的事项")
    code = draft.implementation_item.implementation_code
    services.item_version_discard(actor=f.SYSTEM, version=draft)
    doc["items"] = [i for i in doc["items"] if i["implementation_code"] == code]

    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document=doc)

    assert "不能重复使用" in exc.value.problems[0].message


def test_dry_run_checks_everything_and_writes_nothing(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    wipe_catalogue()
    counts = snapshot_counts()

    result = exchange.catalog_import(actor=ACTOR, document=doc, dry_run=True)

    assert result.dry_run and len(result.created) == 4
    assert snapshot_counts() == counts


def test_items_with_lint_errors_are_kept_as_drafts_and_reported(units):
    item = copy.deepcopy(f.good_guide(acceptance_conditions="身份证等"))
    item.update(
        {
            "name": "模糊事项",
            "item_type": "01",
            "implementing_unit": units["dept"].uscc,
            "level": "4",
            "power_source": "1",
            "implementer_nature": "1",
            "life_events": [],
        }
    )

    result = exchange.catalog_import(
        actor=ACTOR, document={"format": "sanyi-catalog", "version": 1, "items": [item]}
    )

    assert result.kept_as_draft == result.created
    assert "质量错误" in result.notes[0].message
    assert ItemVersion.objects.get().status == "draft"


def test_as_draft_imports_nothing_as_published(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    wipe_catalogue()
    exchange.catalog_import(actor=ACTOR, document=doc, as_draft=True)
    assert set(ItemVersion.objects.values_list("status", flat=True)) == {"draft"}


def test_user_actor_needs_the_catalog_admin_role_for_each_unit(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    wipe_catalogue()
    counts = snapshot_counts()

    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=catalogue["dept_admin"], document=doc)

    assert any("不是" in p.message and "事项管理员" in p.message for p in exc.value.problems)
    assert snapshot_counts() == counts


def test_progress_is_reported_up_to_the_total(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    calls = []
    exchange.catalog_import(
        actor=ACTOR, document=doc, progress=lambda done, total, msg: calls.append((done, total))
    )
    assert calls[-1] == (8, 8)
    assert [done for done, _ in calls] == list(range(1, 9))


def test_document_shape_errors(units):
    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document={"format": "x", "items": {}})
    assert {p.where for p in exc.value.problems} == {"format", "version", "items"}
    with pytest.raises(exchange.ImportFailed):
        exchange.read_json("{not json")


def test_excel_errors_name_sheet_row_and_column(catalogue):
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    wb = load_workbook(io.BytesIO(data))
    wb["材料"]["C3"] = "扫描件"  # 材料类型 of the second material row
    wb["事项"]["U2"] = "两次"  # 到办事现场次数 of the first item
    buffer = io.BytesIO()
    wb.save(buffer)
    counts = snapshot_counts()

    document, locator = exchange.read_xlsx(buffer.getvalue())
    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.catalog_import(actor=ACTOR, document=document, locate=locator)

    where = [p.where for p in exc.value.problems]
    assert where == ["事项 第2行 U列（到办事现场次数）", "材料 第3行 C列（材料类型）"]
    assert snapshot_counts() == counts


def test_excel_rows_pointing_at_unknown_items_are_reported(catalogue):
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    wb = load_workbook(io.BytesIO(data))
    wb["收费"]["A2"] = "NOPE"
    wb["事项"]["AZ1"] = "备注"
    buffer = io.BytesIO()
    wb.save(buffer)

    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.read_xlsx(buffer.getvalue())

    messages = [str(p) for p in exc.value.problems]
    assert "事项 第1行 AZ列：未知的列“备注”（请使用模板的列名）" in messages
    assert "收费 第2行 A列（事项编号）：事项编号“NOPE”在“事项”工作表中找不到" in messages


def test_template_has_every_sheet_headers_and_instructions(db):
    wb = load_workbook(io.BytesIO(exchange.template_xlsx()))
    assert wb.sheetnames == [
        "填写说明",
        "事项",
        "材料",
        "收费",
        "流程",
        "依据",
        "业务办理项",
        "受理条件规则",
        "一件事",
    ]
    headers = [c.value for c in wb["材料"][1]]
    assert headers[:3] == ["事项编号", "材料名称", "材料类型"]
    assert wb["事项"].max_row == 1
    document, _ = exchange.read_xlsx(exchange.template_xlsx())
    assert document["items"] == []


def test_excel_accepts_codes_as_well_as_labels(catalogue):
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    wb = load_workbook(io.BytesIO(data))
    wb["事项"]["E2"] = 1  # 事项类型 typed as the number 1 → "01"
    buffer = io.BytesIO()
    wb.save(buffer)
    document, _ = exchange.read_xlsx(buffer.getvalue())
    assert document["items"][0]["item_type"] == "01"


def test_a_hand_filled_template_imports_with_generated_codes(units):
    wb = load_workbook(io.BytesIO(exchange.template_xlsx()))
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets[1:]}

    def add(sheet, **values):
        wb[sheet].append([values.get(h) for h in headers[sheet]])

    add(
        "事项",
        事项编号="1",
        事项名称="餐饮店招牌设置",
        事项类型="行政许可",
        实施主体=units["dept"].name,
        行使层级="县级（区）",
        权力来源="法定本级行使",
        实施主体性质="法定机关",
        受理条件="在本区临街设置招牌的经营者。",
        法定办结时限=20,
        法定时限单位="个工作日",
        承诺办结时限=5,
        承诺时限单位="个工作日",
        办件类型="承诺件",
        到办事现场次数=1,
        办理形式="窗口办理、网上办理",
        网办深度="在线咨询、网上收件",
        网上支付="否",
        办理地点="区政务服务中心",
        办理时间="工作日 9:00-17:00",
        咨询电话="0591-1111111",
        监督投诉电话="12345",
        服务对象="企业法人、非法人企业",
        面向法人主题="准营准办",
        审批结果名称="准予设置决定书",
        审批结果类型="批文",
    )
    add(
        "材料",
        事项编号="1",
        材料名称="招牌设计效果图",
        材料类型="原件",
        材料形式="纸质和电子",
        必要性="必要",
        份数=1,
        来源渠道="申请人自备",
    )
    add(
        "依据",
        事项编号="1",
        法律法规名称="《城市市容和环境卫生管理条例》",
        条款="第十一条",
        依据类别="设定依据",
    )
    add(
        "流程",
        事项编号="1",
        环节名称="受理",
        办理人员="综合窗口",
        办理内容="核对材料。",
        办理层级="区",
        办理角色="窗口人员",
    )
    buffer = io.BytesIO()
    wb.save(buffer)

    document, locator = exchange.read_xlsx(buffer.getvalue())
    result = exchange.catalog_import(actor=ACTOR, document=document, locate=locator)

    version = ItemVersion.objects.get(implementation_item__implementation_code=result.created[0])
    assert version.status == "in_review"
    assert version.channels == ["window", "online"]
    assert version.service_objects == ["2", "5"]
    material = version.materials.get()
    assert (material.name, material.form) == ("招牌设计效果图", "both")
    assert version.steps.get().role == "window_clerk"


def test_reimport_without_codes_matches_items_by_name_unit_and_main_item(catalogue):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    names = {i["base_code"]: i["name"] for i in doc["items"]}
    for item in doc["items"]:
        del item["base_code"], item["implementation_code"]
        for variant in item["handling_variants"]:
            del variant["code"]
        if "main_item" in item:
            item["main_item"] = names[item["main_item"]]
    versions = ItemVersion.objects.count()

    result = exchange.catalog_import(actor=ACTOR, document=doc)

    assert len(result.unchanged) == 4 and not result.created
    assert ItemVersion.objects.count() == versions
