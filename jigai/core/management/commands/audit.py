import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.accounts.models import Role, User
from jigai.core import audit
from jigai.core.audit_archive import AuditRetentionError, purge, verify_archive


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验哈希链；purge 把保留期（默认 183 天）以前的记录归档到文件后从数据库清理"
        "（须由审计员执行）；verify-archive 校验归档文件"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "purge", "verify-archive"])
        parser.add_argument("file", nargs="?", help="verify-archive：归档文件")
        parser.add_argument("--before", help="purge：清理该日期（YYYY-MM-DD，当日零时）之前的记录")
        parser.add_argument("--user", help="purge：执行清理的审计员用户名")
        parser.add_argument("--archive-dir", help="purge：归档目录（默认 var/audit-archive）")
        parser.add_argument("--dry-run", action="store_true", help="purge：只列出将清理的范围，不归档不删除")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self._verify()
        if action == "verify-archive":
            return self._verify_archive(options.get("file"))
        return self._purge(options)

    def _verify(self):
        problems = audit.verify()
        head = audit.AuditHead.objects.filter(id=1).first()
        total = head.seq if head else 0
        if problems:
            for p in problems:
                self.stderr.write(f"第 {p.seq} 条：{p.reason}")
            raise CommandError(f"审计日志校验失败：发现 {len(problems)} 处问题（共 {total} 条记录）")
        if head is not None and head.purged_seq:
            self.stdout.write(
                f"审计日志校验通过：第 {head.purged_seq + 1}–{total} 条记录，哈希链完整"
                f"（第 {head.purged_seq} 条及以前已归档清理）。"
            )
        else:
            self.stdout.write(f"审计日志校验通过：共 {total} 条记录，哈希链完整。")

    def _verify_archive(self, file):
        if not file:
            raise CommandError("请给出归档文件：jigai audit verify-archive FILE")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到归档文件：{path}")
        report = verify_archive(path)
        if not report.ok:
            for problem in report.problems[:50]:
                self.stderr.write(problem)
            raise CommandError(f"归档文件校验失败：{len(report.problems)} 处问题")
        self.stdout.write(
            f"归档文件校验通过：第 {report.first_seq}–{report.last_seq} 条，共 {report.count} 条记录，哈希链完整。"
        )

    def _purge(self, options):
        if not options.get("before"):
            raise CommandError("请用 --before YYYY-MM-DD 给出清理截止日期")
        username = options.get("user")
        if not username:
            raise CommandError("请用 --user 给出执行清理的审计员")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.role != Role.AUDITOR:
            raise CommandError(f"用户“{username}”不是有效的审计员：审计记录的归档清理只能由审计员执行")
        before = timezone.make_aware(dt.datetime.combine(_date(options["before"]), dt.time()))
        archive_dir = Path(options.get("archive_dir") or settings.VAR_DIR / "audit-archive")
        actor = audit.actor_for_user(user, source="command", source_detail="jigai audit purge")
        try:
            plan = purge(
                before=before,
                now=timezone.now(),
                archive_dir=archive_dir,
                actor=actor,
                dry_run=options["dry_run"],
            )
        except AuditRetentionError as exc:
            raise CommandError(exc.message) from None
        if plan.empty:
            self.stdout.write(f"{options['before']} 之前没有可清理的审计记录。")
            return
        span = (
            f"第 {plan.from_seq}–{plan.through_seq} 条，共 {plan.count} 条"
            f"（{timezone.localtime(plan.oldest_at):%Y-%m-%d} 至 {timezone.localtime(plan.newest_at):%Y-%m-%d}）"
        )
        if not plan.done:
            self.stdout.write(f"将归档并清理：{span}。未做任何改动（--dry-run）。")
            return
        self.stdout.write(f"已归档并清理：{span}。归档文件：{plan.archive}（SHA-256 {plan.archive_sha256}）")
