import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.exchange import (
    IMPORT_ACTOR,
    ImportFailed,
    catalog_export,
    catalog_import_file,
    export_json,
    export_xlsx,
    template_xlsx,
)
from sanyi.catalog.indexing import catalog_reindex, indexing_suspended
from sanyi.catalog.life_event_selectors import (
    LIFE_EVENT_LINT_CODE,
    LIFE_EVENT_LINT_TITLE,
    life_event_findings,
)
from sanyi.catalog.lint import Severity
from sanyi.catalog.readability import THRESHOLD as READABILITY_THRESHOLD
from sanyi.catalog.reports import reduction_report, reduction_report_xlsx
from sanyi.catalog.selectors import catalog_lint, catalog_quality_summary
from sanyi.catalog.services import item_cancellations_apply
from sanyi.core.replicas import replica_reads
from sanyi.orgs.models import User

CLI_VIEWER = "系统：命令行"
REPORTS = frozenset({"report", "lint"})
LINT_STATUS = {"draft": VersionStatus.DRAFT, "published": VersionStatus.PUBLISHED, "all": None}


class Command(BaseCommand):
    help = (
        "政务服务事项目录：import 导入、export 导出、template 模板、lint 质量检查、"
        "report 减材料减时限报告"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help=(
                "导入 .json 或 .xlsx 文件（全部成功或全部不导入）；标为已发布的事项提交审核，"
                "经另一位事项管理员审核通过后发布"
            ),
        )
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        imp.add_argument("--as-draft", action="store_true", help="全部作为草稿导入，不提交审核")
        imp.add_argument("--actor", help="以该事项管理员账号的名义导入（默认“系统：导入”）")
        exp = sub.add_parser("export", help="导出为 .json 或 .xlsx 文件")
        exp.add_argument("file")
        exp.add_argument(
            "--status",
            choices=["published", "draft", "current"],
            default="current",
            help="current：已发布版本，以及从未发布过的草稿（默认）",
        )
        tpl = sub.add_parser("template", help="写出空白 Excel 导入模板（含填写说明）")
        tpl.add_argument("file")
        lint = sub.add_parser("lint", help="检查全部事项指南的质量")
        lint.add_argument("--json", action="store_true", dest="as_json")
        lint.add_argument("--status", choices=list(LINT_STATUS), default="published")
        lint.add_argument("--strict", action="store_true", help="有错误时以非零状态退出")
        report = sub.add_parser("report", help="减材料、减时限、减跑动统计")
        report.add_argument("--xlsx", help="另存为 Excel 文件")
        sub.add_parser("apply-cancellations", help="取消已到计划取消日期的事项")
        sub.add_parser("reindex", help="重建办事指南的搜索索引（事项和“一件事”）")
        cpsv = sub.add_parser("export-cpsv", help="已发布事项导出为 CPSV-AP JSON-LD 文件")
        cpsv.add_argument("file")
        cpsv.add_argument(
            "--base-url", required=True, help="门户网站地址，如 https://zwfw.example.gov.cn"
        )

    def handle(self, *args, action, **options):
        run = getattr(self, "do_" + action.replace("-", "_"))
        if action in REPORTS:
            # A report only reads: a replica may serve it (docs/adr/0030-read-replicas.md).
            with replica_reads():
                run(**options)
        else:
            run(**options)

    def do_import(self, *, file, dry_run, as_draft, actor, **_):
        who = IMPORT_ACTOR
        if actor:
            who = User.objects.filter(username=actor, is_active=True).first()
            if who is None:
                raise CommandError(f"找不到有效的账号“{actor}”")

        shown = {"percent": -10}

        def progress(done, total, message):
            # One line per tenth of the work: readable in a terminal and in a log file.
            percent = done * 100 // total if total else 100
            if percent >= shown["percent"] + 10 or done == total:
                shown["percent"] = percent
                self.stderr.write(f"[{percent:3d}%] {done}/{total} {message}")

        try:
            # One search-index pass after the import instead of one per published item.
            with indexing_suspended():
                result = catalog_import_file(
                    actor=who, path=file, dry_run=dry_run, as_draft=as_draft, progress=progress
                )
            if not dry_run:
                catalog_reindex()
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {file}") from None
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(str(exc)) from None
        for note in result.notes:
            self.stdout.write(f"  提醒：{note}")
        self.stdout.write(result.summary())

    def do_export(self, *, file, status, **_):
        document = catalog_export(viewer=CLI_VIEWER, status=None if status == "current" else status)
        if file.lower().endswith(".xlsx"):
            with open(file, "wb") as out:
                out.write(export_xlsx(document))
        elif file.lower().endswith(".json"):
            with open(file, "w", encoding="utf-8") as out:
                out.write(export_json(document))
        else:
            raise CommandError("导出文件名应以 .json 或 .xlsx 结尾")
        self.stdout.write(f"已导出{len(document['items'])}个事项到 {file}")

    def do_template(self, *, file, **_):
        if not file.lower().endswith(".xlsx"):
            raise CommandError("模板文件名应以 .xlsx 结尾")
        with open(file, "wb") as out:
            out.write(template_xlsx())
        self.stdout.write(f"已写出导入模板 {file}")

    def do_lint(self, *, as_json: bool, status, strict, **_):
        results = catalog_lint(viewer=CLI_VIEWER, status=LINT_STATUS[status])
        summary = catalog_quality_summary(viewer=CLI_VIEWER, status=LINT_STATUS[status])
        errors = sum(1 for _, fs in results for f in fs if f.severity == Severity.ERROR)
        events = life_event_findings()
        errors += len(events)
        if as_json:
            payload = {
                "summary": summary,
                "life_events": [
                    {"life_event": e.name, "code": LIFE_EVENT_LINT_CODE, "message": m}
                    for e, m in events
                ],
                "findings": [
                    {
                        "implementation_code": v.implementation_item.implementation_code,
                        "name": v.implementation_item.base_item.name,
                        "version": v.number,
                        "status": v.status,
                        **f.as_dict(),
                    }
                    for v, fs in results
                    for f in fs
                ],
            }
            self.stdout.write(_dumps(payload))
        else:
            for version, findings in results:
                for f in findings:
                    self.stdout.write(
                        f"{version.implementation_item.implementation_code} "
                        f"{version.implementation_item.base_item.name} 第{version.number}版 "
                        f"[{f.label}·{Severity(f.severity).label}] {f.path or '整体'}：{f.message}"
                    )
            for event, message in events:
                rule = f"{LIFE_EVENT_LINT_CODE} {LIFE_EVENT_LINT_TITLE}"
                self.stdout.write(f"一件事“{event.name}” [{rule}]：{message}")
            self.stdout.write("")
            for row in summary["by_rule"]:
                if row["count"]:
                    self.stdout.write(f"{row['code']} {row['title']}：{row['count']}处")
            self._write_readability(summary["readability"])
            self.stdout.write(
                f"共检查{summary['checked']}个版本，{summary['clean']}个没有问题，错误{errors}处"
            )
        if strict and errors:
            sys.exit(1)

    def _write_readability(self, rows) -> None:
        low = sum(1 for row in rows if not row["passes"])
        self.stdout.write(
            f"可读性（满分100，{READABILITY_THRESHOLD}分达标，L022），低于达标线{low}个："
        )
        for row in rows:
            self.stdout.write(
                f"  {row['score']:3d}分 {row['implementation_code']} {row['name']} "
                f"第{row['version']}版（句子平均{row['average_length']}字，最长{row['longest']}字，"
                f"术语{row['jargon']}处，公文腔{row['stacked']}处）"
            )

    def do_report(self, *, xlsx, **_):
        report = reduction_report(viewer=CLI_VIEWER)
        self.stdout.write(_dumps(report.as_dict()))
        if xlsx:
            with open(xlsx, "wb") as out:
                out.write(reduction_report_xlsx(report))

    def do_apply_cancellations(self, **_):
        count = item_cancellations_apply(actor="系统：定时任务", today=timezone.localdate())
        self.stdout.write(f"已取消{count}个到期事项")

    def do_reindex(self, **_):
        items, events = catalog_reindex()
        self.stdout.write(f"已重建搜索索引：事项{items}个，“一件事”{events}个")

    def do_export_cpsv(self, *, file, base_url, **_):
        from sanyi.catalog.jsonld import catalogue_cpsv_ap

        if not base_url.startswith(("https://", "http://")):
            raise CommandError("--base-url 应以 https:// 或 http:// 开头")
        document = catalogue_cpsv_ap(base_url=base_url)
        with open(file, "w", encoding="utf-8") as out:
            out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        self.stdout.write(f"已导出{len(document['@graph'])}个事项到 {file}")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)
