"""Signed checkpoints of the audit chain, kept outside the database (docs/security.md, 安全审计).

The chain (audit.py) shows a record edited or removed from its middle, but records removed from its end
together with the head, or a wiped table, leave a chain that is still whole. A checkpoint states how far
the chain reached at a moment: the seq and hash of its last record and the time, signed with HMAC-SM3
under JIGAI_AUDIT_KEY. Each is appended as one JSON line to a file the operator keeps apart from the
database (``JIGAI_AUDIT_CHECKPOINT_FILE``: another disk or host, append-only) and, if configured, sent to
syslog (``JIGAI_AUDIT_CHECKPOINT_SYSLOG``); ``jigai audit verify`` compares the database with them.

One is taken by ``jigai audit checkpoint`` (run daily by a timer, docs/operator-guide.md), by the first
audit write 24 h after the last one, and with every backup (in its manifest), published bulletin (in its
record), purge and restore. A restore starts the chain again from the backup's state: its checkpoint says
so, and the checkpoints written before it are no longer compared.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import logging.handlers
import os
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import audit
from .models import AuditEvent, AuditHead

__all__ = ["CheckpointError", "compare", "load", "publish", "sign", "take", "valid"]

KIND = "jigai-audit-checkpoint"
INTERVAL = dt.timedelta(hours=24)
RESTORE = "restore"
_SIGNED = ("kind", "seq", "hash", "at", "reason")

logger = logging.getLogger(__name__)


class CheckpointError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _signature(cp: dict) -> str:
    return audit._mac("", "jigai-audit-checkpoint|" + audit._canonical({k: cp[k] for k in _SIGNED}))


def sign(*, seq: int, digest: str, at: dt.datetime, reason: str) -> dict:
    cp = {"kind": KIND, "seq": int(seq), "hash": digest, "at": audit._utc_text(at), "reason": reason}
    cp["sig"] = _signature(cp)
    return cp


def valid(cp: object) -> bool:
    """A checkpoint signed with the current key (so written by this platform, not by hand)."""
    if not isinstance(cp, dict) or cp.get("kind") != KIND or not isinstance(cp.get("sig"), str):
        return False
    if type(cp.get("seq")) is not int or not all(
        isinstance(cp.get(k), str) for k in ("hash", "at", "reason")
    ):
        return False
    return hmac.compare_digest(cp["sig"], _signature(cp))


def line(cp: dict) -> str:
    return json.dumps(cp, ensure_ascii=False, sort_keys=True)


def when(cp: dict) -> str:
    try:
        at = dt.datetime.strptime(cp["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except (KeyError, TypeError, ValueError):
        return str(cp.get("at"))
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def describe(cp: dict) -> str:
    return f"{when(cp)} 第 {cp.get('seq')} 条"


def _file() -> Path | None:
    name = getattr(settings, "JIGAI_AUDIT_CHECKPOINT_FILE", "")
    return Path(name) if name else None


def _syslog_address() -> str:
    return getattr(settings, "JIGAI_AUDIT_CHECKPOINT_SYSLOG", "")


def configured() -> bool:
    return _file() is not None or bool(_syslog_address())


def due(last_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a write at ``now`` takes the daily checkpoint (never when none can be kept)."""
    return configured() and (last_at is None or now - last_at >= INTERVAL)


