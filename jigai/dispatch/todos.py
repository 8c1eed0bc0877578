"""To-do items of the monthly dispatch (月调度, 4.2): the month's progress reports, due on the 5th.

From the first day of a month, every project under construction in the month before reports that month
by the deadline day (``Month.deadline_date``, the programme's ``4.2.report_deadline_day``). A county clerk's
item names their unit's projects not yet reported; an enterprise user's, its own. The item disappears as
soon as the last report is in, and at the next month's start the month's misses are the accountability
list's (jigai/assessment/accountability.py, ``dispatch_reports``), not a to-do any more.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.core.todo import Todo, provider
from jigai.registry.models import Project

from .periods import BEIJING, FIRST_YEAR, Month
from .selectors import due_projects, report_states

STEP = "dispatch.report"


def _unreported(month: Month, today: dt.date, *, region_ids=None, projects=None) -> dict[int, int]:
    lines = due_projects(month, region_ids=region_ids, projects=projects)
    if not lines:
        return {}
    now = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)
    out: dict[int, int] = {}
    for st in report_states(month, lines, now=now):
        if st.status in ("missing", "pending"):
            out[st.line.region_id] = out.get(st.line.region_id, 0) + 1
    return out


def _due_text(day: dt.date) -> str:
    return gettext("截止 %(day)s") % {"day": date_format(day, gettext("Y年n月j日"))}


@provider
def monthly_reports(user, today: dt.date):
    """The month just ended: one item per unit (the clerk's) or per enterprise (its own projects)."""
    if today.year <= FIRST_YEAR and today.month == 1:
        return
    month = Month.of(today).previous
    url = reverse("dispatch:month_entry", args=[month.year, month.month])
    base = {"step": STEP, "since": month.next.first_day, "due": month.deadline_date(), "url": url}
    if user is not None and user.role == Role.ENTERPRISE:
        if not user.credit_code:
            return
        scope = Project.objects.filter(enterprise__credit_code=user.credit_code)
        missing = sum(_unreported(month, today, projects=scope).values())
        if missing:
            yield Todo(
                key=f"dispatch.report.{user.credit_code}.{month.key}",
                title=gettext("报送%(year)s年%(month)s月项目月调度：本企业 %(count)s 个项目未报")
                % {"year": month.year, "month": month.month, "count": missing},
                actor=gettext("企业"), detail=_due_text(base["due"]), extra={"count": missing}, accountable=False, **base,
            )  # fmt: skip
        return
    if user is not None and user.role != Role.CLERK:
        return
    regions = Region.objects.filter(level=Region.Level.UNIT)
    if user is not None:
        regions = regions.filter(pk=user.region_id)
    regions = {r.pk: r for r in regions.order_by("sort_order", "id")}
    if not regions:
        return
    counts = _unreported(month, today, region_ids=list(regions))
    for region_id, region in regions.items():
        missing = counts.get(region_id, 0)
        if not missing:
            continue
        yield Todo(
            key=f"dispatch.report.{region.code}.{month.key}",
            title=gettext("报送%(year)s年%(month)s月项目月调度：%(unit)s %(count)s 个项目未报")
            % {"year": month.year, "month": month.month, "unit": region.name, "count": missing},
            actor=gettext("%(unit)s经办人") % {"unit": region.name}, unit_code=region.code, detail=_due_text(base["due"]),
            extra={"count": missing, "region_id": region_id}, **base,
        )  # fmt: skip
