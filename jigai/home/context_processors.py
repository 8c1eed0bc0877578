"""The header's to-do count and unread reminders, computed only when a page shows them."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from jigai.accounts.permissions import can
from jigai.core import todo

from .models import Notification


def todo_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can(user, "todo.view"):
        return {}

    def count() -> int:
        return len(todo.todos_for(user, timezone.localdate()))

    def unread() -> int:
        return Notification.objects.filter(user=user, read=False).count()

    return {"todo_count": SimpleLazyObject(count), "unread_count": SimpleLazyObject(unread)}
