"""Retention of the audit log: archive the oldest records to a file, then remove them from the database.

docs/security.md: records are kept at least 6 months (网络安全法 §21, ``JIGAI_AUDIT_RETENTION_DAYS``) and a
purge never removes younger rows. What a purge removes is a prefix of the chain (records 1…k, or the
records after the previous purge), so what stays is still one verifiable chain:

1. the prefix is verified, then written to a gzip JSON-lines archive (a header, then one record a line
   with every chained field and both hashes) that ``verify_archive`` checks on its own, with the key;
2. in one transaction: the prefix is deleted, the head remembers the anchor (seq and hash of record k),
   and an ``audit_purge`` record, chained like any other, states the anchor, the count and the
   archive's SHA-256. ``audit.verify`` starts the chain at the anchor and checks that it is the one
   the latest purge record states, so nobody can delete more rows and move the anchor unnoticed;
   a signed checkpoint of the new head is kept outside the database (audit_checkpoint), and older
   checkpoints whose records are archived are no longer compared with the database.

Who may purge: the 安全审计员 (auditor role), who under 等保 manages the storage of audit records;
the system administrator cannot (docs/security.md, separation of duties).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from . import audit, audit_checkpoint
from .models import AuditEvent, AuditHead

__all__ = ["ArchiveReport", "AuditRetentionError", "PurgePlan", "purge", "verify_archive"]

ARCHIVE_KIND = "jigai-audit-archive"
ARCHIVE_VERSION = 1
BATCH = 2000
RECORD_FIELDS = (*audit.CHAINED_FIELDS, "prev_hash", "hash")


class AuditRetentionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PurgePlan:
    """What a purge removes (or removed): records ``from_seq``…``through_seq``, all older than ``before``."""

    before: dt.datetime
    keep_from: dt.datetime
    from_seq: int = 0
    through_seq: int = 0
    count: int = 0
    oldest_at: dt.datetime | None = None
    newest_at: dt.datetime | None = None
    archive: Path | None = None
    archive_sha256: str = ""
    done: bool = False

    @property
    def empty(self) -> bool:
        return self.count == 0


def keep_from(now: dt.datetime) -> dt.datetime:
    """Records at or after this moment are within the retention period and are never purged."""
    return now - dt.timedelta(days=settings.JIGAI_AUDIT_RETENTION_DAYS)


def plan(*, before: dt.datetime, now: dt.datetime) -> PurgePlan:
    """Which records a purge of everything older than ``before`` would remove. Refuses a ``before``
    inside the retention period."""
    limit = keep_from(now)
    if before > limit:
        days = settings.JIGAI_AUDIT_RETENTION_DAYS
        local = timezone.localtime(limit).strftime("%Y-%m-%d %H:%M")
        raise AuditRetentionError(
            f"审计记录至少保留 {days} 天：只能清理 {local} 之前的记录，请把截止时间提前"
        )
    head = AuditHead.objects.filter(id=1).first()
    p = PurgePlan(before=before, keep_from=limit)
    if head is None or head.seq == head.purged_seq:
        return p
    # The purge removes a prefix of the chain: up to the first record at or after `before` (records
    # written with an earlier time after it stay, so no younger row is ever removed).
    first_young = (
        AuditEvent.objects.filter(seq__gt=head.purged_seq, at__gte=before)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    through = first_young - 1 if first_young is not None else head.seq
    if through <= head.purged_seq:
        return p
    span = AuditEvent.objects.filter(seq__gt=head.purged_seq, seq__lte=through).aggregate(
        count=Count("id"), oldest=Min("at"), newest=Max("at")
    )
    p.from_seq, p.through_seq = head.purged_seq + 1, through
    p.count, p.oldest_at, p.newest_at = span["count"], span["oldest"], span["newest"]
    return p


def purge(
    *, before: dt.datetime, now: dt.datetime, archive_dir: Path, actor: audit.Actor, dry_run: bool = False
) -> PurgePlan:
    """Archive, then remove, the records older than ``before`` (see the module's docstring)."""
    p = plan(before=before, now=now)
    if p.empty or dry_run:
        return p
    problems = audit.verify(through=p.through_seq)
    if problems:
        first = problems[0]
        raise AuditRetentionError(
            f"审计日志校验未通过（第 {first.seq} 条：{first.reason}，共 {len(problems)} 处问题），"
            "不能清理；请先用 jigai audit verify 查明原因"
        )
    anchor_before = AuditHead.objects.get(id=1).purged_seq
    p.archive, p.archive_sha256, last_hash = _write_archive(p, archive_dir, now)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(id=1)
        if head.purged_seq != anchor_before:
            p.archive.unlink(missing_ok=True)
            raise AuditRetentionError("另一次清理正在进行或刚刚完成，请重新执行")
        # The queryset delete (not AuditEvent.delete, which refuses): the one path that removes records.
        AuditEvent.objects.filter(seq__lte=p.through_seq).delete()
        head.purged_seq, head.purged_hash = p.through_seq, last_hash
        head.save(update_fields=["purged_seq", "purged_hash"])
        audit.record(
            audit.PURGE_EVENT,
            object_type="core.auditevent",
            object_repr=f"第 {p.from_seq}–{p.through_seq} 条",
            after={
                "through_seq": p.through_seq,
                "through_hash": last_hash,
                "from_seq": p.from_seq,
                "count": p.count,
                "before": before.isoformat(),
                "retention_days": settings.JIGAI_AUDIT_RETENTION_DAYS,
                "archive": p.archive.name,
                "archive_sha256": p.archive_sha256,
            },
            message=f"清理 {p.count} 条 {before:%Y-%m-%d} 之前的审计记录，已归档到 {p.archive.name}",
            actor=actor,
        )
        # The new anchor is kept outside the database too, as soon as it is committed.
        audit_checkpoint.publish_on_commit(audit_checkpoint.take(now=now, reason="purge"))
    p.done = True
    return p


def _records(from_seq: int, through_seq: int) -> Iterator[AuditEvent]:
    seq = from_seq
    while seq <= through_seq:
        rows = list(AuditEvent.objects.filter(seq__gte=seq, seq__lte=through_seq).order_by("seq")[:BATCH])
        if not rows:
            return
        yield from rows
        seq = rows[-1].seq + 1


def _line(ev: AuditEvent) -> str:
    values = {name: getattr(ev, name) for name in RECORD_FIELDS}
    values["at"] = audit._utc_text(ev.at)  # the text the hash covers
    return json.dumps(values, ensure_ascii=False, sort_keys=True) + "\n"


def _write_archive(p: PurgePlan, folder: Path, now: dt.datetime) -> tuple[Path, str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"audit-{p.from_seq:09d}-{p.through_seq:09d}-{now:%Y%m%d%H%M%S}.jsonl.gz"
    path = folder / name
    tmp = folder / (name + ".part")
    first = AuditEvent.objects.filter(seq=p.from_seq).values_list("prev_hash", flat=True).first()
    header = {
        "kind": ARCHIVE_KIND,
        "version": ARCHIVE_VERSION,
        "from_seq": p.from_seq,
        "through_seq": p.through_seq,
        "count": p.count,
        "prev_hash": first or "",
        "created_at": audit._utc_text(now),
        "before": p.before.isoformat(),
    }
    last_hash = ""
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename=name[: -len(".gz")], mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write((json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
            for ev in _records(p.from_seq, p.through_seq):
                gz.write(_line(ev).encode("utf-8"))
                last_hash = ev.hash
        raw.flush()
        os.fsync(raw.fileno())
    tmp.replace(path)
    report = verify_archive(path)  # read back what was written before anything is deleted
    if report.problems or report.count != p.count:
        path.unlink(missing_ok=True)
        raise AuditRetentionError(
            f"归档文件写入后校验未通过：{'；'.join(report.problems[:3])}，未清理任何记录"
        )
    return path, _sha256(path), last_hash


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class ArchiveReport:
    path: Path
    header: dict = field(default_factory=dict)
    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    last_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_archive(path: Path) -> ArchiveReport:
    """Check an archive on its own: its header, the chain of its records, and each record's HMAC."""
    report = ArchiveReport(Path(path))
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline() or "{}")
            if header.get("kind") != ARCHIVE_KIND:
                report.problems.append("不是技改通的审计归档文件")
                return report
            report.header = header
            prev = header.get("prev_hash", "")
            expected = header.get("from_seq")
            for number, line in enumerate(fh, start=2):
                rec = json.loads(line)
                seq = rec.get("seq")
                if seq != expected:
                    report.problems.append(
                        f"第 {number} 行：应为第 {expected} 条记录，实为第 {seq} 条（有记录缺失）"
                    )
                if rec.get("prev_hash") != prev:
                    report.problems.append(f"第 {seq} 条：前序哈希与上一条记录不符")
                if audit.compute_hash(rec.get("prev_hash", ""), rec) != rec.get("hash"):
                    report.problems.append(f"第 {seq} 条：记录内容与其哈希不符（已被篡改，或密钥不同）")
                prev = rec.get("hash", "")
                expected = (seq or 0) + 1
                report.count += 1
                report.first_seq = seq if report.first_seq is None else report.first_seq
                report.last_seq, report.last_hash = seq, prev
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        report.problems.append(f"文件无法读取（{type(exc).__name__}）")
        return report
    if report.count != header.get("count") or report.last_seq != header.get("through_seq"):
        report.problems.append(
            f"文件头记载第 {header.get('from_seq')}–{header.get('through_seq')} 条共 {header.get('count')} 条，"
            f"实有 {report.count} 条（到第 {report.last_seq} 条）"
        )
    return report
