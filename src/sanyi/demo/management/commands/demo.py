"""``sanyi demo load``: load the fictional 示范区 and whatever other apps register."""

import contextlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.orgs.demo import demo_logins, demo_totp_now


def _all_logins():
    """Staff logins, then the applicant sign-ins (ID number + mobile) of the demo."""
    from sanyi.applicants.demo.load import demo_applicant_logins

    return demo_logins() + demo_applicant_logins()


class Command(BaseCommand):
    help = "演示数据：load 加载虚构的“示范区”演示数据（已加载的部分自动跳过）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="加载演示数据，最后列出演示账号")
        load.add_argument("--seed", type=int, default=2026, help="随机数种子（默认2026）")
        sub.add_parser("logins", help="列出已加载的演示账号")
        sub.add_parser("totp", help="显示演示系统管理员当前的动态验证码")

    def handle(self, *args, action, seed=2026, **options):
        if action == "logins":
            self._print_logins(_all_logins())
            return
        if action == "totp":
            self.stdout.write(demo_totp_now())
            return
        if settings.PRODUCTION and not settings.SANYI_DEMO:
            raise CommandError("生产环境不能加载演示数据；演示站点请设置 SANYI_DEMO=true")
        rng = random.Random(seed)
        logins, loaded_any = [], False
        for part in parts():
            if part.loaded():
                self.stdout.write(f"跳过 {part.name}：已加载")
                continue
            started = time.monotonic()
            with transaction.atomic() if part.atomic else contextlib.nullcontext():
                result = part.run(actor=DEMO_ACTOR, rng=rng)
            loaded_any = True
            elapsed = time.monotonic() - started
            summary = f"：{result.summary}" if result and result.summary else ""
            self.stdout.write(f"已加载 {part.name}{summary}（{elapsed:.1f}秒）")
            if result:
                logins.extend(result.logins)
                for note in result.notes:
                    self.stdout.write(note)
        if not loaded_any:
            self.stdout.write("演示数据已经加载过，没有改动。")
            self._print_logins(_all_logins())
            return
        if logins:
            self._print_logins(logins)

    def _print_logins(self, logins):
        if not logins:
            return
        rows = [("登录名", "角色", "单位", "密码", "说明")] + [
            (x.username, x.role, x.unit, x.password, x.note) for x in logins
        ]
        widths = [max(_width(r[i]) for r in rows) for i in range(5)]
        self.stdout.write("\n演示账号（仅供演示，切勿用于真实业务）：")
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
                ).rstrip()
            )


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