def take(*, now: dt.datetime, reason: str) -> dict:
    """Sign the head as it stands (in the caller's transaction, if any) and remember when."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            return sign(seq=0, digest=audit.GENESIS, at=now, reason=reason)
        if head.checkpoint_at is None or now > head.checkpoint_at:  # a back-dated one does not reset the day
            AuditHead.objects.filter(id=1).update(checkpoint_at=now)
        return sign(seq=head.seq, digest=head.hash, at=now, reason=reason)


def publish(cp: dict, *, to: Path | None = None) -> list[str]:
    """Append the checkpoint to ``to`` (or the configured file) and send it to the configured syslog.
    Returns where it went; raises CheckpointError when it could not be kept anywhere asked."""
    path = Path(to) if to else _file()
    text = line(cp)
    kept = []
    if path is not None:
        try:
            _append(path, text)
        except OSError as exc:
            raise CheckpointError(f"审计检查点无法写入 {path}：{exc.strerror or exc}") from exc
        kept.append(str(path))
    address = _syslog_address()
    if address:
        try:
            _syslog(address, text)
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"审计检查点无法发送到 syslog {address}：{exc}") from exc
        kept.append(f"syslog {address}")
    if not kept:
        raise CheckpointError(
            "没有配置审计检查点的存放位置：请设置 JIGAI_AUDIT_CHECKPOINT_FILE 或 JIGAI_AUDIT_CHECKPOINT_SYSLOG，"
            "或用 --to 指定文件"
        )
    return kept


def publish_on_commit(cp: dict) -> None:
    """Publish once the records it names are committed; a checkpoint of a rolled-back write would
    otherwise report records as deleted that never existed."""
    if not configured():
        return

    def run():
        try:
            publish(cp)
        except CheckpointError as exc:  # the write itself succeeded; the next checkpoint is a day away
            logger.error("audit checkpoint not kept: %s", exc.message)

    transaction.on_commit(run)


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Append-only and owner-only; one write of one short line, so concurrent writers never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (text + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog(address: str, text: str) -> None:
    if address.startswith("/"):
        target: str | tuple[str, int] = address
    else:
        host, sep, port = address.rpartition(":")
        target = (host, int(port)) if sep else (address, 514)
    handler = logging.handlers.SysLogHandler(
        address=target, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        handler.emit(
            logging.makeLogRecord({"msg": f"jigai-audit-checkpoint: {text}", "levelno": logging.INFO})
        )
    finally:
        handler.close()


def load(path: Path) -> tuple[list[dict], list[str]]:
    """The valid checkpoints in a file, in the order written, and what is wrong with the other lines.
    A line may carry a syslog prefix: the checkpoint is the JSON from its first ``{``."""
    good, bad = [], []
    with open(path, encoding="utf-8") as fh:
        for number, text in enumerate(fh, start=1):
            start = text.find("{")
            if not text.strip():
                continue
            try:
                cp = json.loads(text[start:]) if start >= 0 else None
            except ValueError:
                cp = None
            if not isinstance(cp, dict) or cp.get("kind") != KIND:
                bad.append(f"检查点文件 {path} 第 {number} 行不是审计检查点")
            elif not valid(cp):
                bad.append(
                    f"检查点文件 {path} 第 {number} 行签名不符（被改动或伪造，或 JIGAI_AUDIT_KEY 与写入时不同）"
                )
            else:
                good.append(cp)
    return good, bad


def current(checkpoints: Sequence[dict]) -> list[dict]:
    """The checkpoints since the last restore (inclusive): those the database must still agree with."""
    start = max((i for i, cp in enumerate(checkpoints) if cp["reason"] == RESTORE), default=0)
    return list(checkpoints[start:])


def compare(checkpoints: Sequence[dict], head: AuditHead | None) -> list[audit.VerifyProblem]:
    """What the database lacks that the checkpoints say it had."""
    cps = current(checkpoints)
    if not cps:
        return []
    problems: list[audit.VerifyProblem] = []
    top = max(cps, key=lambda cp: cp["seq"])
    purged_seq = head.purged_seq if head is not None else 0
    last = AuditEvent.objects.aggregate(last=Max("seq"))["last"]
    reached = max(last or 0, purged_seq)
    stated = f"检查点（{when(top)}）记载到第 {top['seq']} 条"
    if top["seq"] > reached:
        missing = f"第 {reached + 1} 条" if reached + 1 == top["seq"] else f"第 {reached + 1}–{top['seq']} 条"
        if last is None:
            gone = "审计记录表是空的" + ("，链头也已删除" if head is None else "")
            reason = f"{gone}，{stated}：{missing}记录全部缺失（整表被清空）"
        else:
            reason = f"{stated}，库中只到第 {last} 条：{missing}记录缺失（末尾记录被删除）"
        problems.append(audit.VerifyProblem(reached + 1, reason))
    if head is not None and head.seq < top["seq"]:
        problems.append(audit.VerifyProblem(head.seq, f"链头在第 {head.seq} 条，{stated}（链头被退回）"))
    # Each checkpoint still inside the kept chain must name the record that is there now.
    seqs = sorted({cp["seq"] for cp in cps if cp["seq"] > purged_seq})
    hashes: dict[int, str] = {}
    for i in range(0, len(seqs), 500):
        hashes.update(AuditEvent.objects.filter(seq__in=seqs[i : i + 500]).values_list("seq", "hash"))
    if purged_seq:
        hashes[purged_seq] = head.purged_hash
    for cp in cps:
        actual = hashes.get(cp["seq"])
        if actual is not None and actual != cp["hash"]:
            problems.append(
                audit.VerifyProblem(
                    cp["seq"],
                    f"第 {cp['seq']} 条记录的哈希与检查点（{describe(cp)}）不符（记录被改写，或链被重建）",
                )
            )
    return problems
