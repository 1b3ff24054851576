from django.core.management.base import BaseCommand, CommandError

from sanyi.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "审计留痕：verify 校验哈希链"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="逐条重算哈希，报告第一处断链，或输出 ok")

    def handle(self, *args, action, **options):
        if action == "verify":
            report = audit_chain_verify()
            if report.ok:
                self.stdout.write(f"ok ({report.checked} records)")
                return
            raise CommandError(
                f"broken at record #{report.broken_seq}: {report.reason} "
                f"({report.checked} records before it are intact)"
            )
