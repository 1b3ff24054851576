import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    units = f.org()
    f.item(unit=units["dept"], status="published", name="甲")
    f.item(unit=units["dept"], name="乙", guide=f.good_guide(acceptance_conditions=""))
    return units


def test_lint_json_lists_findings_and_counts(units, capsys):
    call_command("catalog", "lint", "--json", "--status", "all")

    payload = json.loads(capsys.readouterr().out)
    assert [(x["name"], x["code"]) for x in payload["findings"]] == [("乙", "L013")]
    assert payload["summary"]["checked"] == 2


def test_lint_exits_non_zero_only_with_strict(units, capsys):
    call_command("catalog", "lint", "--status", "draft")
    assert "L013" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        call_command("catalog", "lint", "--status", "draft", "--strict")
    assert exc.value.code == 1
    call_command("catalog", "lint", "--status", "published", "--strict")


def test_export_then_import_files(units, tmp_path, capsys):
    json_file, xlsx_file = tmp_path / "c.json", tmp_path / "c.xlsx"
    call_command("catalog", "export", str(json_file))
    call_command("catalog", "export", str(xlsx_file))
    assert len(json.loads(json_file.read_text(encoding="utf-8"))["items"]) == 2
    assert load_workbook(xlsx_file).sheetnames[:5] == ["事项", "材料", "收费", "流程", "依据"]

    call_command("catalog", "import", str(json_file), "--dry-run")
    call_command("catalog", "import", str(xlsx_file))

    assert "未变化2个" in capsys.readouterr().out
    assert ItemVersion.objects.count() == 2


def test_import_prints_every_problem_and_fails(units, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "sanyi-catalog", "version": 1, "items": [{"name": "丙"}]}),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="数据库未作任何修改"):
        call_command("catalog", "import", str(bad))
    err = capsys.readouterr().err
    assert "items[0].item_type：缺少字段“item_type”" in err
    assert "items[0].materials：缺少字段“materials”（申请材料）" in err


def test_import_as_a_named_catalog_admin(units, tmp_path):
    out = tmp_path / "c.json"
    call_command("catalog", "export", str(out))
    with pytest.raises(CommandError, match="找不到有效的账号"):
        call_command("catalog", "import", str(out), "--actor", "nobody")
    call_command("catalog", "import", str(out), "--actor", units["author"].username)


def test_template_and_report_commands(units, tmp_path, capsys):
    template, report = tmp_path / "t.xlsx", tmp_path / "r.xlsx"
    call_command("catalog", "template", str(template))
    call_command("catalog", "report", "--xlsx", str(report))

    assert load_workbook(template).sheetnames[0] == "填写说明"
    assert '"items": 1' in capsys.readouterr().out
    assert load_workbook(report)["总体"]["B2"].value == 1


def test_lint_flags_links_saved_before_the_rule(units, capsys):
    # given a published version whose online address was written straight into the database
    version = ItemVersion.objects.get(implementation_item__base_item__name="甲")
    ItemVersion.objects.filter(pk=version.pk).update(online_url="javascript:alert(1)")

    call_command("catalog", "lint", "--json", "--status", "published")

    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(x["code"], x["path"], x["severity"]) for x in findings] == [
        ("L017", "online_url", "error")
    ]
    assert "javascript" in findings[0]["message"]


def test_import_never_publishes_it_submits_for_review(units, tmp_path, capsys):
    # given: a file whose item is marked published and differs from the database
    out = tmp_path / "c.json"
    call_command("catalog", "export", str(out), "--status", "published")
    document = json.loads(out.read_text(encoding="utf-8"))
    document["items"][0]["hours"] = "工作日 8:30-12:00"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    # when: imported from the command line, as a named admin
    call_command("catalog", "import", str(out), "--actor", units["author"].username)

    # then: the new version waits for a second admin; the published one is unchanged
    assert "已提交审核1个" in capsys.readouterr().out
    statuses = dict(
        ItemVersion.objects.filter(hours="工作日 8:30-12:00").values_list("number", "status")
    )
    assert statuses == {2: "in_review"}
    assert ItemVersion.objects.filter(status="published").get().number == 1


def test_import_command_has_no_way_to_skip_review(units, tmp_path):
    out = tmp_path / "c.json"
    call_command("catalog", "export", str(out))
    for flag in ("--publish", "--publish-without-review", "--no-review"):
        with pytest.raises(CommandError):
            call_command("catalog", "import", str(out), flag)
