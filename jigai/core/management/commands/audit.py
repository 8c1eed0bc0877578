import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.accounts.models import Role, User
from jigai.core import audit, audit_checkpoint
from jigai.core.audit_archive import AuditRetentionError, purge, verify_archive


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验哈希链并与检查点核对；checkpoint 记下链头的签名检查点（每天至少一次）；"
        "purge 把保留期（默认 183 天）以前的记录归档到文件后从数据库清理（须由审计员执行）；"
        "verify-archive 校验归档文件"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "purge", "verify-archive"])
        parser.add_argument("file", nargs="?", help="verify-archive：归档文件")
        parser.add_argument(
            "--checkpoint",
            action="append",
            metavar="FILE",
            help="verify：与此文件中的检查点核对（可多次给出；默认 JIGAI_AUDIT_CHECKPOINT_FILE）",
        )
        parser.add_argument(
            "--to", metavar="FILE", help="checkpoint：追加到此文件（默认 JIGAI_AUDIT_CHECKPOINT_FILE）"
        )
        parser.add_argument("--before", help="purge：清理该日期（YYYY-MM-DD，当日零时）之前的记录")
        parser.add_argument("--user", help="purge：执行清理的审计员用户名")
        parser.add_argument("--archive-dir", help="purge：归档目录（默认 var/audit-archive）")
        parser.add_argument("--dry-run", action="store_true", help="purge：只列出将清理的范围，不归档不删除")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self._verify(options.get("checkpoint"))
        if action == "checkpoint":
            return self._checkpoint(options.get("to"))
        if action == "verify-archive":
            return self._verify_archive(options.get("file"))
        return self._purge(options)

    def _verify(self, files):
        checkpoints, unreadable = self._checkpoints(files)
        problems = audit.verify(checkpoints=checkpoints)
        head = audit.AuditHead.objects.filter(id=1).first()
        total = head.seq if head else 0
        if problems or unreadable:
            for line in unreadable:
                self.stderr.write(line)
            for p in problems:
                self.stderr.write(f"第 {p.seq} 条：{p.reason}" if p.seq is not None else p.reason)
            raise CommandError(
                f"审计日志校验失败：发现 {len(problems) + len(unreadable)} 处问题（共 {total} 条记录）"
            )
        if head is not None and head.purged_seq:
            self.stdout.write(
                f"审计日志校验通过：第 {head.purged_seq + 1}–{total} 条记录，哈希链完整"
                f"（第 {head.purged_seq} 条及以前已归档清理）。"
            )
        else:
            self.stdout.write(f"审计日志校验通过：共 {total} 条记录，哈希链完整。")
        current = audit_checkpoint.current(checkpoints)
        if current:
            top = max(current, key=lambda cp: cp["seq"])
            self.stdout.write(
                f"与 {len(current)} 个检查点核对无误（最远：{audit_checkpoint.describe(top)}）。"
            )
        else:
            self.stdout.write(
                "注意：没有可核对的检查点，末尾记录连同链头被删除、整表被清空无法发现；"
                "请按运维手册配置 JIGAI_AUDIT_CHECKPOINT_FILE 并每天执行 jigai audit checkpoint。"
            )

    def _checkpoints(self, files) -> tuple[list[dict], list[str]]:
        """The checkpoints to compare with: the files given, else the configured file if it exists."""
        if files:
            paths = [Path(f) for f in files]
            for path in paths:
                if not path.is_file():
                    raise CommandError(f"找不到检查点文件：{path}")
        else:
            configured = getattr(settings, "JIGAI_AUDIT_CHECKPOINT_FILE", "")
            paths = [Path(configured)] if configured and Path(configured).is_file() else []
        checkpoints, unreadable = [], []
        for path in paths:
            good, bad = audit_checkpoint.load(path)
            checkpoints += good
            unreadable += bad
        return checkpoints, unreadable

    def _checkpoint(self, to):
        cp = audit_checkpoint.take(now=timezone.now(), reason="command")
        try:
            kept = audit_checkpoint.publish(cp, to=Path(to) if to else None)
        except audit_checkpoint.CheckpointError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已记下审计检查点（{audit_checkpoint.describe(cp)}），写入 {'、'.join(kept)}：")
        self.stdout.write(audit_checkpoint.line(cp))

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
