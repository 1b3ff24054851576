import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from sanyi.core.registry import subcommands
from sanyi.openness import excel, indexing
from sanyi.openness.importing import IMPORT_ACTOR, publications_import_file
from sanyi.openness.selectors import unsafe_links
from sanyi.openness.services import publication_overdue_alert, publication_publish_due
from sanyi.orgs.models import OrgUnit


def find_unit(value: str | None) -> OrgUnit:
    """The unit named by 单位编号, division code or exact name; default the district root."""
    if not value:
        roots = list(OrgUnit.objects.filter(parent__isnull=True, is_active=True)[:2])
        if len(roots) != 1:
            raise CommandError("请用 --publisher 指定发布单位（单位编号或名称）")
        return roots[0]
    matches = list(
        OrgUnit.objects.filter(Q(code=value) | Q(division_code=value) | Q(name=value))[:2]
    )
    if len(matches) != 1:
        raise CommandError(
            f"找不到发布单位“{value}”" if not matches else f"“{value}”对应多个单位，请用单位编号"
        )
    return matches[0]


DIRECTORY_IMPORT_ACTOR = "系统：公开目录导入"


class Command(BaseCommand):
    help = (
        "政务公开：import-publications 导入政府信息、publish-due 发布到时的定时信息、"
        "reindex 重建搜索索引、export-directory / import-directory 导出导入公开目录（Excel）、"
        "check-timeliness 提醒逾期未公开的信息"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-publications",
            help="导入 JSON Lines 格式的已公开政府信息（全部成功或全部不导入）",
        )
        imp.add_argument("file")
        imp.add_argument("--publisher", help="挂在哪个单位下（单位编号、区划代码或名称；默认区）")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        imp.add_argument(
            "--source",
            default="",
            help="转载来源（原发布机关或网站）；行内没有 source 字段的记录用它，门户据此标明转载",
        )
        sub.add_parser("publish-due", help="把发布时间已到的定时信息标记为已发布")
        sub.add_parser("reindex", help="重建政府信息的搜索索引")
        # Subcommands other apps add to this group (annual-report, from annual_reports).
        for extra in subcommands("openness"):
            extra.add_parser(sub)
        exp = sub.add_parser(
            "export-directory", help="把一个单位（含下级单位）的公开目录导出为 Excel（官方表格式）"
        )
        exp.add_argument("--unit", required=True, help="单位编号、区划代码或名称")
        exp.add_argument("--output", required=True, help="输出的 .xlsx 文件")
        dirimp = sub.add_parser(
            "import-directory",
            help="从 Excel 导入一个单位的公开目录（全部成功或全部不导入）",
        )
        dirimp.add_argument("file")
        dirimp.add_argument("--unit", required=True, help="单位编号、区划代码或名称")
        dirimp.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        links = sub.add_parser(
            "check-links",
            help="检查已保存的原文链接和视频地址：只允许 http:// 或 https:// 网址",
        )
        links.add_argument("--strict", action="store_true", help="发现问题时以非零状态退出")
        sub.add_parser(
            "check-timeliness",
            help="提醒各公开主体的政务公开专员：已过公开时限仍未公开的信息（同一条只提醒一次）",
        )

    def handle(self, *args, action, **options):
        extra = {item.name: item for item in subcommands("openness")}
        if action in extra:
            extra[action].run(self, **options)
            return
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_import_publications(self, *, file, publisher=None, dry_run=False, source="", **_):
        unit = find_unit(publisher)
        try:
            result = publications_import_file(
                path=file, publisher=unit, dry_run=dry_run, actor=IMPORT_ACTOR, source=source
            )
        except ValidationError as exc:
            raise CommandError("导入失败，没有写入任何记录：\n" + "\n".join(exc.messages)) from exc
        if dry_run:
            self.stdout.write(
                f"检查通过：{len(result.records)}条记录可以导入到“{unit.name}”（未写入）"
            )
        else:
            self.stdout.write(f"已导入{result.created}条政府信息，发布单位“{unit.name}”")

    def do_publish_due(self, **_):
        self.stdout.write(f"已发布{publication_publish_due()}条到时的定时信息")

    def do_export_directory(self, *, unit, output, **_):
        found = find_unit(unit)
        data = excel.export_directory(found)
        with open(output, "wb") as fh:
            fh.write(data)
        count = excel.directory_entries_of(found).count()
        self.stdout.write(f"已导出“{found.name}”的公开目录：{count}个公开事项 → {output}")

    def do_import_directory(self, *, file, unit, dry_run=False, **_):
        found = find_unit(unit)
        try:
            with open(file, "rb") as fh:
                content = fh.read()
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc.strerror}") from exc
        try:
            summary = excel.import_directory(
                actor=DIRECTORY_IMPORT_ACTOR, unit=found, content=content, dry_run=dry_run
            )
        except excel.DirectoryImportRejected as exc:
            raise CommandError(
                f"导入失败，没有写入任何公开事项（{len(exc.errors)}处问题）：\n"
                + "\n".join(str(e) for e in exc.errors)
            ) from exc
        self.stdout.write(f"“{found.name}”：{summary}" + ("（未写入）" if dry_run else ""))

    def do_check_links(self, *, strict: bool = False, **_):
        found = unsafe_links()
        for row in found:
            self.stdout.write(
                f"{row.what} {row.pk}“{row.title}” {row.label}（{row.field}）"
                f"“{row.value[:80]}”：{row.problem}"
            )
        self.stdout.write(f"不安全的链接：{len(found)}处")
        if strict and found:
            sys.exit(1)

    def do_check_timeliness(self, **_):
        count = publication_overdue_alert()
        self.stdout.write(f"逾期未公开的信息：{count}条，已提醒相应公开主体的政务公开专员")

    def do_reindex(self, **_):
        self.stdout.write(f"已重建索引：{indexing.reindex_all()}条政府信息")
