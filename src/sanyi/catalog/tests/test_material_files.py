"""Blank forms and samples on the public side: downloads of the guide in force only, the
links in the "要带什么" checklist without extra queries, and the note in the checklist PDF."""

import io
import re
import struct
import zlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from sanyi.catalog import services
from sanyi.catalog.models import Material
from sanyi.catalog.public import material_file
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.public_factories import dibao_guide, org_with_centers

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    """A real one-page PDF, read back by pypdf."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real 2×2 PNG: signature, header, pixel data and end chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = pdf_bytes()
PNG = png_bytes()


@pytest.fixture
def units():
    return org_with_centers()


def _draft(units):
    return f.item(
        unit=units["street"],
        author=units["author"],
        name="最低生活保障申请",
        item_type="20",
        level="5",
        guide=dibao_guide(),
    )


def _attach(units, version, kind, upload, position=1):
    services.material_file_attach(
        actor=units["author"], version=version, position=position, kind=kind, upload=upload
    )


def _publish(units, version):
    services.item_version_submit(actor=units["author"], version=version)
    services.item_version_review(actor=units["reviewer"], version=version, approve=True)
    return services.item_version_publish(actor=units["author"], version=version)


@pytest.fixture
def published(units):
    """最低生活保障申请 in force, its application form with a blank PDF and a PNG sample."""
    version = _draft(units)
    _attach(units, version, "blank_form", SimpleUploadedFile("申请书.pdf", PDF))
    _attach(units, version, "sample", SimpleUploadedFile("样表.png", PNG))
    return _publish(units, version)


def _download_url(version, position, kind):
    code = version.implementation_item.implementation_code
    return reverse("catalog:material_file", args=[code, position, kind])


def test_blank_form_of_the_guide_in_force_downloads_with_its_name_and_type(client, published):
    response = client.get(_download_url(published, 1, "blank_form"))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == PDF
    assert len(PdfReader(io.BytesIO(body)).pages) == 1
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="material.pdf"; ')
    assert f"filename*=UTF-8''{quote('最低生活保障申请书.pdf')}" in disposition


def test_sample_downloads_as_a_picture_named_as_the_sample(client, published):
    response = client.get(_download_url(published, 1, "sample"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert quote("最低生活保障申请书（示例样表）.png") in response["Content-Disposition"]


@pytest.mark.parametrize(("position", "kind"), [(2, "blank_form"), (1, "photo"), (9, "blank_form")])
def test_missing_file_unknown_kind_or_material_is_404(client, published, position, kind):
    assert client.get(_download_url(published, position, kind)).status_code == 404


def test_a_drafts_file_is_not_public(client, units):
    draft = _draft(units)
    _attach(units, draft, "blank_form", SimpleUploadedFile("申请书.pdf", PDF))

    assert client.get(_download_url(draft, 1, "blank_form")).status_code == 404


def test_a_new_drafts_file_stays_private_until_it_is_published(client, units, published):
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=published.implementation_item
    )
    _attach(units, draft, "blank_form", SimpleUploadedFile("新表.pdf", b"%PDF-1.7 new"), 2)

    assert client.get(_download_url(published, 2, "blank_form")).status_code == 404
    response = client.get(_download_url(published, 1, "blank_form"))
    assert b"".join(response.streaming_content) == PDF


def test_file_of_a_superseded_version_is_gone_once_a_version_without_it_is_in_force(
    client, units, published
):
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=published.implementation_item
    )
    _attach(units, draft, "blank_form", None)
    _publish(units, draft)

    assert client.get(_download_url(published, 1, "blank_form")).status_code == 404
    assert client.get(_download_url(published, 1, "sample")).status_code == 200


def test_a_stored_file_gone_from_disk_is_404_not_an_error(client, published):
    material = Material.objects.get(version=published, position=1)
    material.blank_form.storage.delete(material.blank_form.name)

    assert client.get(_download_url(published, 1, "blank_form")).status_code == 404


def test_downloads_refuse_writes(client, published):
    assert client.post(_download_url(published, 1, "blank_form")).status_code == 405


def test_file_name_drops_characters_a_computer_cannot_save():
    material = Material(position=3, name='委托书/授权书:"样本"', blank_form="catalog/forms/x.DOCX")

    found = material_file(material, "blank_form")

    assert found.filename == "委托书_授权书_样本.docx"
    assert found.content_type.endswith("wordprocessingml.document")
    assert material_file(material, "sample") is None


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_guide_checklist_links_the_files_through_the_download_view(client, published):
    code = published.implementation_item.implementation_code
    html = _text(client.get(reverse("catalog:guide", args=[code])))

    to_bring = html.split('aria-label="需要带的材料"')[1].split("</ul>")[0]
    first, second = to_bring.split("</li>")[:2]
    assert f'href="{_download_url(published, 1, "blank_form")}"' in first
    assert "下载空白表格" in first
    assert f'href="{_download_url(published, 1, "sample")}"' in first
    assert "查看示例样表" in first
    assert "下载空白表格" not in second
    assert "/files/" not in html


def test_guide_page_with_files_keeps_its_query_count(
    client, published, django_assert_max_num_queries
):
    url = reverse("catalog:guide", args=[published.implementation_item.implementation_code])

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert "下载空白表格" in response.content.decode()


def test_checklist_pdf_says_the_blank_form_can_be_downloaded(client, published):
    code = published.implementation_item.implementation_code
    response = client.get(reverse("catalog:checklist_pdf", args=[code]))

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "可下载空白表格" in text
    assert "下载空白表格和示例样表" in text
