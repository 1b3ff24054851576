"""Serving interpretation videos with HTTP range requests (RFC 9110 §14).

Browsers ask for a video in pieces (``Range: bytes=0-``, then wherever the viewer seeks);
without ``206 Partial Content`` they cannot seek and Safari will not play at all. Uploads
are never served by the web server directly (they sit outside the web root and go through
permission-checked views), so the range answer is made here, the same in the demo server
and behind a production proxy. One range per request, which is what media players send;
a header asking for several, or one that cannot be read, gets the whole file (a server
may ignore Range), and a range wholly past the end gets 416.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

from sanyi.core.responses import file_response

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _wanted(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) bytes asked for, None for the whole file, "unsatisfiable"."""
    match = _RANGE.match(header.replace(" ", ""))
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return start, end


def _chunks(handle, remaining: int):
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request, field_file, content_type: str):
    """The stored file ``field_file`` inline, honouring a single byte range."""
    size = field_file.size
    wanted = _wanted(request.headers.get("Range", ""), size) if "Range" in request.headers else None
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = file_response(field_file.open("rb"), None, content_type, inline=True)
    else:
        start, end = wanted  # type: ignore[misc]
        handle = field_file.open("rb")
        handle.seek(start)
        response = StreamingHttpResponse(_chunks(handle, end - start + 1), status=206)
        response["Content-Type"] = content_type
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["X-Content-Type-Options"] = "nosniff"
    response["Accept-Ranges"] = "bytes"
    modified = field_file.storage.get_modified_time(field_file.name)
    response["Last-Modified"] = http_date(modified.timestamp())
    return response


def interpretation_part_response(request, item, part: str):
    """One part of a video interpretation: the video (with ranges), captions or poster."""
    if not item.video:
        raise Http404("这条解读没有上传的视频")
    if part == "video":
        return ranged_file_response(request, item.video, item.video_type)
    if part == "captions":
        return file_response(item.captions.open("rb"), None, "text/vtt; charset=utf-8", inline=True)
    if part == "poster":
        content_type = "image/png" if item.poster.name.endswith(".png") else "image/jpeg"
        return file_response(item.poster.open("rb"), None, content_type, inline=True)
    raise Http404("没有这个文件")
