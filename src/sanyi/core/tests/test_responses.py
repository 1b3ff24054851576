"""The download helper keeps the headers each download sent before it existed."""

import io
from urllib.parse import quote

import pytest
from django.http import FileResponse, Http404, HttpResponse

from sanyi.core.responses import (
    XLSX,
    content_disposition,
    file_response,
    stored_file_response,
)


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


class _Stored:
    """A stand-in for a FieldFile: a name in storage and an ``open`` that may fail."""

    def __init__(self, name: str, data: bytes | None) -> None:
        self.name, self._data = name, data

    def __bool__(self) -> bool:
        return bool(self.name)

    def open(self, mode: str = "rb"):
        if self._data is None:
            raise FileNotFoundError(self.name)
        return io.BytesIO(self._data)


def test_a_stored_file_is_streamed_with_an_ascii_fallback_named_after_its_suffix():
    response = stored_file_response(_Stored("letters/x.PDF", b"%PDF"), "答复书.pdf", None)
    assert b"".join(response.streaming_content) == b"%PDF"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="file.pdf"; ')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_gone_from_storage_is_a_404_with_the_callers_message_not_a_server_error():
    with pytest.raises(Http404, match="请联系办理部门"):
        stored_file_response(
            _Stored("a.pdf", None), "a.pdf", "application/pdf", missing="请联系办理部门"
        )


def test_a_record_without_a_file_is_a_404():
    with pytest.raises(Http404):
        stored_file_response(_Stored("", b""), "a.pdf", "application/pdf")
