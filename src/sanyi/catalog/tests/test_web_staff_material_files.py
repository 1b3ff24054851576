"""Blank forms and samples on the catalogue edit page: upload, replace and remove through
the per-material form, what is refused (in Chinese, next to the material), who may do it,
and the staff download of any version in scope."""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanyi.audit.models import AuditEvent
from sanyi.catalog import services
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.tests.staff_support import (
    catalog_world,
    login,
    other_role_user,
    other_roles,
    url,
)
from sanyi.catalog.tests.test_material_files import pdf_bytes, png_bytes
from sanyi.core.tests.error_summary import assert_error_summary

pytestmark = pytest.mark.django_db


# Real files, made the same way as in the public download tests.
PDF = pdf_bytes()
PNG = png_bytes()


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


@pytest.fixture
def draft(world):
    return catalog_factories.item(unit=world["sub_dept"], author=world["author"], name="开业登记")


def _post(client, version, position=1, **fields):
    data = {f"files-{position}-{name}": value for name, value in fields.items()}
    return client.post(url("catalog_material_files", version.pk, position), data)


def _material(version, position=1):
    return version.materials.get(position=position)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _block(response, position=1) -> str:
    html = re.sub(r"\s+", " ", response.content.decode())
    return html.split(f'id="material-files-{position}"')[1].split("</form>")[0]


def test_edit_page_offers_a_multipart_form_per_saved_material(client, world, draft):
    login(client, world["author"])

    response = client.get(url("catalog_version_edit", draft.pk))

    html = response.content.decode()
    assert "空白表格和示例样表" in html
    for position in (1, 2):
        block = _block(response, position)
        assert 'enctype="multipart/form-data"' in block
        assert "csrfmiddlewaretoken" in block
        assert url("catalog_material_files", draft.pk, position) in block
    assert "现有空白表格：无" in _block(response, 1)


