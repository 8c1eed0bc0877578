"""Demo data for the assessment (``jigai demo``), deterministic from a seed, built on the dispatch demo's
statistics: the units' leaders for 2018–2020, every quarter's ranking published about three weeks after
the quarter (June and December with the half-year), the interviews those rankings opened — most held and
followed up, a few still waiting, one follow-up overdue — and the champions recorded for 2.2.a.
"""

from __future__ import annotations

import datetime as dt
import random

from jigai.accounts.models import Role, User
from jigai.core.models import Region
from jigai.dispatch.models import RegionStatistic
from jigai.dispatch.periods import BEIJING

from . import services
from .models import InterviewCase
from .periods import Period

SURNAMES = "张王李刘陈杨黄赵周吴向谭田覃冉彭邓滕龚"
GIVEN = ["明", "华", "军", "建", "勇", "国", "涛", "红", "斌", "平", "伟", "峰", "刚", "霞", "林", "波"]
COMMITMENTS = [
    "一是梳理在建技改项目，逐个落实县级领导包保责任；二是加快{n}个重点项目设备进场；三是下季度技改投资增幅力争回到全州平均水平。",
    "成立技改工作专班，每周调度；对进度滞后的{n}个项目逐一约谈企业负责人，协调解决用地、环评和融资问题。",
    "将技改投入纳入乡镇和部门年度考核；新谋划技改项目{n}个，力争年内开工。",
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _titles(region: Region) -> tuple[str, str]:
    if region.code == "GXQ":
        return "州高新区管委会副主任", "州高新区管委会主任"
    kind = "市" if region.name.endswith("市") else "县"
    return f"{region.name}人民政府副{kind}长", f"{region.name}人民政府{kind}长"


def build(*, seed: int) -> dict:
    rng = random.Random(seed * 17 + 6)
    units = list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))
    office = User(username="office", role=Role.OFFICE, display_name="州经信委 技改科")

    # Leaders, 2018–2020: a principal changes once in a while, the deputy in charge more often.
    for region in units:
        deputy, principal = _person(rng), _person(rng)
        deputy_title, principal_title = _titles(region)
        for year in (2018, 2019, 2020):
            if year > 2018 and rng.random() < 0.25:
                principal = _person(rng)
            if year > 2018 and rng.random() < 0.35:
                deputy = _person(rng)
            services.unit_leader_save(user=office, region=region, year=year, data={
                "deputy_name": deputy, "deputy_title": deputy_title,
                "principal_name": principal, "principal_title": principal_title,
            })  # fmt: skip

    for year, value in ((2018, 11), (2019, 12), (2020, 9)):
        services.target_figure_set(user=office, year=year, clause="2.2.a", value=value,
                                   note="经省经信厅认定的细分领域隐形冠军（示范）企业")  # fmt: skip

    # Rankings: every quarter that has statistics, published on the 20th of the following month.
    have = set(RegionStatistic.objects.values_list("year", "month").distinct())
    rankings = 0
    for year in (2018, 2019, 2020):
        for index in (1, 2, 3, 4):
            period = Period(year, "Q", index)
            if (year, period.end_month) not in have or (year - 1, period.end_month) not in have:
                continue
            y, m = (year + 1, 1) if period.end_month == 12 else (year, period.end_month + 1)
            at = dt.datetime(y, m, 20, 10, 0, tzinfo=BEIJING)
            rankings += len(services.ranking_publish(user=office, period=period, basis="cumulative", at=at))

    # Interviews: noticed within a week; held about two weeks later; follow-up within the month given.
    cases = list(InterviewCase.objects.select_related("region").order_by("year", "end_month", "region__sort_order",
                                                                          "id"))  # fmt: skip
    last_round = max(((c.year, c.end_month) for c in cases), default=None)
    held = followed = closed = 0
    for case in cases:
        published = case.ranking.published_at.astimezone(BEIJING).date()
        notice_date = published + dt.timedelta(days=rng.randint(3, 7))
        held_date = notice_date + dt.timedelta(days=rng.randint(7, 14))
        case = services.interview_notify(
            user=office, case=case, notice_date=notice_date,
            at=dt.datetime.combine(notice_date, dt.time(10, 0), tzinfo=BEIJING),
            scheduled_text=f"{held_date.year}年{held_date.month}月{held_date.day}日上午9:00，州人民政府第三会议室",
        )  # fmt: skip
        if (case.year, case.end_month) == last_round:
            continue  # the latest round: noticed, not yet held
        who = case.interviewee
        attendees = f"{who}；{case.region.name}经信局主要负责人；州经信委、州统计局有关负责同志"
        if case.deputy_attends:
            attendees = f"{who}、{case.deputy_title} {case.deputy_name}；" + attendees.split("；", 1)[1]
        services.interview_record(
            user=office, case=case, held_date=held_date, place="州人民政府第三会议室",
            interviewer="州人民政府分管副州长" if case.level == "deputy" else "州人民政府州长",
            attendees=attendees, commitments=rng.choice(COMMITMENTS).format(n=rng.randint(3, 8)),
            follow_up_deadline_date=held_date + dt.timedelta(days=30),
            at=dt.datetime.combine(held_date, dt.time(17, 0), tzinfo=BEIJING),
        )  # fmt: skip
        held += 1
        if rng.random() < 0.15:
            continue  # the follow-up never came: on the accountability list
        clerk = User(
            username=f"clerk_{case.region.code.lower()}",
            role=Role.CLERK,
            region=case.region,
            display_name=f"{case.region.name}经信局 经办人",
        )
        reported = held_date + dt.timedelta(days=rng.randint(20, 38))  # a few after the 30 days
        case.refresh_from_db()
        services.followup_submit(
            user=clerk, case=case, reported_date=reported,
            content=f"已按约谈要求落实整改：新开工技改项目{rng.randint(2, 6)}个，{rng.randint(1, 4)}个停滞项目已复工，"
            f"本季度技改投资环比增长{rng.randint(8, 30)}%。",
            at=dt.datetime.combine(reported, dt.time(10, 0), tzinfo=BEIJING),
        )  # fmt: skip
        followed += 1
        if rng.random() < 0.7:
            case.refresh_from_db()
            services.interview_close(user=office, case=case, note="整改措施落实，同意办结。")
            closed += 1
    return {"rankings": rankings, "interviews": len(cases), "held": held, "followed_up": followed,
            "closed": closed}  # fmt: skip
