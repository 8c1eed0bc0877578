"""Demo reminders (``jigai demo``): today's run of `jigai remind`, so every user with something to do
finds it in the header and on the reminders page; the oldest one of each user is already read."""

from __future__ import annotations

from django.utils import timezone

from . import services
from .models import Notification


def build(*, now) -> dict:
    result = services.remind(day=timezone.localtime(now).date(), at=now)
    firsts = {}
    for note in Notification.objects.order_by("user_id", "id"):
        firsts.setdefault(note.user_id, note)
    for note in firsts.values():
        services.notification_read(user=note.user, notification_id=note.pk, at=now)
    return {"notifications": result.created}
