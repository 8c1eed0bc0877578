"""The finance and enterprise-service figures on the office's, the finance bureau's and a county clerk's
homes (issue 14, point 1): open financing needs, the year's loans and 应贷尽贷 coverage, approval items
overdue and due within five working days, filings waiting for a manual check — right, each linking to
its page, and a clerk's of their own county only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import EnterpriseFactory, ProjectFactory
from jigai.finance import home_figures as finance_figures
from jigai.home.tests.test_pages import _figures
from jigai.support import home_figures as support_figures

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 6, 4)


@pytest.fixture
def two_counties(users, region, other_region):
    """恩施市 (the clerk's county): a need of 500 万元 met by 300 万元 of loans, an approval item overdue
    and one due in two working days, a filing waiting for review. 利川市: a need of 200 万元 without a
    loan, an overdue approval item on a project whose secretary is the 恩施市 clerk, a filing waiting."""
    from jigai.finance import services as finance
    from jigai.finance.models import Bank, BankKind, BankMembership
    from jigai.support import services as support
    from jigai.support.models import Filing
    from jigai.support.tests.factories import bj

    bank = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行", kind=BankKind.STATE)
    BankMembership.objects.create(user=users["bank"], bank=bank)
    at = bj(2019, 3, 1)
    own = ProjectFactory(enterprise=EnterpriseFactory(region=region), name="恩施技改项目")
    other = ProjectFactory(enterprise=EnterpriseFactory(region=other_region), name="利川技改项目")
    need = finance.need_post(
        user=users["office"], project=own, amount_yuan=Decimal("5000000"), purpose="购置设备", term_months=36,
        posted_on=dt.date(2019, 3, 1), at=at,
    )  # fmt: skip
    finance.need_post(
        user=users["office"], project=other, amount_yuan=Decimal("2000000"), purpose="购置设备", term_months=36,
        posted_on=dt.date(2019, 3, 1), at=at,
    )  # fmt: skip
    finance.loan_record(
        user=users["bank"], need=need, amount_yuan=Decimal("3000000"), rate_percent=Decimal("4.35"),
        issued_on=dt.date(2019, 4, 1), maturity_on=dt.date(2022, 4, 1), at=bj(2019, 4, 1),
    )  # fmt: skip
    support.secretary_assign(
        user=users["office"], project=other, secretary=users["clerk"], phone="0718-1", at=at
    )

    def running(project, kind, started, days):
        item = support.approval_add(user=users["office"], project=project, kind=kind, at=at)
        support.approval_update(
            user=users["office"], item=item, state="in_progress", department="州环保局", time_limit_days=days,
            started_date=started, expected_version=1, at=at,
        )  # fmt: skip

    running(own, "eia", dt.date(2019, 3, 1), 3)  # due 6 March: overdue
    running(own, "safety", dt.date(2019, 6, 3), 3)  # due 6 June: within five working days of 4 June
    running(other, "eia", dt.date(2019, 3, 1), 3)  # overdue, in 利川
    for project in (own, other):
        Filing.objects.create(
            project=project, filing_date=dt.date(2019, 3, 4), project_type="new_build", new_land_area_m2=0,
            content="新建车间", outcome="review", filed_by=users["office"], filed_at=bj(2019, 3, 4),
        )  # fmt: skip
    return {"own": own, "other": other}


def test_the_clerk_sees_their_own_county_s_finance_and_support_figures_only(client_for, users, two_counties):
    client = client_for("clerk")
    figures = _figures(client.get(f"/?date={TODAY}").content.decode())
    assert figures["待对接融资需求"] == ("/finance/needs/?status=open", "1", "合计 500.00 万元")
    assert figures["2019年技改贷款"] == ("/finance/loans/?year=2019", "1 笔", "合计 300.00 万元")
    assert figures["2019年应贷尽贷率"] == ("/finance/coverage/?year=2019", "60.0%", "")
    # 利川's overdue item is not counted, though the clerk is that project's secretary.
    assert figures["逾期未办结审批事项"] == ("/support/", "1", "")
    assert figures["5 个工作日内到期的审批事项"][:2] == ("/support/", "1")
    assert figures["5 个工作日内到期的审批事项"][2] == "至 2019年6月12日"  # 7 June is the Dragon Boat holiday
    assert figures["待人工审核的网上备案"] == ("/support/filings/", "1", "")
    for link, _v, _n in figures.values():
        assert client.get(link).status_code == 200, link


def test_the_office_sees_the_prefecture_s_figures(client_for, two_counties):
    client = client_for("office")
    figures = _figures(client.get(f"/?date={TODAY}").content.decode())
    assert figures["待对接融资需求"][1:] == ("2", "合计 700.00 万元")
    assert figures["2019年应贷尽贷率"][1] == "42.9%"  # 300 of 700 万元
    assert figures["逾期未办结审批事项"][1] == "2"
    assert figures["5 个工作日内到期的审批事项"][1] == "1"
    assert figures["待人工审核的网上备案"][1] == "2"
    for link, _v, _n in figures.values():
        assert client.get(link).status_code == 200, link


def test_the_finance_bureau_watches_finance_not_approval_items(client_for, two_counties):
    figures = _figures(client_for("finance").get(f"/?date={TODAY}").content.decode())
    assert figures["待对接融资需求"][1] == "2" and figures["2019年技改贷款"][1] == "1 笔"
    assert "逾期未办结审批事项" not in figures and "待人工审核的网上备案" not in figures


def test_the_figure_functions_are_scoped_like_the_pages(users, other_region, two_counties):
    from conftest import make_user
    from jigai.accounts.models import Role

    lichuan = make_user("clerk_lc", Role.CLERK, region=other_region)
    assert finance_figures.open_needs(lichuan).yuan == Decimal("2000000.00")
    assert finance_figures.loans_in_year(lichuan, 2019).count == 0
    assert finance_figures.coverage_ratio(lichuan, 2019) == Decimal("0.0")
    a = support_figures.approvals(lichuan, TODAY)
    assert (a.overdue, a.due_soon) == (1, 0)
    assert support_figures.filings_waiting(lichuan) == 1
    assert finance_figures.coverage_ratio(users["clerk"], 2020) is None  # no needs posted that year
