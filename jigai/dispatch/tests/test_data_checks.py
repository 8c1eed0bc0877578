"""The checks the office expects: a unit's 技改投资 above its 工业投资 warns and is flagged in the bulletin;
a falling cumulative asks for a reason; the month screen recomputes 累计 from 本月."""

import pytest

from jigai.dispatch import bulletin, checks
from jigai.dispatch.models import ProgressReport, ProgressReportRevision
from jigai.dispatch.periods import Month
from jigai.dispatch.tests.helpers import WAN, bj, project, report, stat

from .test_pages import form_data

pytestmark = pytest.mark.django_db


def test_tech_investment_above_industrial_investment_warns_on_the_statistics_screen(users, client_for):
    c = client_for("office")
    page = c.get("/dispatch/statistics/2019/6/").content.decode()
    data = form_data(page)
    data.update({"form-0-industrial_wan": "100", "form-0-tech_wan": "150"})
    page = c.post("/dispatch/statistics/2019/6/", data, follow=True).content.decode()
    assert "统计数据已保存" in page
    assert "技改投资累计 150.00 万元大于工业投资累计 100.00 万元" in page and 'class="warning"' in page


def test_the_bulletin_flags_a_unit_whose_tech_investment_exceeds_its_industrial_investment(users):
    stat("422801", 2019, 6, 100, 150)
    snap = bulletin.compute(Month(2019, 6), as_of=bj(2019, 7, 12))
    enshi = next(u for u in snap["units"] if u["code"] == "422801")
    assert checks.TECH_ABOVE_INDUSTRIAL in [f["code"] for f in enshi["flags"]]
    assert any(f["code"] == checks.TECH_ABOVE_INDUSTRIAL and f["unit"] == "恩施市" for f in snap["flags"])
    assert checks.statistic_warnings(industrial_yuan=150 * WAN, tech_yuan=150 * WAN) == []


def test_a_falling_cumulative_asks_for_a_reason_then_keeps_it(users, client_for):
    a = project(name="项目甲")
    report(users["clerk"], a, 2019, 5, 50, 300)
    c = client_for("clerk")
    data = form_data(c.get("/dispatch/2019/6/report/").content.decode())
    data.update({"form-0-month_investment_wan": "0", "form-0-cumulative_investment_wan": "250",
                 "form-0-progress_pct": "40"})  # fmt: skip
    page = c.post("/dispatch/2019/6/report/", data).content.decode()
    assert "低于2019年5月的 300.00 万元（累计投资回落）" in page and "请在“更正原因”中说明原因" in page
    assert not ProgressReport.objects.filter(project=a, month=6).exists()
    data["reason"] = "审计核减设备款50万元"
    page = c.post("/dispatch/2019/6/report/", data, follow=True).content.decode()
    june = ProgressReport.objects.get(project=a, month=6)
    assert june.cumulative_investment_yuan == 250 * WAN
    assert ProgressReportRevision.objects.get(report=june).reason == "审计核减设备款50万元"
    assert "累计投资回落" in page  # still flagged beside the row, amber not green
    assert 'tag tag-warn">⚠ 累计投资回落' in page


def test_the_month_screen_carries_what_it_needs_to_recompute_the_cumulative(users, client_for):
    a = project(name="项目甲")
    report(users["clerk"], a, 2019, 5, 50, 300.5)
    page = client_for("clerk").get("/dispatch/2019/6/report/").content.decode()
    assert f'id="row-{a.pk}" data-previous="300.5"' in page
    assert "dispatch/month_entry" in page and ".js" in page and "recompute-note" in page
    assert "2019年5月" in page  # the previous report's month with its year
