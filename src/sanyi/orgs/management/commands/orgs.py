"""``sanyi orgs import FILE [--dry-run]`` and ``sanyi orgs export FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.orgs import excel, services
from sanyi.orgs.models import OrgUnit

ACTOR = "系统：命令行导入"


class Command(BaseCommand):
    help = "组织机构：import 从Excel导入（全部成功才写入），export 导出为Excel"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入组织机构、服务中心和窗口（.xlsx）")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="只检查并演练，不写入数据库")
        exp = sub.add_parser("export", help="导出整棵组织机构树（.xlsx）")
        exp.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        if action == "export":
            file.write_bytes(excel.export_units(OrgUnit.objects.all()))
            self.stdout.write(f"已导出{OrgUnit.objects.count()}个单位到{file}")
            return
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            summary = services.org_tree_import(
                actor=ACTOR,
                file=file.read_bytes(),
                dry_run=options["dry_run"],
                source_name=file.name,
            )
        except excel.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败，共{len(exc.errors)}处问题，未写入任何数据") from None
        self.stdout.write(str(summary))
