"""Every page and document computes at the date it was asked for, not today: overdue days on the
accountability list and in the meeting pack, the targets' status after the year, the leaders' year."""

import datetime as dt
from fractions import Fraction

import pytest

from jigai.assessment import accountability, selectors
from jigai.assessment import targets as T
from jigai.assessment.models import UnitLeader
from jigai.assessment.periods import Period
from jigai.core.models import Region
from jigai.dispatch.tests.helpers import bj, project, report

from .factories import stats

pytestmark = pytest.mark.django_db


def test_a_report_sent_years_later_is_still_overdue_as_of_the_date_asked(users):
    p = project("422802", start=dt.date(2020, 11, 1))
    # December 2020's report sent on the day someone tried the month screen, years later.
    report(users["office"], p, 2020, 12, 10, 10, at=bj(2026, 12, 7))
    items = [i for i in accountability.overdue_items(as_of=dt.date(2021, 1, 31)) if i.unit == "利川市"]
    december = [i for i in items if "2020年12月" in i.item]
    assert [(i.days_overdue, i.done_date, i.state) for i in december] == [(26, None, "逾期未办")]
    # Asked as of today, the same report is late, done on the day it came.
    later = accountability.overdue_items(as_of=dt.date(2026, 12, 8), months_back=80)
    later = [i for i in later if "2020年12月" in i.item]
    assert [(i.done_date, i.state) for i in later] == [(dt.date(2026, 12, 7), "逾期办理")]


def test_the_accountability_page_counts_to_the_date_asked(users, client_for):
    p = project("422802", start=dt.date(2020, 11, 1))
    report(users["office"], p, 2020, 12, 10, 10, at=bj(2026, 12, 7))
    html = client_for("office").get("/assessment/accountability/?as_of=2021-01-31").content.decode()
    assert "2026-12-07" not in html and "2162" not in html and ">26<" in html


def test_after_the_year_a_target_is_done_or_missed_never_on_course():
    assert T.count_status(326, 100, Fraction(1)) == T.DONE
    assert T.count_status(99, 100, Fraction(1)) == T.MISSED
    assert T.count_status(60, 100, Fraction(1, 2)) == T.ON_COURSE
    assert T.rate_status(Fraction(21, 100), Fraction(20, 100), final=True) == T.DONE
    assert T.STATUS_LABELS[T.DONE] == "完成"


def test_the_targets_page_after_the_year_end_says_done(client_for):
    for y in (2019, 2020):
        stats(y, 12, dict.fromkeys(["422801", "422802"], 10_000_000 if y == 2019 else 13_000_000))
    html = client_for("leader").get("/assessment/targets/?year=2020&as_of=2021-01-31").content.decode()
    assert 'status-done">完成<' in html and 'status-on_course">' not in html


def test_the_leaders_page_opens_on_the_latest_year_with_data(client_for):
    stats(2020, 12, {"422801": 10_000_000})
    UnitLeader.objects.create(region=Region.objects.get(code="422801"), year=2020, deputy_name="李四",
                              principal_name="张三")  # fmt: skip
    html = client_for("office").get("/assessment/leaders/").content.decode()
    assert "2020年县市领导" in html and 'value="李四"' in html


def test_the_meeting_pack_counts_interviews_as_of_its_date(users):
    from jigai.assessment import services

    from .factories import AT, june_2019

    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    for r in Region.objects.filter(level="unit"):
        UnitLeader.objects.create(region=r, year=2019, deputy_name="副", principal_name="正")
    case = selectors.case_queryset(users["office"]).order_by("id").first()
    case = services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12))
    services.interview_record(
        user=users["office"], case=case, held_date=dt.date(2019, 7, 20), interviewer="副州长",
        attendees="县长", commitments="三季度增幅转正", follow_up_deadline_date=dt.date(2019, 8, 20), at=AT,
    )  # fmt: skip
    case.refresh_from_db()
    services.followup_submit(user=users["office"], case=case, reported_date=dt.date(2019, 9, 30),
                             content="已整改", at=AT)  # fmt: skip
    data = selectors.meeting_pack_data(
        Period.parse("2019Q3"), as_of=dt.date(2019, 9, 1), user=users["office"]
    )
    row = next(h for h in data.interviews_held if h["unit"] == case.region.name)
    assert row["follow_up"] == "逾期未报"
    early = selectors.meeting_pack_data(
        Period.parse("2019Q3"), as_of=dt.date(2019, 7, 15), user=users["office"]
    )
    assert any(d["unit"] == case.region.name for d in early.interviews_due)
