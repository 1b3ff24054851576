"""The import page: dry run first with every problem located, nothing written until the
real import; large files in the task worker with a progress bar."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sanyi.catalog import import_jobs
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.exchange import export_xlsx
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.catalog.tests.staff_support import (
    catalog_world,
    good_guide,
    login,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


def document(world, *names):
    return {
        "format": "sanyi-catalog",
        "version": 1,
        "items": [
            {
                **good_guide(),
                "name": name,
                "item_type": "01",
                "implementing_unit": world["dept"].uscc,
                "level": "4",
                "power_source": "1",
                "implementer_nature": "1",
                "life_events": [],
            }
            for name in names
        ],
        "life_events": [],
    }


def json_upload(doc, name="catalog.json"):
    return SimpleUploadedFile(
        name, json.dumps(doc, ensure_ascii=False).encode(), "application/json"
    )


def xlsx_upload(world, *, break_material_type=False):
    doc = document(world, "食品经营许可")
    doc["items"][0]["implementation_code"] = "K1"  # the row key the sheets share
    workbook = load_workbook(io.BytesIO(export_xlsx(doc)))
    workbook["事项"]["C2"] = None  # no implementation code: the rule issues one
    if break_material_type:
        workbook["材料"]["C2"] = "扫描件"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("catalog.xlsx", buffer.getvalue())


def upload(client, file, as_draft=True):
    data = {"file": file}
    if as_draft:
        data["as_draft"] = "on"
    return client.post(url("catalog_import"), data)


def test_dry_run_lists_every_problem_with_sheet_row_and_column_and_saves_nothing(client, world):
    login(client, world["author"])
    response = upload(client, xlsx_upload(world, break_material_type=True), as_draft=False)
    assert response.status_code == 302
    page = client.get(response["Location"])
    job = page.context["job"]
    assert job.status == "failed"
    problem = job.problems[0]
    assert (problem["sheet"], problem["row"]) == ("材料", "2")
    assert problem["column"] == "C列（材料类型）"
    html = page.content.decode()
    assert "未写入任何数据" in html and "扫描件" in html
    assert "正式导入" not in html
    assert not ImplementationItem.objects.exists()


def test_clean_dry_run_writes_nothing_then_import_writes_drafts(client, world):
    login(client, world["author"])
    response = upload(client, json_upload(document(world, "食品经营许可", "酒类经营许可")))
    page = client.get(response["Location"])
    assert page.context["job"].status == "done"
    assert "试导入（未写入数据库）" in page.context["job"].summary
    assert not ImplementationItem.objects.exists()
    assert "正式导入" in page.content.decode()

    job_id = page.context["job"].id
    response = client.post(url("catalog_import_run", job_id))
    real = client.get(response["Location"]).context["job"]
    assert real.status == "done" and not real.dry_run
    statuses = set(ItemVersion.objects.values_list("status", flat=True))
    assert statuses == {VersionStatus.DRAFT}
    assert ImplementationItem.objects.count() == 2


def test_import_out_of_scope_units_fails_whole_file(client, world):
    login(client, world["dept_admin"])
    doc = document(world, "部门事项")
    doc["items"].append(
        {**doc["items"][0], "name": "别人的事项", "implementing_unit": world["sub_dept"].uscc}
    )
    response = upload(client, json_upload(doc))
    job = client.get(response["Location"]).context["job"]
    assert job.status == "failed"
    assert any("事项管理员" in p["message"] for p in job.problems)
    assert not ImplementationItem.objects.exists()


def test_only_json_or_xlsx(client, world):
    login(client, world["author"])
    response = upload(client, SimpleUploadedFile("items.csv", b"a,b"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_job_of_someone_else_is_404(client, world):
    login(client, world["author"])
    response = upload(client, json_upload(document(world, "食品经营许可")))
    login(client, world["reviewer"])
    assert client.get(response["Location"]).status_code == 404
    assert client.get(url("catalog_import_job", "not-a-job")).status_code == 404


def test_large_file_runs_in_the_worker_and_the_page_polls_until_done(client, world, monkeypatch):
    monkeypatch.setattr(import_jobs, "INLINE_MAX_BYTES", 0)
    queued: list[str] = []

    class Hold:
        """Keeps the task queued so the page can be seen while it waits."""

        def enqueue(self, job_id):
            queued.append(job_id)

    real_task = import_jobs.catalog_import_task
    monkeypatch.setattr(import_jobs, "catalog_import_task", Hold())
    login(client, world["author"])
    response = upload(client, json_upload(document(world, "食品经营许可")))
    waiting = client.get(response["Location"], headers={"HX-Request": "true"})
    html = waiting.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="import-progress" max="100" value="0">' in html
    assert "<html" not in html  # the fragment only

    real_task.enqueue(queued[0])  # the immediate backend of the tests runs it now
    done = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in done
    assert 'value="100"' in done


def test_immediate_backend_runs_a_large_import(client, world, monkeypatch):
    monkeypatch.setattr(import_jobs, "INLINE_MAX_BYTES", 0)
    login(client, world["author"])
    response = upload(client, json_upload(document(world, "食品经营许可")))
    assert client.get(response["Location"]).context["job"].status == "done"


def test_a_bomb_upload_fails_its_dry_run_without_being_expanded(client, world):
    from sanyi.core.tests.xlsx_files import bomb, peak_memory

    login(client, world["author"])
    with peak_memory() as peak:
        response = upload(client, SimpleUploadedFile("catalog.xlsx", bomb()))
    job = client.get(response["Location"]).context["job"]
    assert job.status == "failed"
    assert any("解压后超过100MB" in p["message"] for p in job.problems)
    assert peak() < 40 * 1024 * 1024
    assert not ImplementationItem.objects.exists()


def test_a_formula_cell_is_named_by_sheet_row_and_column(client, world):
    file = xlsx_upload(world)
    workbook = load_workbook(io.BytesIO(file.read()))
    workbook["材料"]["B2"] = "=A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, world["author"])
    response = upload(client, SimpleUploadedFile("catalog.xlsx", buffer.getvalue()))
    job = client.get(response["Location"]).context["job"]
    assert job.status == "failed"
    assert [(p["sheet"], p["row"], p["column"], p["message"]) for p in job.problems] == [
        ("材料", "2", "B列（材料名称）", "此单元格是公式，请粘贴为数值")
    ]
    assert not ImplementationItem.objects.exists()


def test_import_unticked_submits_for_review_and_only_a_second_admin_can_approve(client, world):
    # given: an import with "只导入为草稿" unticked
    login(client, world["author"])
    response = upload(client, json_upload(document(world, "食品经营许可")), as_draft=False)
    dry = client.get(response["Location"])
    assert "另一位事项管理员审核通过后发布" in dry.content.decode()
    client.post(url("catalog_import_run", dry.context["job"].id))

    # then: nothing is published; the version waits for review
    version = ItemVersion.objects.get()
    assert version.status == VersionStatus.IN_REVIEW
    assert version.submitted_by == world["author"]
    # the importer can neither approve nor publish it
    refused = client.post(
        url("catalog_version_review", version.pk), {"decision": "approve", "comment": ""}
    )
    assert refused.status_code == 403
    client.post(url("catalog_version_publish", version.pk), {"effective_on": ""})
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW

    # when: a second admin approves, it can be published
    login(client, world["reviewer"])
    client.post(url("catalog_version_review", version.pk), {"decision": "approve", "comment": ""})
    client.post(url("catalog_version_publish", version.pk), {"effective_on": ""})
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.reviewed_by == world["reviewer"]
