"""The accountability list (4.3 不作为、慢作为): overdue monthly reports and interview follow-ups, per unit."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import ProjectFactory
from jigai.assessment import accountability, services
from jigai.assessment.models import FollowUp, InterviewCase, InterviewRecord
from jigai.assessment.periods import Period
from jigai.core.models import Region
from jigai.dispatch.models import ProgressReport
from jigai.dispatch.periods import BEIJING

from .factories import AT, june_2019

pytestmark = pytest.mark.django_db


def _report(project, year, month, submitted: dt.datetime):
    ProgressReport.objects.create(
        project=project, region=project.region, year=year, month=month, month_investment_yuan=Decimal(100),
        cumulative_investment_yuan=Decimal(100), first_submitted_at=submitted, submitted_at=submitted,
    )  # fmt: skip


@pytest.fixture
def projects(region, other_region):
    building = dict(
        status="construction", actual_start_date=dt.date(2019, 1, 10), planned_start_date=dt.date(2019, 1, 1)
    )
    a = ProjectFactory(enterprise__region=region, **building)
    b = ProjectFactory(enterprise__region=region, **building)
    c = ProjectFactory(enterprise__region=other_region, **building)
    ProjectFactory(enterprise__region=region, status="reserve")  # pipeline: never due
    return a, b, c


def test_missing_and_late_monthly_reports_are_listed_per_unit_and_month(projects):
    a, b, c = projects
    for p in (a, b, c):
        _report(p, 2019, 4, dt.datetime(2019, 5, 3, 10, tzinfo=BEIJING))  # on time
    _report(a, 2019, 5, dt.datetime(2019, 6, 4, 23, 59, tzinfo=BEIJING))  # on time: the 5th is the last day
    _report(c, 2019, 5, dt.datetime(2019, 6, 12, 9, tzinfo=BEIJING))  # 7 days late
    items = accountability.overdue_items(as_of=dt.date(2019, 7, 1), only=["dispatch_reports"], months_back=3)
    got = sorted((i.unit, i.item, i.deadline_date, i.days_overdue, i.done_date) for i in items)
    assert got == [
        ("利川市", "2019年5月项目月调度：1 个项目逾期报送", dt.date(2019, 6, 5), 7, dt.date(2019, 6, 12)),
        ("恩施市", "2019年5月项目月调度：应报 2 个项目，逾期未报 1 个", dt.date(2019, 6, 5), 26, None),
    ]  # June's reports are not due until 5 July.


def test_a_clerk_sees_the_own_units_tasks_only(projects, region):
    items = accountability.overdue_items(as_of=dt.date(2019, 7, 1), region_id=region.pk, months_back=2)
    assert items and {i.unit for i in items} == {"恩施市"}


def _held_case(users, deadline: dt.date) -> InterviewCase:
    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    case = InterviewCase.objects.get(region__code="422828")
    InterviewRecord.objects.create(case=case, held_date=dt.date(2019, 7, 20), interviewer="副州长", attendees="x",
                                   commitments="y", follow_up_deadline_date=deadline, recorded_at=AT)  # fmt: skip
    case.status = "held"
    case.save()
    return case


@pytest.mark.parametrize(
    ("reported", "as_of", "expected"),
    [
        (None, dt.date(2019, 9, 1), (12, None, "逾期未办")),
        (dt.date(2019, 8, 25), dt.date(2019, 9, 1), (5, dt.date(2019, 8, 25), "逾期办理")),
        (dt.date(2019, 8, 20), dt.date(2019, 9, 1), None),  # on the deadline day: in time
        (None, dt.date(2019, 8, 20), None),  # not yet overdue
    ],
)
def test_an_interview_follow_up_past_its_deadline_is_listed(users, reported, as_of, expected):
    case = _held_case(users, dt.date(2019, 8, 20))
    if reported:
        FollowUp.objects.create(case=case, reported_date=reported, content="z", submitted_at=AT)
    items = accountability.overdue_items(as_of=as_of, only=["interview_follow_ups"])
    if expected is None:
        assert items == []
    else:
        (item,) = items
        assert (item.days_overdue, item.done_date, item.state) == expected
        assert item.unit == "鹤峰县" and item.department == "县市人民政府"
        assert item.url == f"/assessment/interviews/{case.pk}/"


def test_another_app_can_add_its_own_tasks_with_deadlines(monkeypatch):
    monkeypatch.setattr(accountability, "_SOURCES", dict(accountability._SOURCES))
    unit = Region.objects.get(code="422823")

    def approvals(query):
        yield accountability.OverdueItem(source="approvals", unit=unit.name, department="县环保局",
                                         item="环评批复", deadline_date=dt.date(2019, 6, 1),
                                         days_overdue=(query.as_of - dt.date(2019, 6, 1)).days)  # fmt: skip

    accountability.register("approvals", "审批事项", approvals)
    items = accountability.overdue_items(as_of=dt.date(2019, 7, 1))
    assert [(i.unit, i.department, i.days_overdue) for i in items if i.source == "approvals"] == [
        ("巴东县", "县环保局", 30)
    ]
    summary = accountability.summarise(items)
    assert {"unit": "巴东县", "department": "县环保局", "open": 1, "late": 0, "max_days": 30,
            "sources": ["approvals"]} in summary  # fmt: skip


def test_departments_overdue_items_are_listed_but_not_a_bank_s(users):
    """4.3 holds departments to account (不作为、慢作为的部门; docs/programme.md, reading 23): an overdue
    approval item (its department) and an overdue meeting decision (its owner) are listed; an open
    financing need no bank has answered in time stays on the banks' lists, off the accountability list."""
    from jigai.core import todo
    from jigai.finance import services as finance
    from jigai.support import services as support

    at = dt.datetime(2019, 9, 2, 10, tzinfo=BEIJING)
    p = ProjectFactory()  # 恩施市
    item = support.approval_add(user=users["office"], project=p, kind="eia", at=at)
    support.approval_update(
        user=users["office"], item=item, state="in_progress", department="州环保局", time_limit_days=3,
        started_date=dt.date(2019, 9, 2), expected_version=1, at=at,
    )  # fmt: skip
    support.meeting_record(
        user=users["office"], kind="consultation", title="全州技改项目会商会", date=dt.date(2019, 9, 2),
        chair="州经信委主任", participants="州发改委、州环保局", projects=[p], problems="环评进度慢",
        decisions=[{"decision": "协调环评审批", "owner": users["clerk"], "time_limit_days": 3, "project": p}],
        at=at,
    )  # fmt: skip
    need = finance.need_post(
        user=users["office"], project=p, amount_yuan=Decimal("5000000.00"), purpose="购置设备", term_months=36,
        posted_on=dt.date(2019, 9, 2), at=at,
    )  # fmt: skip
    as_of = dt.date(2019, 10, 31)
    # All three are overdue to-do items of someone …
    overdue = {t.step: t for t in todo.overdue(as_of)}
    assert {"support.approval", "support.followup", "finance.need.respond"} <= set(overdue)
    assert overdue["finance.need.respond"].url.endswith(f"/finance/needs/{need.pk}/")
    # … but only the departments' two are the accountability list's.
    listed = accountability.overdue_items(as_of=as_of, only=["todos"])
    assert any(i.item.startswith(f"办结{p.name}的") and i.department == "州环保局" for i in listed)
    departments = {i.department for i in listed}
    assert "州环保局" in departments
    assert any(i.item.startswith("落实全州技改项目会商会议定事项") for i in listed)
    assert not any("融资需求" in i.item for i in listed)
    assert "各合作银行" not in departments
    # The clerk's own county view has them too (the project is in 恩施市).
    mine = accountability.overdue_items(as_of=as_of, only=["todos"], region_id=p.region_id)
    assert {i.department for i in mine} == departments
