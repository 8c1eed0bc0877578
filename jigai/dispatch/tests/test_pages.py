"""The month screen (one form for a unit's month, amounts in 万元, Enter submits, flags after saving),
the statistics screen, and the bulletin pages with their charts."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from jigai.dispatch import services
from jigai.dispatch.models import Bulletin, ProgressReport, RegionStatistic

from .helpers import WAN, bj, project, report

pytestmark = pytest.mark.django_db


def form_data(page: str) -> dict:
    """What a browser would send: every input and select of the page's main form as rendered."""
    form = page.split('id="month-form"')[1].split("</form>")[0] if 'id="month-form"' in page else page
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body) or re.search(
            r'<option value="([^"]*)"', body
        )
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_the_month_screen_lists_the_units_due_projects_row_by_row(users, client_for):
    due = [project(name=f"在建项目{i}") for i in range(3)]
    project(name="储备项目", start=None)
    project("422802", name="外县项目")
    page = client_for("clerk").get("/dispatch/2019/6/report/").content.decode()
    positions = [page.index(p.name) for p in due]
    assert positions == sorted(positions) and "储备项目" not in page and "外县项目" not in page
    form = page.split('id="month-form"')[1].split("</form>")[0]
    assert "<textarea" not in form  # every input is one line: Enter submits the form
    assert form.count('type="submit"') == 1
    # Tab order follows the rows: each row's amount inputs come before the next row's.
    names = re.findall(r'name="(form-\d+-[a-z_]+)"', form)
    rows = [int(n.split("-")[1]) for n in names]
    assert rows == sorted(rows)


def test_saving_the_month_screen_converts_wan_and_shows_flags(users, client_for):
    a = project(name="项目甲", total_wan=100)
    b = project(name="项目乙")
    report(users["clerk"], b, 2019, 5, 50, 200)
    c = client_for("clerk")
    data = form_data(c.get("/dispatch/2019/6/report/").content.decode())
    data.update({
        "form-0-month_investment_wan": "120.5", "form-0-cumulative_investment_wan": "120.5",
        "form-0-progress_pct": "40", "form-0-progress_text": "设备安装",
        "form-1-month_investment_wan": "30",  # cumulative left empty: May's 200 + 30
    })  # fmt: skip
    assert data["form-0-project_id"] == str(a.pk)
    r = c.post("/dispatch/2019/6/report/", data, follow=True)
    page = r.content.decode()
    assert "新报送 2 个" in page
    ra = ProgressReport.objects.get(project=a, month=6)
    assert ra.month_investment_yuan == Decimal("1205000.00")
    assert ProgressReport.objects.get(project=b, month=6).cumulative_investment_yuan == Decimal(230) * WAN
    assert "累计超计划总投资" in page  # 120.5 万元 against a 100 万元 plan: saved, and flagged
    assert "有数据提示" in page


def test_a_correction_on_the_month_screen_needs_a_reason(users, client_for):
    a = project(name="项目甲")
    report(users["clerk"], a, 2019, 6, 10, 100)
    c = client_for("clerk")
    data = form_data(c.get("/dispatch/2019/6/report/").content.decode())
    data["form-0-cumulative_investment_wan"] = "110"
    page = c.post("/dispatch/2019/6/report/", data).content.decode()
    assert "请填写更正原因" in page or "更正已报送的数据" in page
    assert ProgressReport.objects.get(project=a).version == 1
    data["reason"] = "补录发票"
    page = c.post("/dispatch/2019/6/report/", data, follow=True).content.decode()
    assert "更正 1 个" in page
    r = ProgressReport.objects.get(project=a)
    assert r.version == 2 and r.cumulative_investment_yuan == Decimal(110) * WAN
    detail = c.get(f"/dispatch/reports/{r.pk}/").content.decode()
    assert "补录发票" in detail and "首次报送" in detail


def test_an_impossible_row_is_shown_with_its_message_and_nothing_is_saved(users, client_for):
    project(name="项目甲")
    project(name="项目乙")
    c = client_for("clerk")
    data = form_data(c.get("/dispatch/2019/6/report/").content.decode())
    data.update({"form-0-month_investment_wan": "10", "form-0-cumulative_investment_wan": "10",
                 "form-1-month_investment_wan": "50", "form-1-cumulative_investment_wan": "20"})  # fmt: skip
    page = c.post("/dispatch/2019/6/report/", data).content.decode()
    assert "开工累计完成投资不能小于本月完成投资" in page
    assert not ProgressReport.objects.exists()


def test_the_office_enters_any_units_month_and_a_clerk_only_their_own(users, client_for):
    project("422802", name="利川项目")
    page = client_for("office").get("/dispatch/2019/6/report/?unit=422802").content.decode()
    assert "利川项目" in page
    assert client_for("clerk").get("/dispatch/2019/6/report/?unit=422802").status_code == 404


