"""Progress reports and statistics from messy county workbooks, through the shared import engine."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from jigai.dispatch.imports import TABLES
from jigai.dispatch.models import ProgressReport, RegionStatistic
from jigai.imports import ImportContext, run, validate
from jigai.imports.tests.workbooks import xlsx

from .helpers import WAN, bj, project, report

pytestmark = pytest.mark.django_db
D = dt.date
NOW = bj(2019, 7, 4)


def ctx(user, unit=None, reason=""):
    return ImportContext(user=user, unit=unit, extra={"at": NOW, "reason": reason})


def test_a_messy_progress_workbook_imports(users):
    a = project(name="硒茶清洁化生产线技改项目", project_code="2019-422801-39-03-000001")
    b = project(name="魔芋精粉生产线技改项目")
    rows = [
        ["恩施市2019年6月技改项目月调度表"],
        ["填报单位：恩施市经信局", None, None, None, "单位：万元"],
        ["序号", "县市", "年份", "月", "项目编码", "项目名称", "当月完成投资", "累计完成投资", "形象进度(%)",
         "项目进展", "状态", "存在问题", "协调部门"],
        [1, "恩施", "2019年", "6月", "2019-422801-39-03-000001", "（按代码识别）", "120.5", 860, "45%",
         "主体封顶", "正常", None, None],
        [2, "恩施市", 2019, 6, None, "魔芋精粉生产线技改项目", 30, "300.25", 20, "设备安装", "滞后",
         "环评批复未下达", "州生态环境局"],
        [None, None, None, None, None, None, None, None, None, None, None, None, None],
        ["合计", None, None, None, None, None, 150.5, 1160.25],
        ["填报人：张三"],
    ]  # fmt: skip
    report_ = run(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="6月调度.xlsx")
    assert report_.written, report_.as_text()
    ra = ProgressReport.objects.get(project=a, year=2019, month=6)
    assert (
        ra.month_investment_yuan == Decimal("1205000.00")
        and ra.cumulative_investment_yuan == Decimal(860) * WAN
    )
    assert (ra.progress_pct, ra.progress_text, ra.state, ra.source) == (
        45,
        "主体封顶",
        "on_schedule",
        "import",
    )
    rb = ProgressReport.objects.get(project=b, year=2019, month=6)
    assert (rb.state, rb.problems, rb.department_asked) == ("behind", "环评批复未下达", "州生态环境局")
    assert rb.cumulative_investment_yuan == Decimal("3002500.00")
    assert rb.revisions.count() == 1
    # Importing the same file again changes nothing.
    again = run(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="6月调度.xlsx")
    assert again.counts["unchanged"] == 2 and not again.written


def test_amounts_in_yuan_are_read_from_the_header(users):
    p = project(name="项目甲")
    rows = [["报送单位", "年度", "月份", "项目名称", "本月完成投资（元）", "开工累计完成投资（元）"],
            ["恩施市", 2019, 6, "项目甲", 1205000, "8,600,000.00"]]  # fmt: skip
    assert run(TABLES["progress"], xlsx(rows), ctx(users["office"]), filename="x.xlsx").written
    r = ProgressReport.objects.get(project=p)
    assert (r.month_investment_yuan, r.cumulative_investment_yuan) == (
        Decimal("1205000.00"),
        Decimal("8600000.00"),
    )


def test_bad_rows_say_where_and_why_and_nothing_is_written(users):
    project(name="项目甲")
    project("422802", name="利川项目")
    rows = [["报送单位", "年度", "月份", "项目名称", "本月完成投资", "开工累计完成投资", "形象进度百分比"],
            ["恩施市", 2019, 6, "项目甲", 100, 50, 30],  # cumulative below the month
            ["恩施市", 2019, 6, "不存在的项目", 10, 10, 30],
            ["利川市", 2019, 6, "利川项目", 10, 10, 30],  # another unit for a clerk
            ["恩施市", 2019, 8, "项目甲", 10, 10, 30],  # a month to come
            ["恩施市", 2019, 13, "项目甲", 10, 10, 130]]  # fmt: skip
    result = validate(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="x.xlsx")
    text = result.as_text()
    assert result.counts["rejected"] == 5, text
    assert "开工累计完成投资不能小于本月完成投资" in text
    assert "找不到该项目" in text
    assert "只能导入本单位" in text
    assert "尚未到来" in text
    assert "月份不能大于 12" in text and "不能大于 100" in text
    written = run(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="x.xlsx")
    assert not written.written and not ProgressReport.objects.exists()


def test_a_clerk_is_not_told_whose_project_a_code_belongs_to(users):
    """Issue 11, point 12: another unit's project code gives only "outside your unit", not its unit or
    its enterprise."""
    other = project("422802", name="利川项目", project_code="2019-422802-13-03-000001")
    rows = [["报送单位", "年度", "月份", "项目代码", "项目名称", "企业名称", "本月完成投资", "开工累计完成投资"],
            ["恩施市", 2019, 6, other.project_code, "利川项目", "某企业", 10, 10]]  # fmt: skip
    result = validate(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="x.xlsx")
    assert result.counts["rejected"] == 1
    assert [i.reason for i in result.row(2).issues] == ["只能导入本单位的项目，该项目不在本单位"]
    assert "利川市" not in result.as_text() and other.enterprise.name not in result.as_text()


def test_reimporting_a_changed_month_is_a_correction_with_history(users):
    p = project(name="项目甲")
    report(users["clerk"], p, 2019, 6, 100, 800)
    rows = [
        ["报送单位", "年度", "月份", "项目名称", "本月完成投资", "开工累计完成投资"],
        ["恩施市", 2019, 6, "项目甲", 100, 900],
    ]
    result = run(TABLES["progress"], xlsx(rows), ctx(users["clerk"], unit="422801", reason="统计口径调整"),
                 filename="更正.xlsx")  # fmt: skip
    assert result.counts["updated"] == 1, result.as_text()
    r = ProgressReport.objects.get(project=p)
    assert r.version == 2 and r.cumulative_investment_yuan == Decimal(900) * WAN
    assert list(r.revisions.order_by("version").values_list("reason", flat=True)) == ["", "统计口径调整"]


def test_the_month_export_re_imports_as_unchanged(users, client_for):
    p = project(name="项目甲")
    report(users["clerk"], p, 2019, 6, "100.1234", "800.5", progress_text="设备安装", problems="=1+1")
    data = client_for("clerk").get("/dispatch/2019/6/reports.xlsx").content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert any("项目甲" in str(c) for row in wb.active.iter_rows(values_only=True) for c in row)
    result = validate(TABLES["progress"], data, ctx(users["clerk"], unit="422801"), filename="export.xlsx")
    assert result.counts["unchanged"] == 1, result.as_text()


def test_a_messy_statistics_workbook_imports_and_updates(users):
    rows = [
        ["2019年1-6月各县市工业投资和技改投资完成情况"],
        ["单位：万元"],
        ["地区", "年份", "月份", "工业投资（1月至本月累计）", "工业技改投资", "说明"],
        ["恩施", "2019年", 6, "85,000", 32000.5, None],
        ["州高新区", 2019, "6月", 90000, 30000, "含园区"],
        ["全州合计", None, None, 175000, 62000.5],
    ]
    result = run(TABLES["statistics"], xlsx(rows), ctx(users["office"]), filename="统计.xlsx")
    assert result.written, result.as_text()
    s = RegionStatistic.objects.get(region__code="422801", year=2019, month=6)
    assert s.industrial_investment_ytd_yuan == Decimal(85000) * WAN
    assert s.tech_investment_ytd_yuan == Decimal("320005000.00")
    assert RegionStatistic.objects.get(region__code="GXQ").note == "含园区"
    rows[3][4] = 33000
    result = run(TABLES["statistics"], xlsx(rows), ctx(users["office"]), filename="统计.xlsx")
    assert (result.counts["updated"], result.counts["unchanged"]) == (1, 1)
    s.refresh_from_db()
    assert s.tech_investment_ytd_yuan == Decimal(33000) * WAN and s.version == 2


def test_a_clerk_imports_only_their_units_statistics(users):
    rows = [
        ["报送单位", "年度", "月份", "工业投资累计", "技改投资累计"],
        ["利川市", 2019, 6, 1, 1],
        ["恩施市", 2019, 6, 2, 1],
    ]
    result = run(
        TABLES["statistics"], xlsx(rows), ctx(users["clerk"], unit="422801"), filename="x.xlsx", mode="good"
    )
    assert result.counts["rejected"] == 1 and result.counts["new"] == 1
    assert list(RegionStatistic.objects.values_list("region__code", flat=True)) == ["422801"]


def upload(c, rows, table="progress", name="6月.xlsx"):
    data = io.BytesIO(xlsx(rows))
    data.name = name
    return c.post("/imports/upload/", {"table": table, "file": data, "mode": "all"})


def test_the_shared_import_pages_check_then_write_and_ask_why_a_report_changes(users, client_for):
    project(name="项目甲")
    c = client_for("clerk")
    assert c.get("/imports/progress/template.xlsx").status_code == 200
    head = ["报送单位", "年度", "月份", "项目名称", "本月完成投资", "开工累计完成投资"]
    r = upload(c, [head, ["恩施市", 2019, 6, "项目甲", 1, 2]])
    page = r.content.decode()
    assert r.status_code == 200 and "检查通过" in page and not ProgressReport.objects.exists()
    assert 'id="reason-field"' not in page  # nothing stored changes: no reason asked
    token = r.context["token"]
    r = c.post("/imports/confirm/", {"token": token, "mode": "all"})
    assert "已写入" in r.content.decode() and ProgressReport.objects.count() == 1
    # the same month again with other figures is a correction: the preview asks why, the write needs it
    r = upload(c, [head, ["恩施市", 2019, 6, "项目甲", 1, 5]], name="6月更正.xlsx")
    assert 'id="reason-field"' in r.content.decode() and r.context["counts"]["updated"] == 1
    token = r.context["token"]
    r = c.post("/imports/confirm/", {"token": token, "mode": "all", "reason": "  "})
    assert r.status_code == 400 and "请填写更正原因" in r.content.decode()
    assert ProgressReport.objects.get().cumulative_investment_yuan == 2 * WAN
    r = c.post("/imports/confirm/", {"token": token, "mode": "all", "reason": "统计口径调整"})
    assert "已写入" in r.content.decode()
    stored = ProgressReport.objects.get()
    assert stored.cumulative_investment_yuan == 5 * WAN
    assert stored.revisions.order_by("-version").first().reason == "统计口径调整"


def test_the_monthly_tables_import_through_the_shared_command(users, tmp_path):
    from django.core.management import call_command

    rows = [
        ["报送单位", "年度", "月份", "工业投资累计", "技改投资累计"],
        ["利川市", 2019, 6, 1, 1],
        ["恩施市", 2019, 6, 2, 1],
    ]
    path = tmp_path / "统计.xlsx"
    path.write_bytes(xlsx(rows))
    out = io.StringIO()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("import", "statistics", str(path), "--user", "clerk", stdout=out, stderr=out)
    assert exc.value.returncode == 2  # all-or-nothing: the other county's row is rejected, nothing written
    assert not RegionStatistic.objects.exists()
    call_command(
        "import", "statistics", str(path), "--user", "clerk", "--mode", "good", stdout=out, stderr=out
    )
    assert list(RegionStatistic.objects.values_list("region__code", flat=True)) == ["422801"]


def test_the_preview_names_a_changed_state_as_the_sheet_does_and_shows_no_digest(users, client_for):
    p = project(name="项目甲")
    report(users["clerk"], p, 2019, 6, 1, 2, state="behind")
    c = client_for("clerk")
    head = ["报送单位", "年度", "月份", "项目名称", "本月完成投资", "开工累计完成投资", "推进状态"]
    page = upload(c, [head, ["恩施市", 2019, 6, "项目甲", 1, 2, "正常推进"]]).content.decode()
    assert "推进状态：进度滞后 → 正常推进" in page
    assert "behind" not in page and "on_schedule" not in page and "SHA-256" not in page
