"""The job kind jobs runs itself: an encrypted backup (``jigai backup create``, core/backup.py).

The other kinds are registered by their apps: the large import (registry), the bulletin document
(dispatch), the meeting pack (assessment), the reminders (home)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.core import audit, audit_checkpoint
from jigai.core.backup import BackupError, backup_create

from . import kinds


def _backup(job, progress) -> dict:
    require(job.user, "system.backup")
    now = timezone.now()
    target = (
        Path(settings.VAR_DIR) / f"backup-{timezone.localtime(now):%Y%m%d-%H%M%S}-job{job.pk}.jigai-backup"
    )
    progress(0, 1, "正在备份数据库")
    try:
        manifest = backup_create(path=target, now=now)
    except (BackupError, audit_checkpoint.CheckpointError) as exc:
        raise kinds.JobError(f"备份失败：{exc}") from exc
    audit.record("backup_create", message=str(target))
    counts = manifest["counts"]
    return {
        "message": f"已备份到 {target}（SM4-GCM 加密，仅属主可读）：{len(counts)} 张表，{sum(counts.values())} 行",
        "path": str(target),
        "checkpoint": audit_checkpoint.line(manifest["audit_checkpoint"]),
    }


def _no_params(data, user) -> tuple[dict, str]:
    return {}, "整个数据库"


kinds.register(
    kinds.Kind(
        name="backup",
        title="数据库备份",
        operation="system.backup",
        run=_backup,
        from_form=_no_params,
        on_list=True,
    )
)
