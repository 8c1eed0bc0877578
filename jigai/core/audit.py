"""The audit log: who did what, when, from where, with the record before and after.

Every change to business data goes through here, whatever the path (page, API, admin, import, command):
business models are registered with `track`, and their saves and deletes are recorded by signal
handlers, inside the same transaction as the change. Each record is chained to the previous one by
HMAC-SM3 (docs/security.md), so `jigai audit verify` finds a record edited or deleted behind the app's back.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .models import AuditEvent, AuditHead

__all__ = ["AuditEvent", "AuditHead", "record", "verify"]

GENESIS = "0" * 64


@dataclass
class Actor:
    """Who is acting and through which path; set at the edge (middleware, API auth, CLI)."""

    username: str = ""
    user_id: int | None = None
    role: str = ""
    ip: str = ""
    source: str = "system"
    source_detail: str = ""
    extra: dict = field(default_factory=dict)


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("jigai_audit_actor", default=None)


def current_actor() -> Actor:
    return _actor.get() or Actor()


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def actor_for_user(user, *, source: str, ip: str = "", source_detail: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(source=source, ip=ip, source_detail=source_detail)
    return Actor(
        username=user.get_username(),
        user_id=user.pk,
        role=getattr(user, "role", ""),
        ip=ip,
        source=source,
        source_detail=source_detail,
    )


def _clean(text: str, limit: int) -> str:
    # A newline in a username or file name cannot forge a log line (docs/security.md); a NUL, which
    # PostgreSQL cannot store in text, is written out too, so the record is kept, not refused.
    return str(text).replace("\r", "\\r").replace("\n", "\\n").replace("\x00", "\\x00")[:limit]


_PLAIN = frozenset({str, int, bool, float, type(None)})


def to_jsonable(value: Any) -> Any:
    t = type(value)
    if t in _PLAIN:  # the common case first: bulk imports pass tens of thousands of plain dicts
        return value
    if t is dict:
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN else to_jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def _key() -> bytes:
    key = getattr(settings, "JIGAI_AUDIT_KEY", "") or settings.SECRET_KEY
    return key.encode("utf-8")


CHAINED_FIELDS = (
    "seq", "at", "username", "user_id_ref", "role", "ip", "source", "source_detail", "event",
    "object_type", "object_id", "object_repr", "outcome", "before", "after", "message",
)  # fmt: skip


def _json_default(value: Any) -> Any:
    # The same values to_jsonable produces, for what json cannot encode by itself.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):  # datetimes included
        return value.isoformat()
    if isinstance(value, set):
        return list(value)
    if isinstance(value, models.Model):
        return value.pk
    raise TypeError(f"audit: cannot encode {type(value).__name__}")


_HMAC_BASES: dict[bytes, Any] = {}


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


def _utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _mac(prev_hash: str, body: str) -> str:
    key = _key()
    base = _HMAC_BASES.get(key)
    if base is None:
        base = _HMAC_BASES[key] = hmac.new(key, digestmod="sm3")
    mac = base.copy()
    mac.update((prev_hash + body).encode("utf-8"))
    return mac.hexdigest()


_SORTED_CHAINED = tuple(sorted(CHAINED_FIELDS))
_json_str = json.encoder.encode_basestring  # ensure_ascii=False string encoding, as _canonical uses


def compute_hash(prev_hash: str, fields: dict) -> str:
    """HMAC-SM3 over the previous hash and a canonical JSON of the chained fields."""
    payload = {name: fields.get(name) for name in CHAINED_FIELDS}
    at = payload["at"]
    if isinstance(at, dt.datetime):
        payload["at"] = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return _mac(prev_hash, _canonical(payload))


def head_mac(seq: int, digest: str, purged_seq: int, purged_hash: str) -> str:
    """The head's signature: moving it back over deleted records needs JIGAI_AUDIT_KEY (docs/security.md)."""
    return _mac("", f"jigai-audit-head|{seq}|{digest}|{purged_seq}|{purged_hash}")


def _advance_head(head: AuditHead, seq: int, digest: str, at: dt.datetime) -> None:
    """Move the locked head to the record just appended, signed; the first write a day after the last
    checkpoint takes the next one, published once the transaction commits (audit_checkpoint)."""
    from . import audit_checkpoint

    update = {"seq": seq, "hash": digest, "mac": head_mac(seq, digest, head.purged_seq, head.purged_hash)}
    if audit_checkpoint.due(head.checkpoint_at, at):
        update["checkpoint_at"] = at
        audit_checkpoint.publish_on_commit(
            audit_checkpoint.sign(seq=seq, digest=digest, at=at, reason="daily")
        )
    AuditHead.objects.filter(id=1).update(**update)


