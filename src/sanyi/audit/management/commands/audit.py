from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.audit.checkpoints import CheckpointError, checkpoint_document, checkpoint_parse
from sanyi.audit.selectors import ChainReport, audit_chain_verify


def _describe(report: ChainReport) -> str:
    keys = ", ".join(f"{k or '(legacy)'}: {n}" for k, n in sorted(report.keys.items()))
    return f"{report.checked} records, head #{report.head_seq}" + (f"; {keys}" if keys else "")


class Command(BaseCommand):
    help = "审计留痕：verify 校验哈希链（可对照检查点），checkpoint 写出签名的检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="逐条重算签名并对照链头，报告第一处断链，或输出 ok")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="也证明链仍包含该检查点记下的记录（可重复）",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="校验后把链头写成签名的检查点文件，交运维保存在本机之外"
        )
        checkpoint.add_argument(
            "--output", required=True, metavar="FILE", help="写到该文件；- 表示标准输出"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self.verify(options["checkpoint"])
        elif action == "checkpoint":
            self.checkpoint(options["output"])

    def verify(self, files: list[str]) -> None:
        checkpoints = []
        for name in files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"读不了检查点文件 {name}：{exc}") from None
            try:
                checkpoints.append(checkpoint_parse(text=text, source=f"检查点文件 {name} "))
            except CheckpointError as exc:
                raise CommandError(str(exc)) from None
        report = audit_chain_verify(checkpoints=checkpoints)
        if not report.ok:
            raise CommandError(
                f"broken at record #{report.broken_seq}: {report.reason} / {report.reason_en} "
                f"({report.checked} records before it are intact)"
            )
        held = "".join(f"; checkpoint #{cp.seq} holds" for cp in checkpoints)
        self.stdout.write(f"ok ({_describe(report)}{held})")

    def checkpoint(self, output: str) -> None:
        report = audit_chain_verify()
        try:
            doc = checkpoint_document(report=report)
        except CheckpointError as exc:
            raise CommandError(f"{exc} / {report.reason_en}") from None
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"写不了检查点文件 {output}：{exc}") from None
        self.stderr.write(f"checkpoint #{doc['seq']} written to {output} ({_describe(report)})")
