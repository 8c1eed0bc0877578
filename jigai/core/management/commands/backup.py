from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.core import audit, audit_checkpoint
from jigai.core.backup import BackupError, backup_create, backup_restore


class Command(BaseCommand):
    help = (
        "备份与恢复：backup create [路径]（SM4-GCM 加密，密钥取自 JIGAI_BACKUP_KEY，文件仅属主可读）；"
        "backup restore 路径（先核对密钥，再恢复，恢复后核对行数与审计链）"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "restore"])
        parser.add_argument("path", nargs="?")

    def handle(self, *args, action, path, **options):
        actor = audit.Actor(username="backup", source="command", source_detail=f"jigai backup {action}")
        now = timezone.now()
        try:
            if action == "create":
                target = Path(
                    path or settings.VAR_DIR / f"backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.jigai-backup"
                )
                manifest = backup_create(path=target, now=now)
                audit.record("backup_create", message=str(target), actor=actor)
                cp = manifest["audit_checkpoint"]
                self.stdout.write(
                    f"已备份到 {target}（SM4-GCM 加密，仅属主可读）：{len(manifest['counts'])} 张表，"
                    f"{sum(manifest['counts'].values())} 行。审计检查点（{audit_checkpoint.describe(cp)}）："
                )
                self.stdout.write(audit_checkpoint.line(cp))
            else:
                if not path:
                    raise CommandError("请指定备份文件路径")
                manifest = backup_restore(path=Path(path), now=now)
                audit.record("backup_restore", message=str(path), actor=actor)
                self.stdout.write(
                    f"已恢复 {path}，行数与审计链核对无误（{sum(manifest['counts'].values())} 行，"
                    f"审计记录到 {audit_checkpoint.describe(manifest['audit_checkpoint'])}）。"
                )
        except (BackupError, audit_checkpoint.CheckpointError) as exc:
            raise CommandError(str(exc)) from exc
