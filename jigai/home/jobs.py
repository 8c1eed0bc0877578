"""Today's reminders (``jigai remind``) as a background job (kind "remind"), started from the job list
by the office: the same ``services.remind`` run, at most once per item, user and day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.jobs import kinds

from . import services


def _from_form(data, user) -> tuple[dict, str]:
    day = timezone.localdate()
    return {"day": day.isoformat()}, f"{day:%Y年%-m月%-d日}的待办提醒"


def _run(job, progress) -> dict:
    require(job.user, "job.remind")
    day = dt.date.fromisoformat(job.params["day"])
    progress(0, 1, "正在计算每个用户的待办并发送提醒")
    result = services.remind(day=day, at=timezone.now())
    failures = [str(f) for f in result.failures]
    return {
        "message": f"{day:%Y年%-m月%-d日}：检查 {result.users} 个用户，新提醒 {result.created} 条，"
        f"今天已提醒过 {result.already} 条；邮件 {result.emails} 封，短信 {result.texts} 条。",
        "issues": [f"发送失败：{f}" for f in failures[:200]],
        "issues_total": len(failures),
    }


def register() -> None:
    kinds.register(
        kinds.Kind(
            name="remind",
            title="发送待办提醒",
            operation="job.remind",
            run=_run,
            from_form=_from_form,
            on_list=True,
        )
    )