def record(
    event: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = "success",
    message: str = "",
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one record to the chain. Runs in the caller's transaction (or its own)."""
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        fields = {
            "seq": head.seq + 1,
            "at": at or timezone.now(),
            "username": _clean(actor.username, 150),
            "user_id_ref": actor.user_id,
            "role": actor.role,
            "ip": _clean(actor.ip, 64),
            "source": actor.source,
            "source_detail": _clean(actor.source_detail, 255),
            "event": event,
            "object_type": object_type,
            "object_id": _clean(object_id, 64),
            "object_repr": _clean(object_repr, 255),
            "outcome": outcome,
            "before": to_jsonable(before) if before is not None else None,
            "after": to_jsonable(after) if after is not None else None,
            "message": _clean(message, 500),
        }
        digest = compute_hash(head.hash, fields)
        ev = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
        _advance_head(head, fields["seq"], digest, fields["at"])
    return ev


AUDIT_COLUMNS = (*CHAINED_FIELDS, "prev_hash", "hash")


def record_many(entries: Iterable[dict], *, actor: Actor | None = None, at: dt.datetime | None = None) -> int:
    """Append many records under one lock of the chain head (bulk writes: imports, demo data).

    Each entry takes the keyword arguments of `record` (event, obj or object_type/object_id/object_repr,
    before, after, outcome, message); entries are consumed lazily. Rows go in with the fast bulk insert:
    the same fields and hashes as `record`, at a fraction of the cost. Returns the number appended.
    """
    from .bulk import fast_insert

    actor = actor or current_actor()
    common = {
        "at": at or timezone.now(),
        "username": _clean(actor.username, 150),
        "user_id_ref": actor.user_id,
        "role": actor.role,
        "ip": _clean(actor.ip, 64),
        "source": actor.source,
        "source_detail": _clean(actor.source_detail, 255),
    }
    # The body that compute_hash would build, assembled from parts: the fields shared by every record
    # are encoded once, and before/after are serialised once for both the hash and the stored JSON.
    encoded_common = {k: _canonical(v) for k, v in common.items() if k != "at"}
    encoded_common["at"] = _canonical(_utc_text(common["at"]))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        state = {"seq": head.seq, "prev": head.hash}

        def rows():
            for e in entries:
                obj = e.get("obj")
                state["seq"] += 1
                before, after = e.get("before"), e.get("after")
                before_json = _canonical(to_jsonable(before)) if before is not None else None
                after_json = _canonical(to_jsonable(after)) if after is not None else None
                fields = {
                    **common,
                    "seq": state["seq"],
                    "event": e["event"],
                    "object_type": e.get("object_type") or (obj._meta.label_lower if obj is not None else ""),
                    "object_id": _clean(e.get("object_id") or (str(obj.pk) if obj is not None else ""), 64),
                    "object_repr": _clean(e.get("object_repr") or (str(obj) if obj is not None else ""), 255),
                    "outcome": e.get("outcome", "success"),
                    "before": before_json,
                    "after": after_json,
                    "message": _clean(e.get("message", ""), 500),
                }
                enc = dict(encoded_common)
                enc["seq"] = str(fields["seq"])
                for k in ("event", "object_type", "object_id", "object_repr", "outcome", "message"):
                    enc[k] = _json_str(fields[k])  # what json.dumps writes for a str, at C speed
                enc["before"] = before_json or "null"
                enc["after"] = after_json or "null"
                body = "{" + ",".join(f'"{k}":{enc[k]}' for k in _SORTED_CHAINED) + "}"
                digest = _mac(state["prev"], body)
                fields["prev_hash"], fields["hash"] = state["prev"], digest
                state["prev"] = digest
                yield tuple(fields[c] for c in AUDIT_COLUMNS)

        first = head.seq
        fast_insert(AuditEvent, AUDIT_COLUMNS, rows(), raw=("before", "after"))
        if state["seq"] != first:
            _advance_head(head, state["seq"], state["prev"], common["at"])
    return state["seq"] - first


@dataclass
class VerifyProblem:
    seq: int | None
    reason: str


def verify(
    batch: int = 2000, *, through: int | None = None, checkpoints: Sequence[dict] = ()
) -> list[VerifyProblem]:
    """Walk the chain; report every record whose content, link or position is wrong.

    After a purge the chain starts at the head's anchor (the last purged record's seq and hash), and
    the anchor must be the one that the latest purge record states. ``through`` stops the walk at that
    seq (checking what a purge is about to archive); the head is then not compared. The head must carry
    its signature; ``checkpoints`` (signed, kept outside the database: audit_checkpoint) say how far the
    chain reached when each was taken, so records deleted from its end, the head moved back with them, or
    the whole table wiped are reported with what is missing."""
    problems: list[VerifyProblem] = []
    head = AuditHead.objects.filter(id=1).first()
    anchor_seq = head.purged_seq if head is not None else 0
    prev_hash = head.purged_hash if anchor_seq else GENESIS
    expected_seq = anchor_seq + 1
    if anchor_seq:
        problems.extend(_check_anchor(head))
    while through is None or expected_seq <= through:
        qs = AuditEvent.objects.filter(seq__gte=expected_seq)
        if through is not None:
            qs = qs.filter(seq__lte=through)
        rows = list(qs.order_by("seq", "id")[:batch])
        if not rows:
            break
        for ev in rows:
            if ev.seq != expected_seq:
                problems.append(
                    VerifyProblem(expected_seq, f"缺少第 {expected_seq}–{ev.seq - 1} 条记录（已被删除）")
                )
            if ev.prev_hash != prev_hash:
                problems.append(VerifyProblem(ev.seq, "前序哈希与上一条记录不符（链被截断或插入）"))
            fields = {name: getattr(ev, name) for name in CHAINED_FIELDS}
            if compute_hash(ev.prev_hash, fields) != ev.hash:
                problems.append(VerifyProblem(ev.seq, "记录内容与其哈希不符（已被篡改）"))
            prev_hash = ev.hash
            expected_seq = ev.seq + 1
    if through is not None:
        if expected_seq <= through:
            problems.append(
                VerifyProblem(expected_seq, f"缺少第 {expected_seq}–{through} 条记录（已被删除）")
            )
        return problems
    if head is None:
        if expected_seq > 1:
            problems.append(
                VerifyProblem(None, "链头缺失（被删除）：无法确认最后一条记录之后是否还有记录被删除")
            )
    elif head.seq != expected_seq - 1:
        problems.append(
            VerifyProblem(
                head.seq,
                f"链头记录到第 {head.seq} 条，实际只到第 {expected_seq - 1} 条（末尾记录被删除）",
            )
        )
    elif head.seq and head.hash != prev_hash:
        problems.append(VerifyProblem(head.seq, "链头哈希与最后一条记录不符"))
    # A head that was never advanced (fresh, empty chain) has no signature yet; any other must have one.
    if head is not None and (head.mac or head.seq or head.purged_seq):
        if not hmac.compare_digest(
            head.mac, head_mac(head.seq, head.hash, head.purged_seq, head.purged_hash)
        ):
            problems.append(
                VerifyProblem(head.seq, "链头签名不符（链头被改动，或 JIGAI_AUDIT_KEY 与写入时不同）")
            )
    if checkpoints:
        from . import audit_checkpoint

        problems.extend(audit_checkpoint.compare(checkpoints, head))
    return problems


PURGE_EVENT = "audit_purge"


def _check_anchor(head: AuditHead) -> list[VerifyProblem]:
    """The head's purge anchor must be what the latest purge record (itself chained) says."""
    last = AuditEvent.objects.filter(event=PURGE_EVENT).order_by("-seq").first()
    stated = (last.after or {}) if last is not None else {}
    if stated.get("through_seq") != head.purged_seq or stated.get("through_hash") != head.purged_hash:
        return [
            VerifyProblem(
                head.purged_seq,
                f"链头的清理位置（第 {head.purged_seq} 条）与最近一次清理记录不符（清理位置被改动）",
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Tracking business models through signals, so no path can change them unrecorded.

_TRACKED: dict[type[models.Model], tuple[str, ...]] = {}
_before: contextvars.ContextVar[dict | None] = contextvars.ContextVar("jigai_audit_before", default=None)


def snapshot(instance: models.Model, fields: tuple[str, ...] | None = None) -> dict:
    names = fields or _TRACKED.get(type(instance)) or ()
    data = {}
    for name in names:
        f = instance._meta.get_field(name)
        data[name] = to_jsonable(getattr(instance, f.attname))
    return data


def track(*, exclude: tuple[str, ...] = ()):
    """Class decorator: record every save and delete of this model in the audit log."""

    def wrap(model_cls):
        names = tuple(
            f.name for f in model_cls._meta.concrete_fields if f.name not in exclude and not f.primary_key
        )
        _TRACKED[model_cls] = names
        pre_save.connect(_on_pre_save, sender=model_cls, weak=False)
        post_save.connect(_on_post_save, sender=model_cls, weak=False)
        post_delete.connect(_on_post_delete, sender=model_cls, weak=False)
        return model_cls

    return wrap


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is not None:
        store = dict(_before.get() or {})
        store[(sender, instance.pk)] = snapshot(old)
        _before.set(store)


def _on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    store = dict(_before.get() or {})
    before = None if created else store.pop((sender, instance.pk), None)
    _before.set(store)
    after = snapshot(instance)
    if before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    record("create" if created else "update", obj=instance, before=before, after=after)


def _on_post_delete(sender, instance, **kwargs):
    record("delete", obj=instance, before=snapshot(instance), after=None)
