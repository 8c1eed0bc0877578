"""The document-number register (发文登记): every 发文字号 the platform issues is handed out here, once.

``next_document_number`` is the one way to take a number, for every kind of document (月通报, 约谈通知,
联席会议材料, 验收意见 …) and every app. The issuer's counter row for the year is locked
(``SELECT … FOR UPDATE``) while the next serial is taken, and the register's unique constraint on
(issuer, year, serial) refuses a second holder even if a counter were bypassed, so two offices
publishing at the same moment on PostgreSQL get two numbers. A number taken inside a transaction that
rolls back is given back with it; one taken and committed is never reused, even if its document is later
corrected (a correction takes its own number).

The caller's service checks the user's permission first (core knows no roles); the register records who
took the number and the audit log records the taking.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max

from . import audit
from .errors import ValidationError
from .models import DocumentNumber, DocumentNumberCounter

Kind = DocumentNumber.Kind


def _person(user) -> str:
    if user is None:
        return ""
    name = getattr(user, "display_name", "") or ""
    return name or user.get_username()


@transaction.atomic
def next_document_number(
    *,
    issuer: str,
    year: int,
    kind: str,
    at: dt.datetime,
    user,
    title: str = "",
    issue_date: dt.date | None = None,
    obj=None,
    ref: tuple[str, str] | None = None,
) -> DocumentNumber:
    """Take the next 发文字号 of ``issuer`` for ``year`` and enter it in the register."""
    issuer = (issuer or "").strip()
    if not issuer:
        raise ValidationError({"issuer": ["请设置发文机关代字"]})
    if kind not in Kind.values:
        raise ValidationError({"kind": [f"未知的文种：{kind}"]})
    year = int(year)
    if not 1900 <= year <= 9999:
        raise ValidationError({"year": ["发文年份不正确"]})
    object_type, object_id = _ref(obj, ref)
    counter = DocumentNumberCounter.objects.select_for_update().filter(issuer=issuer, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                DocumentNumberCounter.objects.create(issuer=issuer, year=year, last=0)
        except IntegrityError:
            pass  # created a moment ago by a concurrent caller; lock theirs
        object_type, object_id = _ref(obj, ref)
    counter = DocumentNumberCounter.objects.select_for_update().get(issuer=issuer, year=year)
    # Numbers entered before the counter existed (or by hand) are never handed out again.
    registered = DocumentNumber.objects.filter(issuer=issuer, year=year).aggregate(m=Max("serial"))["m"] or 0
    serial = max(counter.last, registered) + 1
    counter.last = serial
    counter.save(update_fields=["last"])
    try:
        with transaction.atomic():
            entry = DocumentNumber.objects.create(
                issuer=issuer, year=year, serial=serial, kind=kind, title=(title or "")[:200],
                issue_date=issue_date, at=at, by_name=_person(user),
                object_type=object_type, object_id=object_id,
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError("文号刚刚被占用，请重试") from exc
    audit.record(
        "document_number",
        obj=entry,
        after={"number": entry.text, "kind": kind, "title": entry.title},
        message=f"登记发文字号 {entry.text}（{entry.get_kind_display()}）",
    )
    return entry


def _ref(obj, ref: tuple[str, str] | None) -> tuple[str, str]:
    if obj is not None:
        return obj._meta.label_lower, str(obj.pk)
    return ref or ("", "")


def number_of(kind: str, *, obj=None, ref: tuple[str, str] | None = None) -> DocumentNumber | None:
    """The number registered for a record (an acceptance's opinion, a quarter's meeting pack), if any."""
    object_type, object_id = _ref(obj, ref)
    return (
        DocumentNumber.objects.filter(kind=kind, object_type=object_type, object_id=object_id)
        .order_by("id")
        .first()
    )


def register(*, year: int | None = None, issuer: str | None = None):
    qs = DocumentNumber.objects.all()
    if year:
        qs = qs.filter(year=year)
    if issuer:
        qs = qs.filter(issuer=issuer)
    return qs.order_by("-year", "issuer", "-serial", "-id")
