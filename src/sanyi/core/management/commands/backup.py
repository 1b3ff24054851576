from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.core.backup import BackupRefused, sqlite_backup


class Command(BaseCommand):
    help = (
        "备份数据库：SQLite 在网站运行中生成一致的副本；"
        "PostgreSQL 请用 pg_dump 和 WAL 归档（命令会给出做法）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="备份文件路径（不能是已有文件）")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        try:
            result = sqlite_backup(output=Path(output))
        except BackupRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已备份到 {result.path}（{result.size / 1024 / 1024:.1f} MB，{result.tables} 张表，"
            "完整性检查通过）。上传的文件在 SANYI_FILE_ROOT，请另行备份。"
        )
