"""The download helper keeps the headers each download sent before it existed."""

import io
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from sanyi.core.responses import XLSX, content_disposition, file_response


def test_an_ascii_fallback_comes_before_the_real_name():
    response = file_response(b"%PDF-", "受理回执-1.pdf", "application/pdf", fallback="document.pdf")
    assert isinstance(response, HttpResponse)
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote('受理回执-1.pdf')}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_empty_fallback_sends_the_real_name_alone():
    response = file_response(b"x", "2026年度报告.pdf", "application/pdf", fallback="", inline=True)
    assert (
        response["Content-Disposition"] == f"inline; filename*=UTF-8''{quote('2026年度报告.pdf')}"
    )


def test_without_a_fallback_django_writes_the_header():
    plain = file_response(b"x", "org-tree-20261206.xlsx", XLSX, nosniff=False)
    assert plain["Content-Disposition"] == 'attachment; filename="org-tree-20261206.xlsx"'
    assert "X-Content-Type-Options" not in plain
    chinese = file_response(io.BytesIO(b"x"), "GK-答复书.pdf", "application/pdf")
    assert isinstance(chinese, FileResponse)
    assert (
        chinese["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('GK-答复书.pdf')}"
    )
    assert chinese["Content-Length"] == "1"


def test_a_streamed_file_with_a_fallback():
    response = file_response(
        io.BytesIO(b"abc"), "申请书.pdf", "application/pdf", fallback="material.pdf"
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"material.pdf\"; filename*=UTF-8''{quote('申请书.pdf')}"
    )
    assert b"".join(response.streaming_content) == b"abc"


def test_an_inline_name_for_a_machine_readable_export():
    assert content_disposition("sanyi-catalog.json", inline=True) == (
        'inline; filename="sanyi-catalog.json"'
    )
