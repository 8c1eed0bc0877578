"""In Chromium: every role logs in and lands on a home page that answers 200 and shows its to-do list; a
leader's phone (390×844) scrolls no page sideways, for every page a leader may open (enumerated from the
URL patterns and the operations the leader holds in MATRIX, detail pages reached by their links); the
reminders walk from `jigai remind` to the page where the item is done."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.accounts.permissions import MATRIX
from jigai.assessment import services as assessment_services
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019
from jigai.core.models import Region
from jigai.dispatch import services as dispatch_services
from jigai.dispatch.models import ProgressReport
from jigai.dispatch.periods import BEIJING, Month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERS = {
    Role.OFFICE: "office_h", Role.FINANCE: "finance_h", Role.CLERK: "clerk_h", Role.ENTERPRISE: "ent_h",
    Role.BANK: "bank_h", Role.LEADER: "leader_h", Role.AUDITOR: "auditor_h", Role.SECURITY_ADMIN: "secadmin_h",
    Role.SYSADMIN: "sysadmin_h",
}  # fmt: skip


@pytest.fixture
def programme(transactional_db):
    """Users of the nine roles; projects of 恩施市 under construction (reported, one lagging, last month's
    not yet), the 2019 Q2 ranking with its interviews."""
    enshi = Region.objects.get(code="422801")
    own = EnterpriseFactory(region=enshi, name="芭蕉硒茶有限公司")
    made = {}
    for role, username in USERS.items():
        extra = {"region": enshi} if role == Role.CLERK else {}
        if role == Role.ENTERPRISE:
            extra = {"credit_code": own.credit_code}
        made[role] = make_user(username, role, **extra)
    projects = [
        ProjectFactory(enterprise=own, name="名优绿茶自动化生产线", status="construction", actual_start_date=dt.date(2019, 3, 1)),
        ProjectFactory(enterprise=own, name="茶饮料灌装线扩建", status="construction", actual_start_date=dt.date(2019, 3, 1)),
    ]  # fmt: skip
    completed = ProjectFactory(enterprise=own, name="硒茶提取车间", status="completed",
                               actual_start_date=dt.date(2018, 3, 1), actual_completion_date=dt.date(2019, 1, 31))  # fmt: skip
    at = dt.datetime(2019, 7, 3, 9, tzinfo=BEIJING)
    reports = []
    for p, state in zip(projects, ("behind", "on_schedule"), strict=True):
        reports.append(ProgressReport.objects.create(
            project=p, region=enshi, year=2019, month=6, month_investment_yuan=1_000_000,
            cumulative_investment_yuan=5_000_000, progress_pct=40, state=state, problems="设备到货推迟",
            first_submitted_at=at, submitted_at=at,
        ))  # fmt: skip
    june_2019()
    assessment_services.ranking_publish(
        user=made[Role.OFFICE], period=Period.parse("2019Q2"), basis="cumulative", at=AT
    )
    dispatch_services.bulletin_publish(
        user=made[Role.OFFICE], year=2019, month=6, at=AT, issue_date=dt.date(2019, 7, 12)
    )
    _finance_and_services(made, own, projects, enshi)
    # Pages no list links to for a leader: reached by their address, as a leader sent a link would.
    return {
        "dispatch:report_detail": reverse("dispatch:report_detail", args=[reports[0].pk]),
        "acceptance:project": reverse("acceptance:project", args=[completed.pk]),
    }


def _finance_and_services(made, own, projects, enshi):
    """Finance (3.4) and enterprise services (3.3, 3.5, 4.2) with content, so that their lists and detail
    pages are measured too: a bank with its user, a matchmaking meeting with an intention, a need and a
    loan against it, a secretary with an approval item, a filing with its receipt, a consultation meeting
    with a decision."""
    from jigai.finance import services as finance
    from jigai.support import services as support

    office, at = made[Role.OFFICE], dt.datetime(2019, 7, 1, 9, tzinfo=BEIJING)
    bank = finance.bank_create(
        user=office, name="中国农业银行恩施分行", short_name="农行", kind="state", at=at
    )
    finance.bank_member_set(user=office, member=made[Role.BANK], bank=bank, at=at)
    meeting = finance.meeting_record(
        user=office, held_on=dt.date(2019, 6, 20), place="州经信委三楼会议室", organiser="州经信委、州金融办",
        region=None, banks=[bank], enterprises=[own], note="茶产业专场", at=at,
    )  # fmt: skip
    finance.intention_add(
        user=office, meeting=meeting, bank=bank, project=projects[1], amount_yuan=Decimal("8000000"), at=at
    )
    need = finance.need_post(
        user=made[Role.ENTERPRISE], project=projects[0], amount_yuan=Decimal("5000000"), purpose="购置自动化设备",
        term_months=36, posted_on=dt.date(2019, 6, 21), at=at,
    )  # fmt: skip
    finance.loan_record(
        user=made[Role.BANK], need=need, amount_yuan=Decimal("3000000"), rate_percent=Decimal("4.35"),
        issued_on=dt.date(2019, 7, 1), maturity_on=dt.date(2022, 7, 1), at=at,
    )  # fmt: skip
    # The services on a 利川 project with the office as its secretary: the 恩施 clerk's reminders stay theirs.
    lichuan = ProjectFactory(enterprise=EnterpriseFactory(region=Region.objects.get(code="422802"), name="利川硒茶"),
                             name="利川茶叶精深加工", status="construction", actual_start_date=dt.date(2019, 3, 1))  # fmt: skip
    support.secretary_assign(user=office, project=lichuan, secretary=office, phone="0718-8221234", at=at)
    item = support.approval_add(user=office, project=lichuan, kind="eia", at=at)
    support.approval_update(
        user=office, item=item, state="in_progress", department="州生态环境局", time_limit_days=20,
        started_date=dt.date(2019, 7, 1), expected_version=1, at=at,
    )  # fmt: skip
    support.filing_submit(
        user=office, project=lichuan, content="更新灌装设备 12 台", filing_date=dt.date(2019, 7, 1),
        facts={"project_type": "equipment_renewal", "new_land_area_m2": "0", "advanced_mature_process": False,
               "changes_pollutant_discharge": False, "involves_major_hazard": False, "new_buildings": False},
        at=at,
    )  # fmt: skip
    support.meeting_record(
        user=office, kind="consultation", title="全州技改项目会商会", date=dt.date(2019, 7, 1), chair="州经信委主任",
        participants="州发改委、州自然资源和规划局、州生态环境局", projects=[lichuan], problems="环评进度慢",
        decisions=[{"decision": "州生态环境局二十个工作日内完成环评审批", "owner": office,
                    "time_limit_days": 20, "project": lichuan}],
        at=at,
    )  # fmt: skip


@pytest.fixture
def demo_world(transactional_db, settings, tmp_path):
    """`jigai demo`: every app's records (applications, funds, declarations, notices, finance, services), so
    that every page a leader may open has content and its detail pages are reached by their links."""
    import io

    from jigai.demo import people
    from jigai.registry.models import Project

    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"
    call_command("demo", "--seed", "3", stdout=io.StringIO())
    report = ProgressReport.objects.order_by("id").first()
    # The leader's own background job (the bulletin's Word), so the job page is reached from /jobs/.
    from django.utils import timezone as tz

    from jigai.accounts.models import User
    from jigai.dispatch.models import Bulletin
    from jigai.jobs.services import job_start

    job_start(
        user=User.objects.get(username="leader"), kind="bulletin_docx",
        params={"bulletin": Bulletin.objects.order_by("id").first().pk}, at=tz.now(), inline=True,
    )  # fmt: skip
    accepted = Project.objects.filter(status__in=("completed", "accepted")).order_by("id").first()
    return {
        "password": people.DEMO_PASSWORD,
        "routes": {
            "dispatch:report_detail": reverse("dispatch:report_detail", args=[report.pk]),
            "acceptance:project": reverse("acceptance:project", args=[accepted.pk]),
        },
    }


def login(page, base: str, username: str, password: str = PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as nav:
        page.click("button[type=submit]")
    return nav.value


def test_every_role_lands_on_its_home_page_with_its_to_do_list(live_server, browser, programme):
    last_month = Month.of(timezone.localdate()).previous
    expect = {
        Role.CLERK: f"报送{last_month.label}项目月调度：恩施市 2 个项目未报",
        Role.ENTERPRISE: f"报送{last_month.label}项目月调度：本企业 2 个项目未报",
        Role.OFFICE: "印发约谈通知：鹤峰县",
        Role.BANK: "对接芭蕉硒茶有限公司的融资需求（名优绿茶自动化生产线）",
    }
    for role, username in USERS.items():
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        response = login(page, live_server.url, username)
        assert urlsplit(page.url).path == "/", (role, page.url)
        assert response is not None and response.status == 200, (role, response and response.status)
        todo = page.locator("#todo-list")
        assert todo.is_visible(), role
        assert "我的待办" in todo.inner_text()
        if role in expect:
            assert expect[role] in todo.inner_text(), (role, todo.inner_text())
            assert "已逾期" in todo.inner_text()  # old items, past their deadline, in red
        else:
            assert "没有待办事项" in todo.inner_text(), role
        context.close()


# Routes that answer a file, not a page (their addresses carry no extension).
DOWNLOADS = {"attachments:download", "jobs:download"}


def _leader_routes() -> tuple[list[str], set[str]]:
    """Every page route a leader's operations open: (paths without parameters, names of those with)."""
    ops = {op for op, roles in MATRIX.items() if Role.LEADER in roles}
    plain, with_args = [], set()

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                op = getattr(p.callback, "operation", None)
                route = prefix + str(p.pattern)
                if op not in ops or route.startswith(("api/", "admin/")):
                    continue
                if route.endswith((".docx", ".xlsx", ".csv", ".json")):
                    continue  # a download, not a page
                if "<" in route:
                    with_args.add(f"{namespace}{p.name}")
                else:
                    plain.append("/" + route)

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(plain)), with_args


