"""In-app reminders (提醒): one notification per user, to-do item and day (`jigai remind`)."""

from django.conf import settings
from django.db import models

from jigai.core.audit import track


@track()
class Notification(models.Model):
    """A to-do item brought to its actor's attention on one day. The item itself is computed from the
    records' state (jigai.core.todo); the notification only says it was sent, when and whether it was read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField("待办事项标识", max_length=200)
    day = models.DateField("提醒日期")
    title = models.CharField("标题", max_length=300)  # Chinese: as e-mailed and texted
    # The same title in English, computed when the reminder was made, for the English interface.
    title_en = models.CharField("英文标题", max_length=300, blank=True, default="")
    url = models.CharField("链接", max_length=500)
    due = models.DateField("办理期限", null=True, blank=True)
    created = models.DateTimeField("提醒时间")
    read = models.BooleanField("已读", default=False)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)
    texted = models.BooleanField("已发短信", default=False)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        constraints = [
            # At most once per item and day, whoever runs `jigai remind` and however often.
            models.UniqueConstraint(fields=["user", "key", "day"], name="notification_once_per_item_and_day"),
        ]
        indexes = [models.Index(fields=["user", "read"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.key}"
