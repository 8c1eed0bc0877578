"""``jigai attachments check``: every attachment's file is present and its SHA-256 unchanged; files in
the attachment directory that no row names (left by a rolled-back upload) are listed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jigai.attachments import storage
from jigai.attachments.models import Attachment


class Command(BaseCommand):
    help = "附件检查：文件是否齐全、SHA-256 是否一致，并列出无记录的孤立文件"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])

    def handle(self, *args, **options):
        missing, changed, known = [], [], set()
        for a in Attachment.objects.order_by("pk").iterator():
            known.add(a.stored_name)
            if not storage.path_for(a.stored_name).exists():
                missing.append(a)
            elif storage.sha256_of(a.stored_name) != a.sha256:
                changed.append(a)
        root = storage.root()
        orphans = (
            sorted(p for p in root.glob("*/*") if p.is_file() and p.name not in known)
            if root.exists()
            else []
        )
        for a in missing:
            self.stdout.write(f"缺失：附件 {a.pk}（{a.original_name}）的文件不存在")
        for a in changed:
            self.stdout.write(f"被改动：附件 {a.pk}（{a.original_name}）的 SHA-256 与登记时不同")
        for p in orphans:
            self.stdout.write(f"孤立文件（无记录）：{p}")
        self.stdout.write(
            f"附件 {len(known)} 个；缺失 {len(missing)}，被改动 {len(changed)}，孤立文件 {len(orphans)}"
        )
        if missing or changed:
            raise CommandError("附件检查未通过")