def test_no_page_a_leader_opens_scrolls_sideways_on_a_phone(live_server, browser, demo_world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    login(page, live_server.url, "leader", demo_world["password"])
    programme = demo_world["routes"]
    plain, with_args = _leader_routes()
    assert "/" in plain and "/projects/" in plain and "/assessment/targets/" in plain

    # The header is a menu of whole words on a phone.
    assert not page.locator("header nav").is_visible()
    page.click("[data-menu-toggle]")
    assert page.locator("header nav a", has_text="考核督办").is_visible()
    assert page.get_attribute("[data-menu-toggle]", "aria-expanded") == "true"

    wide, visited, seen_names, queue = [], [], set(programme), [*plain, *programme.values()]
    while queue:
        path = queue.pop(0)
        if page.request.get(f"{live_server.url}{path}", max_redirects=0).status == 405:
            continue  # a form's POST target, not a page
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        visited.append(path)
        if width > 390:
            wide.append((path, width))
        # Detail pages: the first link to each parameterised route a leader may open.
        for href in page.eval_on_selector_all(
            "main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
        ):
            target = href.split("#")[0]
            route_path = target.split("?")[0]
            try:
                match = resolve(route_path)
            except Resolver404:
                continue
            if match.view_name in with_args and match.view_name not in seen_names:
                if route_path.endswith((".docx", ".xlsx", ".csv")) or match.view_name in DOWNLOADS:
                    continue
                seen_names.add(match.view_name)
                queue.append(target)
    assert not wide, f"pages wider than 390 px: {wide}"
    # Every page route a leader may open was measured, the detail pages too (a POST target is no page).
    # Not pages: POST targets (reading a reminder, deciding a compensation claim, starting a background
    # job) and file downloads.
    assert (
        with_args - {"home:notification_read", "finance:claim_decide", "jobs:new", *DOWNLOADS} <= seen_names
    ), with_args - seen_names
    assert set(plain) - {"/notifications/read-all/"} <= set(visited)
    context.close()


def test_the_leaders_cockpit_on_a_phone(live_server, browser, programme):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, "leader_h")
    cockpit = page.locator("#cockpit")
    text = cockpit.inner_text()
    assert "全州目标与时间进度" in text and "时间已过" in text
    assert "2019年第二季度" in text and "名优绿茶自动化生产线" in text and "鹤峰县" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="var/browser-leader-cockpit.png", full_page=True)
    context.close()


def test_reminders_walk_from_the_command_to_the_page_where_the_item_is_done(live_server, page, programme):
    call_command("remind")
    last_month = Month.of(timezone.localdate()).previous
    login(page, live_server.url, "clerk_h")
    badge = page.locator(".me a[href='/notifications/'] .count")
    assert badge.inner_text() == "1"
    page.click(".me a[href='/notifications/']")
    page.wait_for_url(re.compile(r".*/notifications/$"))
    item = page.locator("#notifications li").first
    assert f"报送{last_month.label}项目月调度" in item.inner_text() and "未读" in item.inner_text()
    item.locator("button", has_text="标为已读").click()
    page.wait_for_url(re.compile(r".*/notifications/$"))
    assert page.locator(".me a[href='/notifications/'] .count").count() == 0
    page.click(f"#notifications a:has-text('报送{last_month.label}项目月调度')")
    page.wait_for_url(re.compile(rf".*/dispatch/{last_month.year}/{last_month.month}/report/$"))
