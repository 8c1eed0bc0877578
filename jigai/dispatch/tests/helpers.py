"""Builders for the dispatch tests: projects in a given state, reports through the services, statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core.models import Region
from jigai.dispatch import services
from jigai.dispatch.models import RegionStatistic
from jigai.dispatch.periods import BEIJING
from jigai.registry.models import ProjectTransition

WAN = Decimal(10000)


def bj(y, m, d, h=10, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=BEIJING)


def unit(code: str) -> Region:
    return Region.objects.get(code=code)


def project(
    code: str = "422801",
    *,
    start: dt.date | None = dt.date(2019, 1, 10),
    completion: dt.date | None = None,
    terminated: dt.date | None = None,
    status: str | None = None,
    total_wan: int | str = 5000,
    planned: tuple[dt.date, dt.date] | None = (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    enterprise=None,
    **extra,
):
    region = unit(code)
    enterprise = enterprise or EnterpriseFactory(region=region)
    if status is None:
        status = (
            "terminated"
            if terminated
            else ("completed" if completion else ("construction" if start else "reserve"))
        )
    total = Decimal(str(total_wan)) * WAN
    p = ProjectFactory(
        enterprise=enterprise, region=region, actual_start_date=start, actual_completion_date=completion,
        status=status, total_investment_yuan=total, equipment_investment_yuan=total / 2,
        fixed_asset_investment_yuan=total / 2, planned_start_date=planned[0] if planned else None,
        planned_completion_date=planned[1] if planned else None, **extra,
    )  # fmt: skip
    if terminated:
        ProjectTransition.objects.create(project=p, from_status="construction", to_status="terminated",
                                         at=bj(terminated.year, terminated.month, terminated.day),
                                         reason="企业经营困难", effective_date=terminated)  # fmt: skip
    return p


def report(user, p, y, m, month_wan, cum_wan, *, at=None, **extra):
    data = {
        "month_investment_yuan": Decimal(str(month_wan)) * WAN,
        "cumulative_investment_yuan": Decimal(str(cum_wan)) * WAN,
        "progress_pct": extra.pop("progress_pct", 30),
        **extra,
    }
    nxt_y, nxt_m = (y + 1, 1) if m == 12 else (y, m + 1)
    return services.report_submit(
        user=user, project=p, year=y, month=m, data=data, at=at or bj(nxt_y, nxt_m, 3)
    )


def stat(code, y, m, industrial_wan, tech_wan) -> RegionStatistic:
    return RegionStatistic.objects.create(
        region=unit(code), year=y, month=m, industrial_investment_ytd_yuan=Decimal(str(industrial_wan)) * WAN,
        tech_investment_ytd_yuan=Decimal(str(tech_wan)) * WAN,
    )  # fmt: skip
