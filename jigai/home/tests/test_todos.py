"""The to-do items of the monthly dispatch and the interviews, and the overdue ones in the accountability
list (4.3), counted to the date asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import EnterpriseFactory, ProjectFactory
from jigai.assessment import accountability, services
from jigai.assessment.models import InterviewCase, InterviewRecord
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019
from jigai.core import todo
from jigai.dispatch.models import ProgressReport
from jigai.dispatch.periods import BEIJING

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(region, other_region):
    """Two projects of 恩施市 and one of 利川市 under construction since March 2019."""
    start = dt.date(2019, 3, 1)
    own = [ProjectFactory(enterprise=EnterpriseFactory(region=region), status="construction",
                          actual_start_date=start) for _ in range(2)]  # fmt: skip
    other = ProjectFactory(enterprise=EnterpriseFactory(region=other_region), status="construction",
                           actual_start_date=start)  # fmt: skip
    return own, other


def _report(project, year, month, at):
    ProgressReport.objects.create(
        project=project, region=project.region, year=year, month=month, month_investment_yuan=0,
        cumulative_investment_yuan=0, first_submitted_at=at, submitted_at=at,
    )  # fmt: skip


def test_a_clerk_has_the_units_unreported_projects_of_the_month_due_on_the_fifth(users, building):
    (a, b), _ = building
    _report(a, 2019, 5, dt.datetime(2019, 6, 3, 9, tzinfo=BEIJING))
    items = todo.todos_for(users["clerk"], dt.date(2019, 6, 4))
    (item,) = [t for t in items if t.step == "dispatch.report"]
    assert item.title == "报送2019年5月项目月调度：恩施市 1 个项目未报"
    assert item.due_date() == dt.date(2019, 6, 5) and item.since == dt.date(2019, 6, 1)
    assert item.url == "/dispatch/2019/5/report/"
    assert not item.overdue_on(dt.date(2019, 6, 5)) and item.overdue_on(dt.date(2019, 6, 6))
    # The other unit's clerk work is not this clerk's; every unit's is in the list of all items.
    assert {t.unit_code for t in todo.all_todos(dt.date(2019, 6, 4)) if t.step == "dispatch.report"} == {
        "422801", "422802",
    }  # fmt: skip
    _report(b, 2019, 5, dt.datetime(2019, 6, 4, 9, tzinfo=BEIJING))
    assert not [t for t in todo.todos_for(users["clerk"], dt.date(2019, 6, 4)) if t.step == "dispatch.report"]


def test_an_enterprise_has_its_own_projects_only_and_other_roles_none(users, building):
    own = ProjectFactory(enterprise=users["_own_enterprise"], status="construction",
                         actual_start_date=dt.date(2019, 3, 1))  # fmt: skip
    (item,) = todo.todos_for(users["enterprise"], dt.date(2019, 6, 4))
    assert item.title == "报送2019年5月项目月调度：本企业 1 个项目未报"
    _report(own, 2019, 5, dt.datetime(2019, 6, 2, 9, tzinfo=BEIJING))
    assert todo.todos_for(users["enterprise"], dt.date(2019, 6, 4)) == []
    for role in ("leader", "finance", "bank", "auditor", "security_admin", "sysadmin"):
        assert todo.todos_for(users[role], dt.date(2019, 6, 4)) == [], role


def _cases(users):
    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    return InterviewCase.objects.order_by("region__sort_order")


def test_interview_steps_wait_on_the_office_then_the_county_with_the_records_deadline(users):
    cases = _cases(users)
    hefeng = cases.get(region__code="422828")
    office_items = [t for t in todo.todos_for(users["office"], dt.date(2019, 7, 11))]
    assert {t.step for t in office_items} == {"interview.notify"}
    assert len(office_items) == cases.count()
    # Five working days from 10 July 2019 (a Wednesday): 17 July.
    assert office_items[0].due_date() == dt.date(2019, 7, 17)
    # Before the ranking opened the cases, there was nothing to do.
    assert todo.todos_for(users["office"], dt.date(2019, 7, 9)) == []

    InterviewRecord.objects.create(case=hefeng, held_date=dt.date(2019, 7, 20), interviewer="副州长", attendees="x",
                                   commitments="y", follow_up_deadline_date=dt.date(2019, 8, 20), recorded_at=AT)  # fmt: skip
    hefeng.status = "held"
    hefeng.save()
    clerk = users["clerk"]
    clerk.region = hefeng.region
    clerk.save()
    (item,) = todo.todos_for(clerk, dt.date(2019, 8, 1))
    assert item.step == "interview.follow_up" and item.due_date() == dt.date(2019, 8, 20)
    assert item.title.startswith("报送约谈整改情况：鹤峰县")
    assert item.url == f"/assessment/interviews/{hefeng.pk}/"
    assert hefeng.pk not in {t.extra["case_id"] for t in todo.todos_for(users["office"], dt.date(2019, 8, 1))}


def test_overdue_items_feed_the_accountability_list_counted_to_the_date_asked(users):
    _cases(users)
    as_of = dt.date(2019, 8, 1)
    items = [i for i in accountability.overdue_items(as_of=as_of) if i.source == "todos"]
    assert items, "the interview notices past their five working days"
    due = dt.date(2019, 7, 17)
    assert {(i.deadline_date, i.days_overdue, i.state) for i in items} == {
        (due, (as_of - due).days, "逾期未办")
    }
    assert {i.department for i in items} == {"州经信委（领导小组办公室）"}
    # Another date asked, another count: never today's.
    later = [i for i in accountability.overdue_items(as_of=dt.date(2019, 9, 1)) if i.source == "todos"]
    assert {i.days_overdue for i in later} == {(dt.date(2019, 9, 1) - due).days}
    # A clerk's list keeps the own unit's items only.
    own = accountability.overdue_items(as_of=as_of, region_id=users["clerk"].region_id, only=["todos"])
    assert {i.unit for i in own} <= {"恩施市"}
    # The steps the built-in sources count are not counted twice.
    assert not [i for i in items if "月调度" in i.item or "整改" in i.item]


def test_the_accountability_page_lists_the_overdue_to_do_items(client_for, users):
    _cases(users)
    page = client_for("office").get("/assessment/accountability/?as_of=2019-08-01&source=todos")
    assert page.status_code == 200
    html = page.content.decode()
    assert "印发约谈通知" in html and "待办事项" in html
