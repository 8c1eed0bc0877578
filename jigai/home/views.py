"""Every role's home page (首页), the to-do list (待办) and the reminders (提醒)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import guard
from jigai.core import todo

from . import selectors, services
from .models import Notification


def _as_of(request) -> dt.date:
    """``?date=YYYY-MM-DD``: the page as it stood that day (2000–2100); else today."""
    today = timezone.localdate()
    raw = request.GET.get("date", "")
    if not raw:
        return today
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            gettext("日期“%(text)s”无法识别，请写成 2021-01-31 这样的形式；已按今天显示。")
            % {"text": raw[:20]},
        )
        return today
    if not 2000 <= day.year <= 2100:
        messages.error(
            request,
            gettext("日期须在 2000—2100 年之间，而不是 %(year)s 年；已按今天显示。") % {"year": day.year},
        )
        return today
    return day


@guard("home.view")
def index(request):
    today = _as_of(request)
    page = selectors.home_for(request.user, today)
    return render(request, "home/index.html", {
        "home": page, "today": today, "todos": page.todos[:10], "more": max(len(page.todos) - 10, 0),
        "asked": "date" in request.GET, "unread": _unread(request.user).count(),
    })  # fmt: skip


@guard("todo.view")
def todo_list(request):
    today = _as_of(request)
    items = todo.todos_for(request.user, today)
    soon = today + dt.timedelta(days=SOON_DAYS)
    rows = []
    for t in items:
        due = t.due_date()
        rows.append(
            {"item": t, "due": due, "overdue": t.overdue_on(today), "soon": due is not None and due <= soon}
        )
    return render(request, "home/todo.html", {
        "rows": rows, "today": today, "overdue": sum(1 for r in rows if r["overdue"]), "asked": "date" in request.GET,
    })  # fmt: skip


# An item due within this many days is marked 即将到期 (amber); later ones are plain 待办.
SOON_DAYS = 3


def _unread(user):
    return Notification.objects.filter(user=user, read=False).order_by("-created", "-id")


@guard("notification.view")
def notifications(request):
    notes = list(
        Notification.objects.filter(user=request.user).order_by("-day", "read", "-created", "-id")[:200]
    )
    english = (translation.get_language() or "").startswith("en")
    for n in notes:
        # The title as stored in either language (a reminder is a record of what was sent); one stored
        # before English titles were kept shows its Chinese, marked as such.
        n.shown_title = (n.title_en or n.title) if english else n.title
        n.shown_lang = "zh-Hans" if english and not n.title_en else ""
    return render(request, "home/notifications.html", {"notes": notes})


@require_POST
@guard("notification.read")
def notification_read(request, pk: int):
    note = services.notification_read(user=request.user, notification_id=pk, at=timezone.now())
    if request.POST.get("go") and note.url.startswith("/"):
        return redirect(note.url)
    return redirect("home:notifications")


@require_POST
@guard("notification.read")
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user, at=timezone.now())
    messages.success(request, gettext("已将 %(count)s 条提醒标为已读。") % {"count": count})
    return redirect("home:notifications")
