"""Every role's home page answers 200 with its to-do list, the month's deadlines and its figures, each
figure linking to a page the role may open; the login lands there; the to-do page marks overdue items."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory
from jigai.accounts.permissions import MATRIX
from jigai.assessment import services as assessment_services
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019

pytestmark = pytest.mark.django_db

ROLES = (
    "office",
    "finance",
    "clerk",
    "enterprise",
    "bank",
    "leader",
    "auditor",
    "security_admin",
    "sysadmin",
)


def test_the_home_operations_are_open_to_every_role():
    for op in ("home.view", "todo.view", "notification.view", "notification.read"):
        assert {str(r) for r in MATRIX[op]} == set(ROLES), op


@pytest.mark.parametrize("role", ROLES)
def test_the_login_lands_every_role_on_its_home_page_and_every_figure_link_opens(role, users):
    client = Client()
    response = client.post("/accounts/login/", {"username": users[role].username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/", response.get("Location")
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert 'id="todo-list"' in html and "我的待办" in html and 'id="deadlines"' in html
    assert 'id="figures"' in html
    # The header: the to-do list, the reminders and the user's own account pages.
    for href in ("/todo/", "/notifications/", "/accounts/password/", "/accounts/2fa/", "/accounts/tokens/"):
        assert f'href="{href}"' in html, href
    figures = html.split('id="figures"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a class="figure" href="([^"]+)"', figures)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, (role, link)
    assert client.get("/todo/").status_code == 200
    assert client.get("/notifications/").status_code == 200


def test_each_role_watches_its_own_figures(client_for):
    expect = {
        "office": "未办结约谈", "finance": "竣工待验收项目", "clerk": "逾期未办事项", "enterprise": "在建项目",
        "bank": "待对接融资需求", "auditor": "近 7 日越权访问", "security_admin": "未启用动态口令的账户",
        "sysadmin": "报送单位", "leader": "全州目标与时间进度",
    }  # fmt: skip
    for role, text in expect.items():
        assert text in client_for(role).get("/").content.decode(), role


@pytest.fixture
def late_clerk(users, region):
    ProjectFactory(enterprise=EnterpriseFactory(region=region), status="construction",
                   actual_start_date=dt.date(2019, 3, 1), name="硒茶精深加工线")  # fmt: skip
    return users["clerk"]


def test_the_clerks_home_and_to_do_page_show_the_months_reports_and_overdue_in_red(client_for, late_clerk):
    client = client_for("clerk")
    html = client.get("/?date=2019-06-04").content.decode()
    assert "报送2019年5月项目月调度：恩施市 1 个项目未报" in html
    assert "2019年5月项目月调度报送截止（尚有 1 个项目未报）" in html  # this month's deadline, the 5th
    assert "已逾期" not in html.split('id="todo-list"', 1)[1].split("</section>", 1)[0]
    page = client.get("/todo/?date=2019-06-10").content.decode()
    row = re.search(r'<tr class="overdue" data-key="dispatch\.report\.422801\.2019-05">', page)
    assert row, page
    assert "已逾期" in page and "1 项已逾期" in page


def test_a_bad_date_is_refused_in_chinese_and_the_page_shows_today(client_for):
    html = client_for("office").get("/todo/?date=2019-13-40", follow=True).content.decode()
    assert "日期“2019-13-40”无法识别" in html
    html = client_for("office").get("/todo/?date=1850-01-01").content.decode()
    assert "日期须在 2000—2100 年之间" in html


def test_the_header_shows_the_to_do_count(client_for, late_clerk, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2019, 6, 4))
    html = client_for("clerk").get("/projects/").content.decode()
    assert re.search(r'href="/todo/">待办 <span class="count"[^>]*>1</span>', html), html[:3000]


def test_the_leaders_cockpit_shows_targets_ranking_lagging_projects_and_interviews(client_for, users):
    june_2019()
    assessment_services.ranking_publish(
        user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT
    )
    html = client_for("leader").get("/").content.decode()
    assert "驾驶舱" in html and 'id="cockpit"' in html
    assert "时间已过" in html and "2019Q2" in html and "鹤峰县" in html
    assert "待办约谈" in html and "滞后项目" in html
    assert "/assessment/targets/?year=2019" in html


def test_anonymous_visitors_are_sent_to_the_login_and_come_back_home(client, users):
    for path in ("/", "/todo/", "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert client.get("/api/v1/home/todos").status_code == 401


@pytest.fixture
def finance_and_services(users, region):
    """A bank with its user, two open needs (one of the enterprise's own project), a loan by the bank, a
    secretary and an overdue approval item and a filing on the enterprise's project."""
    from decimal import Decimal

    from jigai.finance import services as finance
    from jigai.finance.models import Bank, BankKind, BankMembership
    from jigai.support import services as support
    from jigai.support.tests.factories import RENEWAL, bj

    bank = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行", kind=BankKind.STATE)
    BankMembership.objects.create(user=users["bank"], bank=bank)
    Bank.objects.create(name="湖北银行恩施分行", short_name="湖北银行", kind=BankKind.LOCAL)
    at = bj(2019, 3, 1)
    own = ProjectFactory(enterprise=users["_own_enterprise"], name="本企业技改项目")
    other = ProjectFactory(enterprise=EnterpriseFactory(region=region), name="他企项目")
    needs = [
        finance.need_post(user=users["office"], project=p, amount_yuan=Decimal("5000000"), purpose="购置设备",
                          term_months=36, posted_on=dt.date(2019, 3, 1), at=at)
        for p in (own, other)
    ]  # fmt: skip
    finance.loan_record(
        user=users["bank"], need=needs[0], amount_yuan=Decimal("3000000"), rate_percent=Decimal("4.35"),
        issued_on=dt.date(2019, 4, 1), maturity_on=dt.date(2022, 4, 1), at=bj(2019, 4, 1),
    )  # fmt: skip
    support.secretary_assign(
        user=users["office"], project=own, secretary=users["clerk"], phone="0718-8221234", at=at
    )  # fmt: skip
    item = support.approval_add(user=users["office"], project=own, kind="eia", at=at)
    support.approval_update(
        user=users["office"], item=item, state="in_progress", department="州环保局", time_limit_days=3,
        started_date=dt.date(2019, 3, 1), expected_version=1, at=at,
    )  # fmt: skip
    support.filing_submit(
        user=users["enterprise"], project=own, facts=RENEWAL, content="更新数控机床", filing_date=dt.date(2019, 3, 4),
        at=bj(2019, 3, 4),
    )  # fmt: skip
    return {"bank": bank, "own": own}


def _figures(html: str) -> dict[str, tuple[str, str, str]]:
    """label → (link, value, note) of the home page's figures."""
    part = html.split('id="figures"', 1)[1].split("</section>", 1)[0]
    out = {}
    for m in re.finditer(
        r'<(?:a class="figure" href="([^"]*)"|div class="figure")><span class="value">([^<]*)</span>'
        r'<span class="label">([^<]*)</span>(?:<br><small class="muted">([^<]*)</small>)?',
        part,
    ):
        out[m.group(3)] = ((m.group(1) or "").replace("&amp;", "&"), m.group(2), m.group(4) or "")
    return out


def test_the_bank_s_home_links_to_its_needs_loans_and_score(client_for, finance_and_services):
    client = client_for("bank")
    figures = _figures(client.get("/?date=2019-06-04").content.decode())
    assert figures["待对接融资需求"] == ("/finance/needs/?status=open", "2", "合计 1,000.00 万元")
    assert figures["本行2019年技改贷款"] == ("/finance/loans/?year=2019", "1 笔", "合计 300.00 万元")
    link, value, note = figures["2019年贡献度得分"]
    assert link == "/finance/scores/?year=2019" and note == "第 1 名 / 共 2 家" and float(value) > 0
    # No project or enterprise total beyond the open needs.
    assert "计划总投资" not in figures and "在建项目" not in figures
    for link, _v, _n in figures.values():
        assert client.get(link).status_code == 200, link


def test_a_bank_user_without_a_bank_sees_the_open_needs_and_why_nothing_else(client_for, users):
    figures = _figures(client_for("bank").get("/").content.decode())
    assert figures["待对接融资需求"][1] == "0"
    assert figures["所属银行"] == ("", "未关联", "请州经信委或州财政局在“合作银行”中关联本账户")


def test_the_enterprise_s_home_shows_its_secretary_filings_approval_items_and_needs(
    client_for, users, finance_and_services
):
    client = client_for("enterprise")
    figures = _figures(client.get("/?date=2019-06-04").content.decode())
    assert figures["项目秘书"] == (
        "/support/",
        users["clerk"].display_name or "clerk",
        "联系电话 0718-8221234",
    )
    assert figures["未办结审批事项"][0] == "/support/" and figures["未办结审批事项"][2] == "其中逾期 1 项"
    assert figures["网上备案"] == ("/support/filings/", "1", "")
    assert figures["待对接融资需求"][:2] == ("/finance/needs/?status=open", "1")  # its own open need only
    for link, _v, _n in figures.values():
        assert client.get(link).status_code == 200, link
