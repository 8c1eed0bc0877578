"""To-do items of the interviews (约谈, 4.3; docs/programme.md, reading 12).

A case waits on the office to send the notice (待通知), then to record the interview (已通知); then on the
county to report its rectification (整改报告) by the deadline the record set (已约谈); then on the office
to close it (已报整改). The notice, record and closing steps have time limits in working days
(``DEFAULT_DEADLINES`` in jigai/core/todo.py); the rectification's deadline is the record's own date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import Role
from jigai.core.todo import Todo, provider
from jigai.dispatch.periods import BEIJING

from .models import CaseStatus, InterviewCase

OFFICE = _("州经信委（领导小组办公室）")
STEPS = {
    CaseStatus.OPEN: ("interview.notify", _("印发约谈通知")),
    CaseStatus.NOTIFIED: ("interview.record", _("登记约谈记录")),
    CaseStatus.HELD: ("interview.follow_up", _("报送约谈整改情况")),
    CaseStatus.FOLLOWED_UP: ("interview.close", _("审核整改情况并办结约谈")),
}
OFFICE_STATUSES = {CaseStatus.OPEN, CaseStatus.NOTIFIED, CaseStatus.FOLLOWED_UP}


def _date(at: dt.datetime) -> dt.date:
    return at.astimezone(BEIJING).date()


@provider
def interview_steps(user, today: dt.date):
    if user is None:
        statuses = set(STEPS)
        qs = InterviewCase.objects.all()
    elif user.role == Role.OFFICE:
        statuses, qs = OFFICE_STATUSES, InterviewCase.objects.all()
    elif user.role == Role.CLERK:
        statuses, qs = {CaseStatus.HELD}, InterviewCase.objects.filter(region_id=user.region_id)
    else:
        return
    qs = (
        qs.filter(status__in=statuses)
        .select_related("region", "record")
        .prefetch_related("follow_ups")
        .order_by("year", "end_month", "region__sort_order", "id")
    )
    for case in qs:
        # A case opened after the date asked about did not exist yet.
        if _date(case.created_at) > today:
            continue
        step, verb = STEPS[case.status]
        record = getattr(case, "record", None) if case.status != CaseStatus.OPEN else None
        due = None
        if case.status == CaseStatus.OPEN:
            since = _date(case.created_at)
        elif case.status == CaseStatus.NOTIFIED:
            since = case.notice_date or _date(case.created_at)
        elif case.status == CaseStatus.HELD and record is not None:
            since, due = record.held_date, record.follow_up_deadline_date
        else:
            reports = [f.reported_date for f in case.follow_ups.all()]
            since = max(reports) if reports else _date(case.created_at)
        if case.status == CaseStatus.HELD:
            actor = gettext("%(unit)s人民政府") % {"unit": case.region.name}
        else:
            actor = str(OFFICE)
        yield Todo(
            key=f"assessment.interview.{case.pk}.{step.split('.')[1]}",
            title=gettext("%(step)s：%(unit)s（%(level)s，%(year)s年%(month)s月期末排名）") % {
                "step": verb, "unit": case.region.name, "level": case.get_level_display(),
                "year": case.year, "month": case.end_month,
            },
            url=reverse("assessment:case_detail", args=[case.pk]),
            step=step, since=since, due=due, actor=actor, unit_code=case.region.code,
            detail=str(case.get_status_display()), extra={"case_id": case.pk, "region_id": case.region_id},
        )  # fmt: skip
