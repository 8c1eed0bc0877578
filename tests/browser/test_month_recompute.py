"""The month screen in Chromium: changing 本月 recomputes 累计 from the previous month; a cumulative the
clerk typed is left alone and the row says so."""

import re

import pytest

from conftest import PASSWORD, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.dispatch.tests.helpers import project, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_changing_the_month_recomputes_the_cumulative(live_server, page, transactional_db):
    clerk = make_user("clerk_es", Role.CLERK, region=Region.objects.get(code="422801"))
    p = project("422801", name="名优绿茶自动化生产线")
    report(clerk, p, 2019, 5, 50, 300.5)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk_es")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))  # the home page with the to-do list
    page.goto(f"{live_server.url}/dispatch/2019/6/report/")
    row = page.locator(f"#row-{p.pk}")
    row.locator("input[name$='-month_investment_wan']").fill("20.25")
    assert row.locator("input[name$='-cumulative_investment_wan']").input_value() == "320.75"
    assert "已按上月累计 + 本月重算累计" in row.locator(".recompute-note").inner_text()
    row.locator("input[name$='-cumulative_investment_wan']").fill("400")
    row.locator("input[name$='-month_investment_wan']").fill("30")
    assert row.locator("input[name$='-cumulative_investment_wan']").input_value() == "400"
    assert "不会自动重算" in row.locator(".recompute-note").inner_text()
