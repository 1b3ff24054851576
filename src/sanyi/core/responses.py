"""Downloads: one way to answer with a file (a PDF letter, an Excel export, an upload).

Every download names its file in ``Content-Disposition`` in one of two forms:

- ``fallback`` given: ``attachment; filename="<fallback>"; filename*=UTF-8''<name>``: an
  ASCII name first for old clients, then the real (usually Chinese) name per RFC 6266;
  ``fallback=""`` sends the real name alone.
- no ``fallback``: Django's own header, ``filename="<name>"`` for a plain ASCII name and
  ``filename*=utf-8''<name>`` otherwise.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import IO, Any, overload
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str, *, fallback: str | None = None, inline: bool = False) -> str:
    """The ``Content-Disposition`` value for a file called ``filename`` (see the module)."""
    if fallback is None:
        # Django gives None only for an empty name.
        return content_disposition_header(not inline, filename) or ""
    disposition = "inline" if inline else "attachment"
    ascii_name = f'filename="{fallback}"; ' if fallback else ""
    return f"{disposition}; {ascii_name}filename*=UTF-8''{quote(filename)}"


@overload
def file_response(
    content: bytes | str,
    filename: str | None,
    content_type: str | None,
    *,
    fallback: str | None = ...,
    inline: bool = ...,
    nosniff: bool = ...,
) -> HttpResponse: ...


@overload
def file_response(
    content: IO[bytes],
    filename: str | None,
    content_type: str | None,
    *,
    fallback: str | None = ...,
    inline: bool = ...,
    nosniff: bool = ...,
) -> FileResponse: ...


def file_response(
    content: bytes | str | IO[bytes],
    filename: str | None,
    content_type: str | None,
    *,
    fallback: str | None = None,
    inline: bool = False,
    nosniff: bool = True,
) -> HttpResponse | FileResponse:
    """A download of ``content``: bytes or text are sent whole, an open binary file is
    streamed. ``nosniff`` keeps browsers from reading an upload as another type (a page
    or a script) than the one we send."""
    if isinstance(content, bytes | str):
        response: HttpResponse | FileResponse = HttpResponse(content, content_type=content_type)
        if filename:
            response["Content-Disposition"] = content_disposition(
                filename, fallback=fallback, inline=inline
            )
    elif fallback is None:
        # Django writes the header, the length and (with no type given) a type from the name.
        response = FileResponse(
            content, as_attachment=not inline, filename=filename or "", content_type=content_type
        )
    else:
        response = FileResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition(
            filename or "", fallback=fallback, inline=inline
        )
    if nosniff:
        response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_response(
    stored: Any,
    filename: str,
    content_type: str | None,
    *,
    missing: str = "文件已不存在",
    inline: bool = False,
) -> FileResponse:
    """A download of a file kept in storage (a ``FieldFile``): a 404 with ``missing`` when
    the record has no file or the file is gone from storage, never a server error. The
    ASCII fallback name is ``file`` with the stored file's suffix."""
    if not stored:
        raise Http404("没有可下载的文件")
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    suffix = PurePosixPath(stored.name).suffix.lower()
    return file_response(
        handle,
        filename,
        content_type or "application/octet-stream",
        fallback=f"file{suffix}",
        inline=inline,
    )
