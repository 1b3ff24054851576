from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanyi.notify.services import outbox_deliver_due


class Command(BaseCommand):
    help = "通知：deliver 发送所有到期的待发送和待重试消息（补发进程中断时漏发的消息）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="发送到期的待发送和待重试消息")
        deliver.add_argument("--limit", type=int, default=500, help="本次最多处理多少条")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "deliver":
            counts = outbox_deliver_due(limit=options["limit"])
            self.stdout.write(
                f"已发送 {counts['sent']} 条，失败待重试 {counts['failed']} 条，"
                f"停止发送 {counts['dead']} 条，恢复中断 {counts['released']} 条"
            )
