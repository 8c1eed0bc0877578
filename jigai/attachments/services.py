"""Writes of attachments: store one, delete one (soft). Keyword-only, atomic, audited
(docs/architecture.md); "now" comes from the edge.

A stored file is refused unless its content is PDF, JPEG, PNG, .xlsx or .docx (``content.sniff``) and its
size within ``JIGAI_ATTACHMENT_MAX_BYTES``; the owner's ``can_attach`` rule (``registry``) decides who may
add or remove a file of that record.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext

from jigai.accounts.permissions import not_found, require
from jigai.core import audit
from jigai.core.errors import ConflictError, ValidationError

from . import storage
from .content import ContentRefused, sniff
from .models import Attachment, Kind
from .registry import rules_for

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')


def clean_name(name: str) -> str:
    """The uploaded name for display: no directory part, no control or quoting characters, at most 200
    characters (keeping the suffix); an empty name becomes 附件."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 190 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else name[:200]
    return name or "附件"


def _human(n: int) -> str:
    mb = 1024 * 1024
    return f"{n / mb:.1f} MB" if n >= mb else f"{n / 1024:.0f} KB"


def _chunks(upload):
    if hasattr(upload, "chunks"):
        if hasattr(upload, "seek"):
            upload.seek(0)
        yield from upload.chunks()
        return
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        yield chunk


@transaction.atomic
def attachment_store(*, user, owner: models.Model, kind: str, upload, at: dt.datetime) -> Attachment:
    """Store ``upload`` (a Django UploadedFile, or any binary file object with a ``name``) as an
    attachment of ``owner``. Refused with a Chinese message on ``upload`` when its content is not an
    accepted type or it is too large, on ``kind`` for an unknown kind."""
    require(user, "attachment.upload")
    rules = rules_for(owner)
    if rules is None or owner.pk is None or not rules.can_view(user, owner):
        raise not_found(type(owner), owner.pk or 0, gettext("所属记录不存在或无权访问"))
    if not rules.can_attach(user, owner):
        raise ConflictError(gettext("该记录当前不能由您添加附件（已提交或无权修改）"))
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [gettext("未知的附件类别：%(kind)s") % {"kind": kind}]
    if upload is None:
        errors["upload"] = [gettext("请选择要上传的文件")]
    if errors:
        raise ValidationError(errors)
    limit = storage.max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(
            {
                "upload": [
                    gettext("文件过大（%(size)s），附件不能超过 %(limit)s")
                    % {"size": _human(declared), "limit": _human(limit)}
                ]
            }
        )
    if declared == 0:
        raise ValidationError({"upload": [gettext("文件是空的")]})
    try:
        file_type = sniff(upload)
    except ContentRefused as exc:
        raise ValidationError({"upload": [exc.message]}) from exc
    try:
        stored, size, sha = storage.write(_chunks(upload), limit=limit)
    except storage.TooLarge as exc:
        raise ValidationError(
            {"upload": [gettext("文件过大，附件不能超过 %(limit)s") % {"limit": _human(limit)}]}
        ) from exc
    if size == 0:
        storage.remove(stored)
        raise ValidationError({"upload": [gettext("文件是空的")]})
    # The database row follows the file; if the caller's transaction is later rolled back, the file is an
    # orphan that `jigai attachments check` reports (it is never served: no row names it).
    try:
        attachment = Attachment.objects.create(
            owner_type=ContentType.objects.get_for_model(type(owner), for_concrete_model=False),
            owner_id=owner.pk,
            kind=kind,
            original_name=clean_name(getattr(upload, "name", "") or ""),
            stored_name=stored,
            file_type=file_type,
            size=size,
            sha256=sha,
            uploaded_by=user,
            uploaded_at=at,
        )
    except BaseException:
        storage.remove(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment, reason: str, at: dt.datetime) -> Attachment:
    """Withdraw an attachment (soft: the row and the file stay, for the audit trail; it is no longer
    listed or served). Needs the owner's ``can_attach`` rule and a reason."""
    require(user, "attachment.upload")
    current = Attachment.objects.select_for_update().get(pk=attachment.pk)
    owner = current.owner
    rules = rules_for(owner) if owner is not None else None
    if rules is None or not rules.can_view(user, owner):
        raise not_found(Attachment, current.pk, gettext("附件不存在或无权访问"))
    if current.deleted_at is not None:
        raise ConflictError(gettext("该附件已删除"))
    if not rules.can_attach(user, owner):
        raise ConflictError(gettext("该记录当前不能由您删除附件（已提交或无权修改）"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("请填写删除原因")]})
    current.deleted_at = at
    current.deleted_by = user
    current.deleted_reason = reason[:500]
    current.save(update_fields=["deleted_at", "deleted_by", "deleted_reason"])
    audit.record(
        "attachment_delete",
        obj=current,
        after={"reason": current.deleted_reason, "sha256": current.sha256},
        message=f"删除附件 {current.original_name}：{current.deleted_reason}",
        at=at,
    )
    return current
