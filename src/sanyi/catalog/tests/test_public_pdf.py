"""The guide and material checklist as PDF: built from the same data as the page, with the
Chinese fonts embedded, read back with pypdf."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sanyi.catalog.pdf import guide_qr_data_uri
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return published_dibao(org_with_centers())


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for d in descendants:
                descriptor = d.get_object().get("/FontDescriptor")
                if descriptor and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    fonts.add(str(font["/BaseFont"]))
    return fonts


def test_guide_pdf_holds_the_same_guide_with_embedded_chinese_fonts(client, version):
    code = version.implementation_item.implementation_code

    response = client.get(reverse("catalog:guide_pdf", args=[code]))

    reader = _pdf(response)
    text = _text(reader)
    assert "最低生活保障申请" in text
    assert "最低生活保障申请书" in text
    assert "这些不用带（部门通过数据共享获取）" in text
    assert "承诺10个工作日内办结" in text
    assert "比法定时限缩短50%" in text
    assert "第1步：受理" in text
    assert "办事指南全部要素" in text and code in text
    assert any("CJK" in name for name in _fonts(reader)), _fonts(reader)
    assert "attachment" in response["Content-Disposition"]
    again = client.get(
        reverse("catalog:guide_pdf", args=[code]), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_material_checklist_pdf_has_tick_boxes_copies_and_original_or_copy(client, version):
    code = version.implementation_item.implementation_code

    reader = _pdf(client.get(reverse("catalog:checklist_pdf", args=[code])))

    text = _text(reader)
    assert len(reader.pages) == 1
    assert "最低生活保障申请：材料清单" in text
    assert "已备好" in text  # the tick-box column
    assert "最低生活保障申请书" in text and "原件" in text and "2份" in text
    assert "容缺" in text
    assert "居民户口簿" in text.split("这些不用带")[1]
    # the printed sheet points (in words and by QR code) to the version in force
    assert f"以网站公布的最新版本为准：http://testserver/services/{code}/" in text
    assert any("CJK" in name for name in _fonts(reader))


def test_pdf_of_an_unpublished_code_is_404(client):
    response = client.get(reverse("catalog:guide_pdf", args=["NOSUCHCODE"]))

    assert response.status_code == 404


def test_qr_code_is_an_svg_image():
    uri = guide_qr_data_uri("https://zw.example.cn/services/X1/")

    assert uri.startswith("data:image/svg+xml")
    assert "path" in uri
