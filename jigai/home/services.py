"""Writes of the home app: reminders (`jigai remind`) and marking them read.

Reminders iterate the active users and ask the to-do registry for each one's items
(``jigai.core.todo.todos_for(user, day)``): the providers already know who acts on what, so no actor id is
carried in ``Todo.extra``. Each item becomes one :class:`Notification` per user and day (a unique
constraint); running the command twice a day sends nothing new. A notification keeps the item's title in
Chinese (as e-mailed and texted) and in English (for the English interface), both computed when it is
made: reminders are records of what was sent. E-mail and text messages are always in Chinese. E-mail (Django's SMTP settings) and the
intranet SMS gateway (an HTTP endpoint) are optional and off by default (docs/operator-guide.md); a
failure to send is counted and logged, never stops the run, and the in-app notification stands.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from jigai.accounts.models import User
from jigai.accounts.permissions import require
from jigai.core import audit, todo
from jigai.core.errors import NotFoundError

from .models import Notification

log = logging.getLogger(__name__)


@dataclass
class RemindResult:
    day: dt.date
    users: int = 0
    created: int = 0
    already: int = 0
    emails: int = 0
    texts: int = 0
    failures: list[str] = field(default_factory=list)


@transaction.atomic
def notification_read(*, user, notification_id: int, at: dt.datetime) -> Notification:
    """Mark one of the user's own notifications read; anyone else's answers as not found."""
    require(user, "notification.read")
    note = Notification.objects.select_for_update().filter(pk=notification_id, user=user).first()
    if note is None:
        raise NotFoundError("提醒不存在或无权访问")
    if not note.read:
        note.read, note.read_at = True, at
        note.save(update_fields=["read", "read_at"])
    return note


@transaction.atomic
def notifications_read_all(*, user, at: dt.datetime) -> int:
    require(user, "notification.read")
    count = 0
    # One save per row, so each change is in the audit log like any other.
    for note in Notification.objects.select_for_update().filter(user=user, read=False).order_by("id"):
        note.read, note.read_at = True, at
        note.save(update_fields=["read", "read_at"])
        count += 1
    return count


def remind(*, day: dt.date, at: dt.datetime, users=None) -> RemindResult:
    """Create today's notifications for every active user's to-do items, once per item and day, and send
    the new ones by e-mail and text message where those are switched on. ``day`` is the date the items
    are computed at (``jigai remind --date``); ``at`` the moment, read by the command."""
    result = RemindResult(day=day)
    people = users if users is not None else User.objects.filter(is_active=True).order_by("id")
    for user in people:
        result.users += 1
        with translation.override("zh-hans"):
            items = todo.todos_for(user, day)
        if not items:
            continue
        fresh = _notify(user=user, items=items, day=day, at=at, result=result)
        if fresh:
            with translation.override("zh-hans"):
                _send(user, fresh, day=day, result=result)
    audit.record(
        "reminders_sent",
        object_type="home.notification",
        message=(
            f"{day.isoformat()}：{result.users} 个用户，新提醒 {result.created} 条（已提醒过 {result.already} 条），"
            f"邮件 {result.emails} 封，短信 {result.texts} 条，发送失败 {len(result.failures)} 次"
        ),
    )
    return result


@transaction.atomic
def _notify(*, user, items: list[todo.Todo], day: dt.date, at: dt.datetime, result: RemindResult):
    done = set(Notification.objects.filter(user=user, day=day).values_list("key", flat=True))
    fresh: list[Notification] = []
    english: dict[str, str] | None = None
    for item in items:
        if item.key in done:
            result.already += 1
            continue
        if english is None:  # the same items' titles in English, computed once and only when needed
            with translation.override("en"):
                english = {t.key: t.title for t in todo.todos_for(user, day)}
        try:
            with transaction.atomic():  # a second `jigai remind` racing this one: the constraint decides
                note = Notification.objects.create(
                    user=user, key=item.key[:200], day=day, title=item.title[:300],
                    title_en=english.get(item.key, "")[:300], url=item.url[:500], due=item.due_date(), created=at,
                )  # fmt: skip
        except IntegrityError:
            result.already += 1
            continue
        done.add(item.key)
        fresh.append(note)
        result.created += 1
    return fresh


def _lines(notes: list[Notification]) -> list[str]:
    out = []
    for n in notes:
        due = f"（期限 {n.due.year}年{n.due.month}月{n.due.day}日）" if n.due else ""
        out.append(f"· {n.title}{due}")
    return out


def _send(user, notes: list[Notification], *, day: dt.date, result: RemindResult) -> None:
    name = user.display_name or user.username
    text = f"{name}，您在技改通有 {len(notes)} 项新的待办：\n" + "\n".join(_lines(notes))
    if getattr(settings, "JIGAI_REMIND_EMAIL", False) and user.email:
        try:
            send_mail(f"技改通待办提醒（{day.year}年{day.month}月{day.day}日）", text,
                      settings.DEFAULT_FROM_EMAIL, [user.email])  # fmt: skip
        except Exception as exc:  # any transport failure: counted, logged, the run goes on
            log.warning("reminder e-mail to %s failed: %s", user.username, exc)
            result.failures.append(f"邮件 {user.username}：{exc}")
        else:
            result.emails += 1
            _mark(notes, "emailed")
    url = getattr(settings, "JIGAI_REMIND_SMS_URL", "")
    if url:
        try:
            sms_send(url, {"username": user.username, "name": name, "text": text,
                           "keys": [n.key for n in notes], "day": day.isoformat()})  # fmt: skip
        except Exception as exc:
            log.warning("reminder text to %s failed: %s", user.username, exc)
            result.failures.append(f"短信 {user.username}：{exc}")
        else:
            result.texts += 1
            _mark(notes, "texted")


@transaction.atomic
def _mark(notes: list[Notification], flag: str) -> None:
    for n in notes:
        setattr(n, flag, True)
        n.save(update_fields=[flag])


def sms_send(url: str, payload: dict) -> None:
    """POST one message to the intranet SMS gateway as JSON (UTF-8). The gateway maps the account name to
    the person's mobile number from its own directory; any answer but 2xx is a failure."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"短信网关地址须以 http:// 或 https:// 开头：{url}")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    timeout = getattr(settings, "JIGAI_REMIND_SMS_TIMEOUT_SECONDS", 5)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the operator's URL
        if not 200 <= response.status < 300:
            raise OSError(f"短信网关返回 {response.status}")
