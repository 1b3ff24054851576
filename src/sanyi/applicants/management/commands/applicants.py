from django.core.management.base import BaseCommand

from sanyi.applicants.services import signin_codes_purge


class Command(BaseCommand):
    help = "申请人：purge-codes 删除7天前的登录验证码记录（含证件号码，只在限频时需要）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge-codes", help="删除7天前的登录验证码记录")

    def handle(self, *args, action, **options):
        if action == "purge-codes":
            n = signin_codes_purge()
            self.stdout.write(f"已删除 {n} 条过期的登录验证码记录")