def test_upload_blank_form_pdf_and_sample_png_together(client, world, draft):
    login(client, world["author"])

    response = _post(
        client,
        draft,
        blank_form=SimpleUploadedFile("申请书.pdf", PDF),
        sample=SimpleUploadedFile("样表.png", PNG),
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#material-files-1")
    material = _material(draft)
    assert material.blank_form.read() == PDF
    assert material.sample.read() == PNG
    assert AuditEvent.objects.filter(action="catalog_item.material_file").count() == 2
    page = client.get(url("catalog_version_edit", draft.pk))
    block = _block(page)
    assert url("catalog_material_file", draft.pk, 1, "blank_form") in block
    assert url("catalog_material_file", draft.pk, 1, "sample") in block
    assert "删除现有空白表格" in block


def test_staff_download_streams_the_drafts_file_privately(client, world, draft):
    login(client, world["author"])
    _post(client, draft, blank_form=SimpleUploadedFile("申请书.pdf", PDF))

    response = client.get(url("catalog_material_file", draft.pk, 1, "blank_form"))

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"filename*=UTF-8''{quote('申请书.pdf')}" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert client.get(url("catalog_material_file", draft.pk, 1, "sample")).status_code == 404


def test_a_pdf_whose_bytes_are_not_pdf_is_refused_next_to_the_material(client, world, draft):
    login(client, world["author"])

    response = _post(
        client, draft, blank_form=SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00 not a pdf")
    )

    assert response.status_code == 200
    assert "内容不是PDF格式" in _block(response, 1)
    assert "内容不是PDF格式" not in _block(response, 2)
    assert not _material(draft).blank_form
    assert not AuditEvent.objects.filter(action="catalog_item.material_file").exists()


def test_a_docx_that_is_not_a_word_package_is_refused(client, world, draft):
    login(client, world["author"])

    response = _post(client, draft, sample=SimpleUploadedFile("样表.docx", b"PK\x03\x04broken"))

    assert "内容不是DOCX格式" in _block(response)
    assert not _material(draft).sample


def test_an_oversized_file_is_refused(client, world, draft, settings):
    settings.SANYI_UPLOAD_MAX_BYTES = 1024 * 1024
    login(client, world["author"])
    big = PDF + b"\n" * (1024 * 1024)

    response = _post(client, draft, blank_form=SimpleUploadedFile("申请书.pdf", big))

    assert "空白表格：文件超过1MB，请压缩后再上传" in _block(response)
    assert not _material(draft).blank_form


def test_other_file_types_are_refused_by_name(client, world, draft):
    login(client, world["author"])

    response = _post(client, draft, blank_form=SimpleUploadedFile("run.exe", b"MZ\x90\x00"))

    assert "文件类型.exe不允许上传" in _block(response)


def test_an_empty_post_asks_for_a_file(client, world, draft):
    login(client, world["author"])

    response = _post(client, draft)

    assert "请选择要上传的文件，或勾选要删除的文件" in _block(response)
    assert_error_summary(response, texts=["请选择要上传的文件，或勾选要删除的文件"])


def test_replace_puts_the_new_file_in_place(client, world, draft):
    login(client, world["author"])
    _post(client, draft, blank_form=SimpleUploadedFile("旧表.pdf", PDF))

    _post(client, draft, blank_form=SimpleUploadedFile("新表.png", PNG))

    material = _material(draft)
    assert material.blank_form.name.endswith(".png")
    response = client.get(url("catalog_material_file", draft.pk, 1, "blank_form"))
    assert _body(response) == PNG
    assert response["Content-Type"] == "image/png"


def test_remove_clears_the_file(client, world, draft):
    login(client, world["author"])
    _post(client, draft, sample=SimpleUploadedFile("样表.png", PNG))

    response = _post(client, draft, remove_sample="on")

    assert response.status_code == 302
    assert not _material(draft).sample
    event = AuditEvent.objects.filter(action="catalog_item.material_file").latest("pk")
    assert event.changes["materials[0].sample"][1] == ""


def test_removing_a_file_that_is_not_there_changes_nothing(client, world, draft):
    login(client, world["author"])

    response = _post(client, draft, remove_blank_form="on")

    assert "这项材料没有可删除的文件" in _block(response)
    assert not AuditEvent.objects.filter(action="catalog_item.material_file").exists()


def test_upload_and_remove_of_the_same_file_at_once_is_refused(client, world, draft):
    login(client, world["author"])
    _post(client, draft, blank_form=SimpleUploadedFile("旧表.pdf", PDF))

    response = _post(
        client, draft, blank_form=SimpleUploadedFile("新表.pdf", PDF), remove_blank_form="on"
    )

    assert "不能同时上传和删除空白表格" in _block(response)


def test_a_material_not_saved_yet_is_404(client, world, draft):
    login(client, world["author"])

    response = _post(client, draft, position=9, blank_form=SimpleUploadedFile("a.pdf", PDF))

    assert response.status_code == 404


def test_files_of_a_version_in_review_cannot_change(client, world, draft):
    login(client, world["author"])
    services.item_version_submit(actor=world["author"], version=draft)

    response = _post(client, draft, blank_form=SimpleUploadedFile("申请书.pdf", PDF))

    assert response.status_code == 302
    assert response["Location"] == url("catalog_version", draft.pk)
    assert not _material(draft).blank_form


def test_uploading_needs_a_post(client, world, draft):
    login(client, world["author"])

    assert client.get(url("catalog_material_files", draft.pk, 1)).status_code == 405


@pytest.mark.parametrize("role", other_roles())
def test_other_roles_get_403(client, world, draft, role):
    services.material_file_attach(
        actor=world["author"],
        version=draft,
        position=1,
        kind="blank_form",
        upload=SimpleUploadedFile("申请书.pdf", PDF),
    )
    login(client, other_role_user(world, role))

    upload = _post(client, draft, sample=SimpleUploadedFile("样表.png", PNG))
    download = client.get(url("catalog_material_file", draft.pk, 1, "blank_form"))

    assert (upload.status_code, download.status_code) == (403, 403)
    assert not _material(draft).sample


def test_versions_outside_the_admins_scope_are_404(client, world, draft):
    services.material_file_attach(
        actor=world["author"],
        version=draft,
        position=1,
        kind="blank_form",
        upload=SimpleUploadedFile("申请书.pdf", PDF),
    )
    login(client, world["dept_admin"])

    upload = _post(client, draft, sample=SimpleUploadedFile("样表.png", PNG))
    download = client.get(url("catalog_material_file", draft.pk, 1, "blank_form"))

    assert (upload.status_code, download.status_code) == (404, 404)
    assert not _material(draft).sample


def test_staff_still_download_a_superseded_versions_file(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    services.material_file_attach(
        actor=world["author"],
        version=version,
        position=1,
        kind="blank_form",
        upload=SimpleUploadedFile("申请书.pdf", PDF),
    )
    services.item_version_submit(actor=world["author"], version=version)
    services.item_version_review(actor=world["reviewer"], version=version, approve=True)
    services.item_version_publish(actor=world["author"], version=version)
    draft = services.item_version_new_draft(
        actor=world["author"], implementation_item=version.implementation_item
    )
    services.material_file_attach(
        actor=world["author"], version=draft, position=1, kind="blank_form", upload=None
    )
    services.item_version_submit(actor=world["author"], version=draft)
    services.item_version_review(actor=world["reviewer"], version=draft, approve=True)
    services.item_version_publish(actor=world["author"], version=draft)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED
    login(client, world["author"])

    old = client.get(url("catalog_material_file", version.pk, 1, "blank_form"))
    detail = client.get(url("catalog_version", version.pk))

    assert _body(old) == PDF
    assert url("catalog_material_file", version.pk, 1, "blank_form") in detail.content.decode()
    assert client.get(url("catalog_material_file", draft.pk, 1, "blank_form")).status_code == 404
