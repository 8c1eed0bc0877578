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
        "bank": "计划总投资", "auditor": "近 7 日越权访问", "security_admin": "未启用动态口令的账户",
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
