from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanyi.search.evaluation import evaluate, load_cases
from sanyi.search.registry import evaluation_sets


class Command(BaseCommand):
    help = "搜索：evaluate 用一组群众常用的说法测量搜索质量（第一条、前三条命中率）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="逐条搜索测试词，打印命中率和没命中的词")
        ev.add_argument(
            "--set",
            dest="name",
            default="catalog",
            help="测试词集合的名称（各应用登记的，默认 catalog）",
        )
        ev.add_argument("--file", help="改用这个文件（每行：搜索词<Tab>应找到的标题）")
        ev.add_argument(
            "--min-top3", type=float, help="前三条命中率低于这个比例（如 0.95）时以非零状态退出"
        )
        ev.add_argument("--verbose", action="store_true", help="逐条列出结果")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "do_" + action)(**options)

    def do_evaluate(
        self,
        *,
        name: str,
        file: str | None,
        min_top3: float | None,
        verbose: bool,
        **_: Any,
    ) -> None:
        sets = evaluation_sets()
        if name not in sets:
            known = "、".join(sorted(sets)) or "无"
            raise CommandError(f"没有名为“{name}”的测试词集合（已登记：{known}）")
        chosen = sets[name]
        path = file or chosen.path
        try:
            cases = load_cases(path)
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {path}") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        report = evaluate(cases, kinds=chosen.kinds)
        for row in report.rows:
            if verbose or row.rank is None:
                mark = f"第{row.rank}条" if row.rank else "未命中"
                found = " / ".join(row.found) or "（无结果）"
                self.stdout.write(f"{mark}\t{row.case.query} → {row.case.expected}\t{found}")
        self.stdout.write(report.summary())
        if min_top3 is not None and report.top3 < min_top3:
            raise CommandError(f"前三条命中率 {report.top3:.1%} 低于 {min_top3:.0%}")
