from django.core.management.base import BaseCommand, CommandError

from jigai.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，找出被修改或删除的记录"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        problems = audit.verify()
        total = audit.AuditHead.objects.filter(id=1).values_list("seq", flat=True).first() or 0
        if problems:
            for p in problems:
                self.stderr.write(f"第 {p.seq} 条：{p.reason}")
            raise CommandError(f"审计日志校验失败：发现 {len(problems)} 处问题（共 {total} 条记录）")
        self.stdout.write(f"审计日志校验通过：共 {total} 条记录，哈希链完整。")
