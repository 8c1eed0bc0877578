"""``jigai notices close --date YYYY-MM-DD --user NAME``: end every notice whose objection period has
passed on that date (a date given, not the clock), as that user (the programme office)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jigai.accounts.models import User
from jigai.core import audit
from jigai.core.edges import record_denial
from jigai.core.errors import DomainError, PermissionDeniedError
from jigai.notices import services


class Command(BaseCommand):
    help = "结束公示期已满的公示：无异议的事项转为待拨付（按给定日期，不看系统时钟）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close"])
        parser.add_argument("--date", required=True, help="以哪一天为准（YYYY-MM-DD）")
        parser.add_argument("--user", required=True, help="执行人（州项目办用户名）")

    def handle(self, *args, action, date, user, **options):
        try:
            on = dt.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        actor = User.objects.filter(username__iexact=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户不存在或已停用：{user}")
        done = 0
        with audit.acting_as(
            audit.actor_for_user(actor, source="command", source_detail=f"jigai notices close --date {on}")
        ):
            for notice in services.notices_due(on):
                try:
                    n = services.notice_end(user=actor, notice=notice, on=on, at=timezone.now())
                except PermissionDeniedError as exc:
                    record_denial("jigai notices close", exc)
                    raise CommandError(exc.message) from exc
                except DomainError as exc:
                    raise CommandError(f"{notice.ref}：{exc.message}") from exc
                done += 1
                self.stdout.write(f"{n.ref} 已结束")
        self.stdout.write(f"共结束 {done} 个公示")
