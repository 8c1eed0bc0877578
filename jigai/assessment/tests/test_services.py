"""Publishing a round freezes it and opens the interviews; the interview runs notice → record →
follow-up → closed; every refusal says why."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.assessment import selectors, services
from jigai.assessment.models import CaseStatus, InterviewCase, Ranking, UnitLeader
from jigai.assessment.periods import Period
from jigai.core.errors import ConflictError, PermissionDeniedError, StaleEditError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.dispatch.models import RegionStatistic

from .factories import AT, june_2019, stats

pytestmark = pytest.mark.django_db

Q2 = Period.parse("2019Q2")


@pytest.fixture
def leaders():
    for r in Region.objects.filter(level="unit"):
        UnitLeader.objects.create(region=r, year=2019, deputy_name=f"{r.short_name}副", deputy_title="副县长",
                                  principal_name=f"{r.short_name}正", principal_title="县长")  # fmt: skip


def test_publishing_june_publishes_q2_and_h1_and_opens_one_combined_interview_per_bottom_unit(users, leaders):
    june_2019()
    published = services.ranking_publish(user=users["office"], period=Q2, basis="cumulative", at=AT)
    assert sorted(r.period for r in published) == ["2019H1", "2019Q2"]
    cases = list(InterviewCase.objects.select_related("region").order_by("region__code"))
    assert [(c.region.code, c.level, c.deputy_attends, c.periods) for c in cases] == [
        ("422827", "principal", True, "2019Q2,2019H1"),
        ("422828", "principal", True, "2019Q2,2019H1"),
    ]
    case = cases[1]
    assert case.ranking.period == "2019H1"
    assert (case.principal_name, case.deputy_name) == ("鹤峰县正", "鹤峰县副")
    assert case.figures["2019Q2"]["growth_pct"] == "-3.00" and case.figures["2019Q2"]["rank"] == 9
    assert AuditEvent.objects.filter(event="publish", object_type="assessment.ranking").count() == 2


def test_a_published_ranking_is_frozen_when_the_statistics_change(users):
    june_2019()
    services.ranking_publish(user=users["office"], period=Q2, basis="cumulative", at=AT)
    ranking = Ranking.objects.get(period="2019Q2")
    assert services.ranking_recheck(ranking)
    RegionStatistic.objects.filter(region__code="422828", year=2019, month=6).update(
        tech_investment_ytd_yuan=Decimal("99000000")
    )
    view = selectors.ranking_view(Q2)
    assert view.published is not None and view.changed_since
    assert [r["region_code"] for r in view.rows if r["bottom"]] == ["422827", "422828"]
    assert services.ranking_recheck(Ranking.objects.get(period="2019Q2"))  # from its own frozen inputs
    with pytest.raises(ConflictError, match="已发布"):
        services.ranking_publish(user=users["office"], period=Period.parse("2019H1"), basis="single", at=AT)
    assert Ranking.objects.count() == 2


@pytest.mark.parametrize("role", ["finance", "clerk", "leader", "enterprise", "auditor"])
def test_only_the_office_publishes(users, role):
    june_2019()
    with pytest.raises(PermissionDeniedError):
        services.ranking_publish(user=users[role], period=Q2, basis="cumulative", at=AT)


def test_a_period_without_any_statistics_cannot_be_published(users):
    with pytest.raises(ConflictError, match="尚无任何单位的统计数据"):
        services.ranking_publish(
            user=users["office"], period=Period.parse("2019Q3"), basis="cumulative", at=AT
        )


def test_a_unit_that_has_not_reported_is_interviewed_as_last(users):
    growth = june_2019()
    RegionStatistic.objects.filter(region__code="422801", year=2019, month=6).delete()
    assert growth["422801"] == 40
    services.ranking_publish(user=users["office"], period=Q2, basis="cumulative", at=AT)
    case = InterviewCase.objects.get(region__code="422801")
    assert case.figures["2019H1"]["flags"] == ["missing"] and case.figures["2019H1"]["rank"] == 9


def test_a_march_ranking_opens_deputy_interviews(users):
    stats(2018, 3, {c: 100 for c in ("422801", "422802", "422822", "422823", "422825", "422826", "422827",
                                     "422828", "GXQ")})  # fmt: skip
    stats(2019, 3, {"422801": 150, "422802": 140, "422822": 130, "422823": 120, "422825": 110, "422826": 105,
                    "422827": 104, "422828": 104, "GXQ": 103})  # fmt: skip
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q1"), basis="cumulative", at=AT)
    cases = InterviewCase.objects.order_by("region__code")
    # 来凤县 and 鹤峰县 tie for 7th: with 高新区 9th the bottom group has three units.
    assert [(c.region.code, c.level, c.deputy_attends) for c in cases] == [
        ("422827", "deputy", False), ("422828", "deputy", False), ("GXQ", "deputy", False),
    ]  # fmt: skip


def _published_case(users) -> InterviewCase:
    june_2019()
    services.ranking_publish(user=users["office"], period=Q2, basis="cumulative", at=AT)
    return InterviewCase.objects.get(region__code="422828")


def test_the_notice_needs_the_leaders_names_then_numbers_notices_in_order(users):
    case = _published_case(users)
    with pytest.raises(ValidationError, match="请先登记鹤峰县2019年的主要领导、分管领导"):
        services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12))
    region = Region.objects.get(code="422828")
    services.unit_leader_save(user=users["office"], region=region, year=2019,
                              data={"deputy_name": "李四", "deputy_title": "副县长", "principal_name": "张三",
                                    "principal_title": "县长"})  # fmt: skip
    case = services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12),
                                     scheduled_text="2019年7月20日上午9:00，州政府第三会议室")  # fmt: skip
    assert (case.status, case.notice_number, case.principal_name) == (
        "notified",
        "恩施州技改办〔2019〕1号",
        "张三",
    )
    services.unit_leader_save(user=users["office"], region=Region.objects.get(code="422827"), year=2019,
                              data={"deputy_name": "王五", "principal_name": "赵六"})  # fmt: skip
    other = services.interview_notify(user=users["office"], case=InterviewCase.objects.get(region__code="422827"),
                                      notice_date=dt.date(2019, 7, 13))  # fmt: skip
    assert other.notice_number == "恩施州技改办〔2019〕2号"


def test_an_interview_runs_from_notice_to_closing(users, leaders):
    case = _published_case(users)
    case = services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12))
    with pytest.raises(ValidationError, match="整改报告期限不能早于约谈日期"):
        services.interview_record(user=users["office"], case=case, held_date=dt.date(2019, 7, 20), interviewer="副州长",
                                  attendees="县长、副县长", commitments="三季度增幅转正",
                                  follow_up_deadline_date=dt.date(2019, 7, 1), at=AT)  # fmt: skip
    services.interview_record(user=users["office"], case=case, held_date=dt.date(2019, 7, 20), interviewer="副州长",
                              attendees="县长、副县长", commitments="三季度增幅转正",
                              follow_up_deadline_date=dt.date(2019, 8, 20), at=AT)  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.HELD
    clerk = users["clerk"]  # 恩施市: not this unit
    with pytest.raises(PermissionDeniedError):
        services.followup_submit(
            user=clerk, case=case, reported_date=dt.date(2019, 8, 15), content="已整改", at=AT
        )
    clerk.region = case.region
    services.followup_submit(
        user=clerk, case=case, reported_date=dt.date(2019, 8, 15), content="新开工项目3个", at=AT
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOWED_UP
    case = services.interview_close(user=users["office"], case=case, note="整改到位")
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(ValidationError, match="已办结"):
        services.interview_close(user=users["office"], case=case, note="再次办结")


def test_a_stale_page_cannot_overwrite_a_case(users, leaders):
    case = _published_case(users)
    old_version = case.version
    services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12))
    with pytest.raises(StaleEditError):
        services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 13),
                                  expected_version=old_version)  # fmt: skip


def test_the_interview_cannot_be_recorded_before_the_notice(users, leaders):
    case = _published_case(users)
    with pytest.raises(ValidationError, match="登记约谈记录须在“已通知”状态下进行"):
        services.interview_record(user=users["office"], case=case, held_date=dt.date(2019, 7, 20), interviewer="x",
                                  attendees="y", commitments="z", follow_up_deadline_date=dt.date(2019, 8, 1), at=AT)  # fmt: skip
