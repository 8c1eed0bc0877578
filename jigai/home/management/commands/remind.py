"""`jigai remind [--date D]`: today's reminders of every to-do item, once per item, user and day.

Run it daily (cron or a systemd timer, docs/operator-guide.md). ``--date`` computes the items as of
another day (a missed run caught up, a test); the notifications are stamped with that day.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.core import audit
from jigai.home import services


class Command(BaseCommand):
    help = "生成待办提醒（站内提醒，可选邮件和短信），每项每天至多一次"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算待办（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date：“{date}”不是日期，请写成 YYYY-MM-DD") from None
            if not 2000 <= day.year <= 2100:
                raise CommandError(f"--date：{day.year} 年不在 2000—2100 年之间")
        else:
            day = timezone.localdate()
        detail = f"jigai remind --date {day.isoformat()}"
        with audit.acting_as(audit.Actor(username="remind", source="command", source_detail=detail)):
            result = services.remind(day=day, at=timezone.now())
        self.stdout.write(
            f"{day.isoformat()}：检查 {result.users} 个用户，新提醒 {result.created} 条，"
            f"今天已提醒过 {result.already} 条；邮件 {result.emails} 封，短信 {result.texts} 条。"
        )
        for failure in result.failures:
            self.stderr.write(f"发送失败：{failure}")
