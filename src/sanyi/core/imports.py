"""What every import shares: the row error, the rejection, the limits on a file's
content, and the staging area where an uploaded file waits between its preview (dry run)
and the confirmation.

An import is all-or-nothing: it checks the whole file, collects every problem as a
``RowError`` and raises ``ImportRejected`` before writing anything. A problem names the
place the person can find in the file: ``“组织机构”工作表第3行「地址」：…`` for a
workbook, ``第12行「body」：…`` for a JSON Lines file.

A staged upload is a folder ``imports/<kind>/<token>/`` in the file storage: the file and
``meta.json`` (who uploaded it, and what the import needs to run it again). The web and
worker processes share the storage, not memory. ``imports_cleanup_stale`` drops the
folders nobody came back to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# A message quotes the person's own cell or field now and then ("“xx”不是有效的选项");
# it never quotes more than this, so a huge cell cannot fill the error page.
ECHO_LIMIT = 60
MESSAGE_LIMIT = 300

STAGING_ROOT = "imports"
STALE_AFTER_HOURS = 24
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_KIND = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


def shorten(text: Any, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (with "…"), for quoting back to the person."""
    text = "" if text is None else str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共{len(text)}个字）"


@dataclass(frozen=True, kw_only=True)
class RowError:
    """One problem in an imported file.

    ``sheet`` is the worksheet ("" for a file with one table or a text file), ``row`` the
    1-based row or line (0: the whole file or sheet), ``column`` the column header or
    field name ("" for the whole row)."""

    message: str
    row: int = 0
    column: str = ""
    sheet: str = ""

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:
            object.__setattr__(self, "message", self.message[:MESSAGE_LIMIT] + "…")

    def __str__(self) -> str:
        where = f"“{self.sheet}”工作表" if self.sheet else ""
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


class ImportRejected(Exception):
    """The file has problems; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


# --- JSON Lines ----------------------------------------------------------------------------

# A line longer than this is refused before it is parsed: a record is a few pages of text.
JSONL_MAX_LINE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # "" for an over-long or undecodable line (its error is in ``error``)
    error: RowError | None = None


def jsonl_lines(fh: BinaryIO, *, max_bytes: int = JSONL_MAX_LINE_BYTES) -> Iterator[Line]:
    """The lines of a UTF-8 file, one at a time, each read with at most ``max_bytes``
    in memory. An over-long line yields an error naming it and is skipped to its end, so
    the lines after it are still checked."""
    number = 0
    while True:
        chunk = fh.readline(max_bytes + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            while True:  # skip the rest of the line without keeping it
                rest = fh.readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            message = f"这一行超过{max_bytes // (1024 * 1024)}MB，不能导入"
            yield Line(number, "", RowError(row=number, message=message))
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            yield Line(number, "", RowError(row=number, message="不是UTF-8编码的文本"))
            continue
        yield Line(number, text.rstrip("\r\n"))


# --- staged uploads ------------------------------------------------------------------------


@dataclass
class StagedUpload:
    kind: str
    token: str
    owner_id: int | None
    file_name: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"{STAGING_ROOT}/{self.kind}/{self.token}"

    @property
    def source_path(self) -> str:
        return f"{self.folder}/source{_suffix(self.file_name)}"

    def path(self, name: str) -> str:
        return f"{self.folder}/{name}"

    def read(self) -> bytes:
        with default_storage.open(self.source_path, "rb") as fh:
            return fh.read()

    def open(self) -> File:
        return default_storage.open(self.source_path, "rb")


def _suffix(name: str) -> str:
    lowered = (name or "").lower()
    for suffix in (".xlsx", ".jsonl", ".json"):
        if lowered.endswith(suffix):
            return suffix
    return ".bin"


def staged_upload_save(
    *,
    kind: str,
    owner_id: int | None,
    file_name: str,
    content: bytes | File,
    meta: dict[str, Any] | None = None,
) -> StagedUpload:
    """Keep ``content`` (bytes or an uploaded file) in the staging area until it is
    confirmed, cancelled or cleaned up as stale."""
    if not _KIND.match(kind):
        raise ValueError(kind)
    staged = StagedUpload(
        kind=kind,
        token=uuid.uuid4().hex,
        owner_id=owner_id,
        file_name=(file_name or "")[:200],
        meta=dict(meta or {}),
    )
    body = ContentFile(content) if isinstance(content, bytes) else content
    default_storage.save(staged.source_path, body)
    _write_meta(staged)
    return staged


def _write_meta(staged: StagedUpload) -> None:
    path = staged.path("meta.json")
    data = {
        "owner": staged.owner_id,
        "file_name": staged.file_name,
        "meta": staged.meta,
        "created_at": timezone.now().isoformat(),
    }
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(data, ensure_ascii=False).encode()))


def staged_upload_get(*, kind: str, token: str, viewer: AbstractBaseUser) -> StagedUpload | None:
    """The staged upload, if it exists and ``viewer`` uploaded it (nobody sees another's
    file)."""
    if not _KIND.match(kind or "") or not _TOKEN.match(token or ""):
        return None
    path = f"{STAGING_ROOT}/{kind}/{token}/meta.json"
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as fh:
        data = json.loads(fh.read())
    if data["owner"] != getattr(viewer, "pk", None):
        return None
    return StagedUpload(
        kind=kind,
        token=token,
        owner_id=data["owner"],
        file_name=data["file_name"],
        meta=data["meta"],
    )


def staged_upload_delete(*, staged: StagedUpload) -> None:
    _delete_folder(staged.folder)


def _delete_folder(folder: str) -> None:
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in dirs:
        _delete_folder(f"{folder}/{name}")
    with contextlib.suppress(OSError):
        default_storage.delete(folder)  # FileSystemStorage removes an empty folder


def _newest_change(folder: str) -> dt.datetime | None:
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return None
    times = []
    for name in files:
        try:
            times.append(default_storage.get_modified_time(f"{folder}/{name}"))
        except (FileNotFoundError, NotImplementedError, OSError):
            continue
    return max(times) if times else None


def imports_cleanup_stale(
    *, older_than_hours: int = STALE_AFTER_HOURS, now: dt.datetime | None = None
) -> int:
    """Delete staged uploads nobody touched for ``older_than_hours`` (a preview never
    confirmed, a finished job's file); returns how many. A running import writes its
    progress every few seconds, so it never looks stale."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=older_than_hours)
    removed = 0
    try:
        kinds, _files = default_storage.listdir(STAGING_ROOT)
    except (FileNotFoundError, NotImplementedError, OSError):
        return 0
    for kind in kinds:
        try:
            tokens, _files = default_storage.listdir(f"{STAGING_ROOT}/{kind}")
        except (FileNotFoundError, OSError):
            continue
        for token in tokens:
            folder = f"{STAGING_ROOT}/{kind}/{token}"
            newest = _newest_change(folder)
            if newest is None or newest < cutoff:
                _delete_folder(folder)
                removed += 1
    return removed


__all__ = [
    "ECHO_LIMIT",
    "JSONL_MAX_LINE_BYTES",
    "ImportRejected",
    "Line",
    "RowError",
    "StagedUpload",
    "imports_cleanup_stale",
    "jsonl_lines",
    "shorten",
    "staged_upload_delete",
    "staged_upload_get",
    "staged_upload_save",
]
