from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.core import audit
from jigai.core.backup import BackupError, backup_create, backup_restore


class Command(BaseCommand):
    help = "备份与恢复：backup create [路径]；backup restore 路径（恢复后核对行数与审计链）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "restore"])
        parser.add_argument("path", nargs="?")

    def handle(self, *args, action, path, **options):
        actor = audit.Actor(username="backup", source="command", source_detail=f"jigai backup {action}")
        try:
            if action == "create":
                target = Path(path or f"var/backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
                manifest = backup_create(path=target)
                audit.record("backup_create", message=str(target), actor=actor)
                self.stdout.write(
                    f"已备份到 {target}：{len(manifest['counts'])} 张表，"
                    f"{sum(manifest['counts'].values())} 行。"
                )
            else:
                if not path:
                    raise CommandError("请指定备份文件路径")
                manifest = backup_restore(path=Path(path))
                audit.record("backup_restore", message=str(path), actor=actor)
                self.stdout.write(
                    f"已恢复 {path}，行数与审计链核对无误（{sum(manifest['counts'].values())} 行）。"
                )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
