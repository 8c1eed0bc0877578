import re

import pytest

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(transactional_db):
    enshi, lichuan = Region.objects.get(code="422801"), Region.objects.get(code="422802")
    make_user("clerk_es", Role.CLERK, region=enshi)
    ent = EnterpriseFactory(region=enshi, name="芭蕉硒茶有限公司")
    ProjectFactory(enterprise=ent, name="名优绿茶自动化生产线", is_key=True, status="construction")
    ProjectFactory(enterprise=ent, name="茶饮料灌装线扩建")
    ProjectFactory(enterprise=EnterpriseFactory(region=lichuan), name="利川外县项目", is_key=True)


def test_a_clerk_logs_in_filters_opens_and_edits_a_project(live_server, page, county):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk_es")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#todo-list")  # the login lands on the home page
    page.goto(f"{live_server.url}/projects/")
    assert "名优绿茶自动化生产线" in page.content()
    assert "利川外县项目" not in page.content()

    page.select_option("select[name=status]", "construction")
    page.check("input[name=flag][value=key]")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*status=construction.*"))
    rows = page.locator("#project-table tbody tr")
    assert rows.count() == 1
    assert "茶饮料灌装线扩建" not in page.content()

    page.click("text=名优绿茶自动化生产线")
    page.wait_for_url(re.compile(r".*/projects/\d+/$"))
    page.click("main a:text-is('修改')")  # not the header's 修改密码
    page.fill("#id_equipment_investment_wan", "-5")
    page.click("button[type=submit]")
    assert page.locator(".errorlist").first.inner_text() == "金额不能为负数"

    page.fill("#id_equipment_investment_wan", "2500")
    page.fill("#id_name", "名优绿茶自动化生产线（二期）")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/projects/\d+/$"))
    assert "修改已保存" in page.content()
    assert "2,500.00 万元" in page.content()
    # Dates the clerk did not touch survive the round trip through the browser's date inputs.
    assert "2018-03-01" in page.content() or "2018年3月1日" in page.content()
    page.screenshot(path="var/browser-project-detail.png", full_page=True)
