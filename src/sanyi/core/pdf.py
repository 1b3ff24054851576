"""Every PDF the platform makes goes through ``render_pdf``, which fetches nothing from
the network and no file outside the project's static files.

Templates of letters, receipts and guides contain text staff and residents typed in. If
any of it ever reached the HTML unescaped, an ``<img src="http://169.254.169.254/…">`` or
``<link href="file:///etc/passwd">`` would make WeasyPrint fetch it on the server. The
fetcher here allows only ``data:`` URIs and static files (``/static/…`` at any host, or a
``file://`` path inside a static folder), read from disk; anything else is refused and
WeasyPrint leaves the resource out.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders


class RefusedResource(ValueError):
    """A PDF asked for something other than a static file or a data: URI."""


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] if getattr(settings, "STATIC_ROOT", None) else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def _inside_static(path: Path) -> Path | None:
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved.is_file() and any(resolved.is_relative_to(root) for root in _static_roots()):
        return resolved
    return None


def static_file_for(url: str) -> Path | None:
    """The static file ``url`` names on this machine, or None."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        return _inside_static(Path(url2pathname(parts.path)))
    if scheme not in ("http", "https", ""):
        return None
    static_url = urlsplit(settings.STATIC_URL or "/static/").path
    if not parts.path.startswith(static_url):
        return None
    name = unquote(parts.path[len(static_url) :])
    try:
        found = finders.find(name)
    except Exception:  # a traversal attempt (SuspiciousFileOperation) is simply not found
        found = None
    if not found and getattr(settings, "STATIC_ROOT", None):
        return _inside_static(Path(settings.STATIC_ROOT) / name)
    return _inside_static(Path(found)) if found else None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)  # decoded in memory, no I/O
            path = static_file_for(url)
            if path is None:
                raise RefusedResource(
                    f"PDF 只能使用本平台的静态文件和 data: 内容，已拒绝：{url[:200]}"
                )
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
            )

    return StaticOnlyURLFetcher


def pdf_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only reads static files and data: URIs."""
    return _fetcher_class()()


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """``html`` as PDF bytes; resources limited as the module docstring says."""
    from weasyprint import HTML  # heavy import, only where PDFs are made

    return HTML(string=html, base_url=base_url or None, url_fetcher=pdf_url_fetcher()).write_pdf()


def _renderer_base() -> type:
    from rest_framework.renderers import BaseRenderer

    return BaseRenderer


if TYPE_CHECKING:
    from rest_framework.renderers import BaseRenderer as _RendererBase
else:
    _RendererBase = _renderer_base()


class PDFDownloadRenderer(_RendererBase):
    """Lets an API view that returns a PDF answer ``Accept: application/pdf``.

    The view returns the file itself (an HttpResponse), so this renderer only ever
    renders errors: the problem body as JSON, under the problem+json media type the
    error handler sets.
    """

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        import json

        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()
