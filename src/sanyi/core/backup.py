"""Backing up the database.

SQLite (one machine): ``sqlite_backup`` copies the live database with SQLite's online
backup API, in one step under a read lock, so the copy is a consistent snapshot even while
the site and the worker keep writing (copying the file with ``cp`` is not: it may catch a
half-written page or miss the WAL). PostgreSQL is backed up with its own tools
(``pg_dump``, WAL archiving); docs/deploy.md gives the procedure.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

POSTGRES_PROCEDURE = (
    "PostgreSQL 数据库请用 PostgreSQL 自带的工具备份，不用本命令：\n"
    '  每日全量：pg_dump --format=custom --file=sanyi-$(date +%F).dump "$DATABASE_URL"\n'
    "  随时恢复到任一时刻：开启 WAL 归档（archive_mode=on、archive_command），"
    "并定期 pg_basebackup\n"
    "  恢复：pg_restore --clean --if-exists --dbname=... sanyi-YYYY-MM-DD.dump，"
    "再运行 sanyi audit verify\n"
    "详见 docs/deploy.md 的“备份与恢复”。"
)


class BackupRefused(Exception):
    """The backup cannot be made; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: int


def _regexp(pattern: str | None, value: Any) -> bool | None:
    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


def sqlite_backup(*, output: Path, using: str = "default") -> BackupResult:
    """Write a consistent copy of the SQLite database to ``output`` (a new file).

    The copy is written next to ``output`` under a temporary name, checked with
    ``PRAGMA integrity_check``, and only then renamed into place, so ``output`` is either a
    whole, sound backup or absent.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        raise BackupRefused(POSTGRES_PROCEDURE)
    if connection.vendor != "sqlite":
        raise BackupRefused(f"不支持备份 {connection.vendor} 数据库")
    output = Path(output)
    if output.exists():
        raise BackupRefused(f"备份文件 {output} 已存在，请换一个文件名（不会覆盖已有备份）")
    if not output.parent.is_dir():
        raise BackupRefused(f"备份目录 {output.parent} 不存在")
    temporary = output.with_name(f".{output.name}.partial")
    connection.ensure_connection()
    target = sqlite3.connect(temporary)
    # integrity_check evaluates the CHECK constraints, some of which use REGEXP, a function
    # Django adds to its own connections only.
    target.create_function("REGEXP", 2, _regexp, deterministic=True)
    try:
        # pages=-1: the whole database in one step, so no write lands between pages.
        connection.connection.backup(target, pages=-1)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        tables = target.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    except BaseException:
        target.close()
        temporary.unlink(missing_ok=True)
        raise
    target.close()
    if check != "ok":
        temporary.unlink(missing_ok=True)
        raise BackupRefused(f"备份副本未通过完整性检查（{check}），未写入 {output}")
    os.replace(temporary, output)
    return BackupResult(path=output, size=output.stat().st_size, tables=tables)