def test_the_statistics_screen_saves_in_wan(users, client_for):
    c = client_for("clerk")
    page = c.get("/dispatch/statistics/2019/6/").content.decode()
    assert page.count('name="form-') >= 5 and "利川市" not in page.split("各月技改投资")[0]
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-region_id": str(users["clerk"].region_id),
            "form-0-industrial_wan": "85000", "form-0-tech_wan": "32000.5", "form-0-note": ""}  # fmt: skip
    r = c.post("/dispatch/statistics/2019/6/", data)
    assert r.status_code == 302
    s = RegionStatistic.objects.get()
    assert s.tech_investment_ytd_yuan == Decimal("320005000.00") and s.region.code == "422801"


def test_the_bulletin_page_shows_the_figures_and_the_charts(world, users, client_for):
    b = services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=bj(2019, 7, 12), issue_date=bj(2019, 7, 12).date()
    )
    page = client_for("leader").get(f"/dispatch/bulletins/{b.pk}/").content.decode()
    assert b.document_number in page and b.title in page
    assert "/static/vendor/echarts/echarts.min.js" in page and 'id="chart-data"' in page
    assert "1,200.00" in page and "20.00%" in page  # 恩施市: 1200 万元, +20 %
    assert world["j"].name in page.split("滞后于序时进度的项目")[1]
    index = client_for("clerk").get("/dispatch/bulletins/").content.decode()
    assert b.document_number in index


def test_the_draft_is_live_and_the_office_publishes_it_from_the_page(world, users, client_for):
    c = client_for("office")
    draft = c.get("/dispatch/bulletins/draft/2019/6/").content.decode()
    assert "草稿" in draft and "下一步确认" in draft
    # An empty 成文日期 is refused, not silently today.
    r = c.post("/dispatch/bulletins/draft/2019/6/publish/", {"issue_date": ""}, follow=True)
    assert "请填写成文日期" in r.content.decode() and not Bulletin.objects.exists()
    # The first press shows what would be frozen and publishes nothing.
    r = c.post("/dispatch/bulletins/draft/2019/6/publish/", {"issue_date": "2019-07-12"})
    page = r.content.decode()
    assert r.status_code == 200 and not Bulletin.objects.exists()
    assert "确认发布" in page and "2019年7月12日" in page
    assert "应报月调度的" in page and "个尚未报送，发布后将按未报送冻结" in page
    r = c.post("/dispatch/bulletins/draft/2019/6/publish/", {"issue_date": "2019-07-12", "confirm": "1"})
    b = Bulletin.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/dispatch/bulletins/{b.pk}/"
    assert b.issue_date.isoformat() == "2019-07-12"
    r = c.post(f"/dispatch/bulletins/{b.pk}/correct/", {"reason": "补报数据"}, follow=True)
    assert "请填写成文日期" in r.content.decode() and Bulletin.objects.count() == 1
    r = c.post(f"/dispatch/bulletins/{b.pk}/correct/", {"reason": "补报数据", "issue_date": "2019-07-20"})
    corrected = Bulletin.objects.get(edition=2)
    assert r["Location"] == f"/dispatch/bulletins/{corrected.pk}/"
    old = c.get(f"/dispatch/bulletins/{b.pk}/").content.decode()
    assert "本通报已被更正" in old and corrected.document_number in old
    new = c.get(f"/dispatch/bulletins/{corrected.pk}/").content.decode()
    assert new.count("更正版") >= 1 and "（更正版） 更正版" not in new and "（更正版）</h1>" in new
    # Published at: 2019年7月…日 HH:MM, not ISO; data as of the same way.
    assert (
        re.search(r"发布 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", new)
        and "T" not in new.split("数据截至")[1][:25]
    )
    # A published edition is never deleted: the correction is its only way out.
    with pytest.raises(PermissionError, match="不能删除"):
        corrected.delete()
    assert Bulletin.objects.count() == 2


def test_publishing_all_unreported_says_so_before_freezing(users, client_for):
    c = client_for("office")
    from jigai.dispatch.tests.helpers import project

    for _ in range(3):
        project("422801", start=dt.date(2019, 1, 5))
    page = c.post("/dispatch/bulletins/draft/2019/6/publish/", {"issue_date": "2019-07-12"}).content.decode()
    assert "应报月调度的3个项目全部未报送（3/3）" in page
    assert "各县市均无本月统计数据" in page


def test_the_statistics_screen_saves_every_row_or_none(users, client_for):
    from jigai.dispatch.tests.helpers import stat

    s = stat("422801", 2019, 6, 300, 100)
    c = client_for("office")
    page = c.get("/dispatch/statistics/2019/6/").content.decode()
    data = form_data(page)
    data.update({"form-0-industrial_wan": "310", "form-0-tech_wan": "110", "form-0-version": "9",  # stale
                 "form-1-industrial_wan": "500", "form-1-tech_wan": "200"})  # fmt: skip
    r = c.post("/dispatch/statistics/2019/6/", data)
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    s.refresh_from_db()
    assert s.version == 1 and RegionStatistic.objects.count() == 1
