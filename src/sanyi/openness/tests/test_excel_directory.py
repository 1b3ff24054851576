"""The directory as an Excel workbook in the official layout: export, import, the round
trip, and one test per kind of problem (every problem named by row and column, nothing
written when there is any)."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanyi.audit.services import snapshot
from sanyi.openness import excel
from sanyi.openness.choices import (
    Audience,
    Channel,
    ContentNature,
    DisclosureMode,
    FiveKind,
    LimitTrigger,
    LimitUnit,
)
from sanyi.openness.models import DirectoryEntry
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db

SYSTEM = "系统：测试"
KEY_FIELDS = list(excel.ENTRY_FIELDS)


def _col(key: str) -> int:
    return [k for k, _g, _s in excel.COLUMNS].index(key) + 1


def _directory(org_tree):
    """Entries that use every kind of value the layout carries."""
    return [
        f.entry(org_tree["district"], l1="最低生活保障", l2="低保政策", sequence=1),
        f.entry(
            org_tree["district"],
            area_code="P18",
            l1="养老服务",
            l2="高龄津贴",
            sequence=2,
            channels=[Channel.WEBSITE, Channel.GAZETTE, Channel.TARGETED_PUSH, Channel.OTHER],
            audience=Audience.SPECIFIC_GROUP,
            mode=DisclosureMode.ON_REQUEST,
            five_kind=FiveKind.DECISION,
            nature=ContentNature.STATIC,
            time_limit_days=7,
            time_limit_unit=LimitUnit.NATURAL_DAYS,
            time_limit_trigger=LimitTrigger.DECISION,
            time_limit_text="作出决定之日起7日内",
        ),
        f.entry(org_tree["sub1"], l1="最低生活保障", l2="低保对象名单", time_limit_days=None),
        f.entry(org_tree["comm1"], l1="特困供养", l2="特困人员名单", is_active=False),
        f.entry(
            org_tree["dept"], l1="临时救助", l2="临时救助结果", content_elements="第一行\n第二行"
        ),
    ]


def _state() -> dict:
    return {
        (e.org_unit_id, e.area_id, e.item_l1, e.item_l2): snapshot(e, KEY_FIELDS)
        for e in DirectoryEntry.objects.all()
    }


def _edit(content: bytes, cells: dict[tuple[int, int], object]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb[excel.SHEET]
    for (row, col), value in cells.items():
        ws.cell(row=row, column=col).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _errors(org_tree, content: bytes, unit=None) -> list[str]:
    with pytest.raises(excel.DirectoryImportRejected) as exc:
        excel.import_directory(actor=SYSTEM, unit=unit or org_tree["district"], content=content)
    return [str(e) for e in exc.value.errors]


# --- layout and round trip ------------------------------------------------------------------


def test_export_has_the_official_two_row_header_with_a_tick_grid(org_tree):
    _directory(org_tree)

    ws = load_workbook(io.BytesIO(excel.export_directory(org_tree["district"])))[excel.SHEET]

    top = [c.value for c in ws[1]]
    sub = [c.value for c in ws[2]]
    assert top[:6] == ["序号", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限"]
    assert sub[1:3] == ["一级事项", "二级事项"]
    channels = _col("channel:website") - 1
    assert top[channels] == "公开渠道和载体"
    assert sub[channels : channels + len(Channel)] == Channel.labels
    assert sub[_col("audience:public") - 1 : _col("audience:public") + 1] == ["全社会", "特定群体"]
    assert sub[_col("level:district") - 1 : _col("level:district") + 2] == ["县级", "乡级", "村级"]
    row = {excel.COLUMNS[i][0]: c.value for i, c in enumerate(ws[3])}
    assert row["item_l2"] == "低保政策"
    assert row["channel:website"] == "✓" and row["channel:gazette"] is None
    assert row["level:district"] == "✓" and row["audience:public"] == "✓"
    assert ws.max_row == 2 + 5


def test_export_of_a_subdistrict_holds_only_its_subtree(org_tree):
    _directory(org_tree)

    ws = load_workbook(io.BytesIO(excel.export_directory(org_tree["sub1"])))[excel.SHEET]

    names = [ws.cell(row=r, column=_col("item_l2")).value for r in range(3, ws.max_row + 1)]
    assert sorted(names) == ["低保对象名单", "特困人员名单"]


def test_round_trip_recreates_exactly_the_same_directory(org_tree):
    _directory(org_tree)
    before = _state()
    content = excel.export_directory(org_tree["district"])
    DirectoryEntry.objects.all().delete()

    summary = excel.import_directory(actor=SYSTEM, unit=org_tree["district"], content=content)

    assert summary.created == 5 and summary.updated == 0
    assert _state() == before


def test_reimporting_an_unchanged_export_changes_nothing(org_tree):
    _directory(org_tree)
    before = _state()

    summary = excel.import_directory(
        actor=SYSTEM,
        unit=org_tree["district"],
        content=excel.export_directory(org_tree["district"]),
    )

    assert summary.unchanged == 5 and summary.created == summary.updated == 0
    assert _state() == before


def test_import_updates_changed_cells_and_reports_the_columns(org_tree):
    entries = _directory(org_tree)
    content = _edit(
        excel.export_directory(org_tree["district"]),
        {(3, _col("basis")): "《社会救助暂行办法》第十条", (3, _col("channel:print")): "√"},
    )

    summary = excel.import_directory(actor=SYSTEM, unit=org_tree["district"], content=content)

    assert summary.updated == 1
    assert summary.rows[0].changed == ["公开依据", "公开渠道和载体"]
    entries[0].refresh_from_db()
    assert entries[0].basis == "《社会救助暂行办法》第十条"
    assert Channel.PRINT in entries[0].channels


def test_dry_run_writes_nothing_but_says_what_would_change(org_tree):
    _directory(org_tree)
    content = _edit(
        excel.export_directory(org_tree["district"]), {(3, _col("item_l2")): "新的事项"}
    )

    summary = excel.import_directory(
        actor=SYSTEM, unit=org_tree["district"], content=content, dry_run=True
    )

    assert summary.created == 1 and "检查通过" in str(summary)
    assert not DirectoryEntry.objects.filter(item_l2="新的事项").exists()


def test_labels_and_unit_codes_are_accepted(org_tree):
    _directory(org_tree)
    content = _edit(
        excel.export_directory(org_tree["district"]),
        {
            (3, _col("item_l2")): "用编号填写",
            (3, _col("org_unit")): org_tree["district"].code,
            (3, _col("area")): "P17",
            (3, _col("five_kind")): "结果",
        },
    )

    excel.import_directory(actor=SYSTEM, unit=org_tree["district"], content=content)

    entry = DirectoryEntry.objects.get(item_l2="用编号填写")
    assert entry.org_unit == org_tree["district"] and entry.five_kind == FiveKind.RESULT


# --- problems: one test per kind, nothing written -------------------------------------------


@pytest.fixture
def exported(org_tree):
    _directory(org_tree)
    return excel.export_directory(org_tree["district"])


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("item_l1", None, "第3行「一级事项」：不能为空"),
        ("item_l2", "长" * 101, "第3行「二级事项」：不能超过100个字"),
        ("content_elements", "  ", "第3行「公开内容（要素）」：不能为空"),
        (
            "org_unit",
            "不存在的单位",
            "第3行「公开主体」：“{district}”及其下级单位中没有“不存在的单位”",
        ),
        ("area", "火星领域", "第3行「公开领域」：没有“火星领域”这个领域"),
        ("channel:gazette", "有", "第3行「公开渠道和载体／政府公报」：只能填“✓”或留空，不能填“有”"),
        (
            "audience:specific_group",
            "✓",
            "第3行「公开对象」：请在「全社会」「特定群体」中勾选且只勾选一项",
        ),
        ("mode:proactive", None, "第3行「公开方式」：请在「主动」「依申请」中勾选且只勾选一项"),
        ("five_kind", "宣传公开", "第3行「五公开」：“宣传公开”不是有效的选项"),
        ("nature", "半静态", "第3行「信息性质」：“半静态”不是有效的选项"),
        ("time_limit_days", "二十", "第3行「时限天数」：“二十”应为1到365之间的整数"),
        ("time_limit_days", 400, "第3行「时限天数」：“400”应为1到365之间的整数"),
        ("time_limit_unit", "个月", "第3行「时限单位」：“个月”不是有效的选项"),
        ("time_limit_trigger", "随时", "第3行「起算情形」：“随时”不是有效的选项"),
        ("status", "作废", "第3行「状态」：“作废”应为“有效”或“停用”"),
        ("sequence", "一", "第3行「序号」：“一”不是整数"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(org_tree, exported, key, value, expected):
    count = DirectoryEntry.objects.count()
    content = _edit(exported, {(3, _col(key)): value})

    errors = _errors(org_tree, content)

    assert any(e.startswith(expected.format(district=org_tree["district"].name)) for e in errors), (
        errors
    )
    assert DirectoryEntry.objects.count() == count


def test_a_row_without_any_channel_is_refused(org_tree, exported):
    cells = {(3, _col(f"channel:{c.value}")): None for c in Channel}

    errors = _errors(org_tree, _edit(exported, cells))

    assert errors == ["第3行「公开渠道和载体」：请至少在一个渠道下填“✓”"]


def test_the_same_entry_twice_in_the_file_is_refused(org_tree, exported):
    ws = load_workbook(io.BytesIO(exported))[excel.SHEET]
    copy = {(8, c.column): c.value for c in ws[3]}

    errors = _errors(org_tree, _edit(exported, copy))

    assert errors == ["第8行「二级事项」：与第3行是同一公开事项（重复）"]


def test_a_body_outside_the_imported_unit_is_refused(org_tree, exported):
    content = _edit(exported, {(3, _col("org_unit")): org_tree["sub2"].name})

    errors = _errors(org_tree, content, unit=org_tree["sub1"])

    assert (
        f"第3行「公开主体」：“{org_tree['sub1'].name}”及其下级单位中没有“{org_tree['sub2'].name}”"
        in errors
    )


def test_a_unit_name_used_twice_in_the_subtree_needs_the_code(org_tree, exported):
    twin = org_f.unit(org_tree["sub2"], "community", name=org_tree["comm1"].name)
    assert twin.name == org_tree["comm1"].name

    errors = _errors(org_tree, _edit(exported, {(3, _col("org_unit")): org_tree["comm1"].name}))

    assert any("有2个单位叫" in e and "请改填单位编号" in e for e in errors)


def test_a_level_that_does_not_fit_the_body_is_refused_by_the_service(org_tree, exported):
    # Row 3 is the district's entry; tick 村级 instead of 县级.
    content = _edit(
        exported, {(3, _col("level:district")): None, (3, _col("level:community")): "✓"}
    )

    errors = _errors(org_tree, content)

    assert errors == [
        f"第3行「公开主体」：“{org_tree['district'].name}”（区）不能作为村级（社区/村）目录的公开主体"
    ]


def test_an_officer_cannot_import_entries_of_units_above_them(org_tree, exported):
    sub_officer = org_tree["sub_writer"]
    count = DirectoryEntry.objects.count()

    with pytest.raises(excel.DirectoryImportRejected) as exc:
        excel.import_directory(actor=sub_officer, unit=org_tree["district"], content=exported)

    assert any(e.column == "公开主体" and "政务公开专员" in e.message for e in exc.value.errors)
    assert DirectoryEntry.objects.count() == count


def test_one_bad_row_among_good_ones_writes_nothing(org_tree, exported):
    content = _edit(
        exported,
        {
            (3, _col("item_l2")): "全新事项甲",
            (4, _col("item_l2")): "全新事项乙",
            (5, _col("basis")): "",
        },
    )

    errors = _errors(org_tree, content)

    assert errors == ["第5行「公开依据」：不能为空"]
    assert not DirectoryEntry.objects.filter(item_l2__startswith="全新事项").exists()


def test_every_problem_is_listed_not_just_the_first(org_tree, exported):
    content = _edit(
        exported, {(3, _col("basis")): "", (4, _col("area")): "无", (6, _col("status")): "?"}
    )

    assert len(_errors(org_tree, content)) == 3


def test_a_file_that_is_not_excel_is_refused(org_tree):
    assert _errors(org_tree, b"not a workbook") == ["无法读取文件：请上传 Excel 工作簿（.xlsx）"]


def test_a_file_without_the_header_is_refused(org_tree, exported):
    content = _edit(exported, {(1, _col("basis")): "依据", (2, _col("channel:website")): "网站"})

    (error,) = _errors(org_tree, content)

    assert error.startswith("第2行：表头缺少这些列：公开依据、公开渠道和载体／政府网站")


def test_an_empty_directory_file_is_refused(org_tree):
    content = excel.export_directory(org_tree["sub2"])

    assert _errors(org_tree, content, unit=org_tree["sub2"]) == [
        "文件中没有公开事项（表头以下是空的）"
    ]


# --- commands ----------------------------------------------------------------------------


def test_export_and_import_commands(org_tree, tmp_path, capsys):
    _directory(org_tree)
    target = tmp_path / "directory.xlsx"

    call_command(
        "openness", "export-directory", "--unit", org_tree["district"].code, "--output", target
    )
    call_command(
        "openness",
        "import-directory",
        str(target),
        "--unit",
        org_tree["district"].code,
        "--dry-run",
    )

    out = capsys.readouterr().out
    assert "5个公开事项" in out
    assert "新增0个公开事项，修改0个，5个没有变化（未写入）" in out


def test_import_command_lists_every_problem_and_fails(org_tree, tmp_path):
    _directory(org_tree)
    target = tmp_path / "bad.xlsx"
    target.write_bytes(
        _edit(
            excel.export_directory(org_tree["district"]),
            {(3, _col("basis")): "", (4, _col("area")): "无"},
        )
    )
    count = DirectoryEntry.objects.count()

    with pytest.raises(CommandError) as exc:
        call_command(
            "openness", "import-directory", str(target), "--unit", org_tree["district"].code
        )

    message = str(exc.value)
    assert "没有写入任何公开事项（2处问题）" in message
    assert "第3行「公开依据」：不能为空" in message and "第4行「公开领域」" in message
    assert DirectoryEntry.objects.count() == count


def test_officer_role_is_what_a_staff_import_checks(org_tree):
    officer = org_f.staff(org_tree["sub1"], Role.DISCLOSURE_OFFICER)
    _directory(org_tree)

    summary = excel.import_directory(
        actor=officer, unit=org_tree["sub1"], content=excel.export_directory(org_tree["sub1"])
    )

    assert summary.unchanged == 2
