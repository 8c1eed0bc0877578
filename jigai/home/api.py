"""/api/v1/home: the user's to-do items and reminders, with the same permissions as the pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from jigai.accounts.permissions import guard
from jigai.core import todo
from jigai.core.errors import ValidationError
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut

from . import services
from .models import Notification

router = Router(tags=["待办与提醒"])


class TodoOut(Schema):
    key: str
    title: str
    url: str
    step: str
    actor: str
    unit_code: str | None
    since: dt.date
    due: dt.date | None
    overdue: bool
    detail: str


class TodoPage(Schema):
    date: dt.date
    count: int
    overdue: int
    items: list[TodoOut]


class NotificationOut(Schema):
    id: int
    key: str
    day: dt.date
    title: str  # Chinese, as e-mailed and texted
    title_en: str  # the same in English ("" for a reminder made before English titles were kept)
    url: str
    due: dt.date | None
    created: dt.datetime
    read: bool

    @staticmethod
    def from_model(n: Notification) -> dict:
        return {"id": n.pk, "key": n.key, "day": n.day, "title": n.title, "title_en": n.title_en, "url": n.url, "due": n.due,
                "created": n.created, "read": n.read}  # fmt: skip


class NotificationPage(Schema):
    unread: int
    items: list[NotificationOut]


@router.get(
    "/todos", response={200: TodoPage, 400: ErrorOut}, summary="我的待办（可按日期 date=YYYY-MM-DD 查看）"
)
@guard("todo.view")
def list_todos(request, date: dt.date | None = None):
    day = date or timezone.localdate()
    if not 2000 <= day.year <= 2100:
        raise ValidationError({"date": [f"日期须在 2000—2100 年之间，而不是 {day.year} 年"]})
    items = todo.todos_for(request.user, day)
    rows = [
        {"key": t.key, "title": t.title, "url": t.url, "step": t.step, "actor": t.actor, "unit_code": t.unit_code,
         "since": t.since, "due": t.due_date(), "overdue": t.overdue_on(day), "detail": t.detail}
        for t in items
    ]  # fmt: skip
    return {"date": day, "count": len(rows), "overdue": sum(r["overdue"] for r in rows), "items": rows}


@router.get("/notifications", response=NotificationPage, summary="我的提醒（最近 200 条）")
@guard("notification.view")
def list_notifications(request):
    qs = Notification.objects.filter(user=request.user)
    items = qs.order_by("-day", "-created", "-id")[:200]
    return {"unread": qs.filter(read=False).count(), "items": [NotificationOut.from_model(n) for n in items]}


@router.post(
    "/notifications/{int:pk}/read",
    response={200: NotificationOut, 404: ErrorOut},
    summary="将一条提醒标为已读",
)
@guard("notification.read")
def read_notification(request, pk: Id):
    note = services.notification_read(user=request.user, notification_id=pk, at=timezone.now())
    return NotificationOut.from_model(note)
