"""Clerks' own workbooks, imported unchanged (issue 13 point 12): 所属行业 beside 行业代码, 是否列入年度技改计划
with the year from the sheet's title, 是否规上, and the header variants of real county sheets. The imported
projects are then evaluated as the incentives app does (jigai/incentives/projects.py)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from conftest import EnterpriseFactory, make_credit_code
from jigai.core.models import AuditEvent, Industry, Region
from jigai.imports import tables, validate
from jigai.incentives.projects import project_record
from jigai.policy import evaluate_records
from jigai.registry.imports import context_for, run_import
from jigai.registry.models import Enterprise, EnterpriseScaleYear, Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_uploads(settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


def book(title, headers, rows, *, sheet="Sheet1"):
    """A county workbook: a title row, then the header, then the rows (as the clerk typed them)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def issues(report, number):
    return [(i.column, i.reason, i.severity) for i in report.row(number).issues]


def decisions_311(projects):
    decisions, errors = evaluate_records([project_record(p) for p in projects])
    assert errors == []
    return {(d["project_id"], d["clause"]): d["decision"] for d in decisions if d["clause"] == "3.1.1"}


# --- enterprises ---------------------------------------------------------------------------------

ENTERPRISE_HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属县市", "所属行业", "行业代码", "是否规上"]


def test_an_enterprise_sheet_with_both_industry_name_and_code_uses_the_code_and_warns_when_they_differ(users):
    tea, wine = make_credit_code(701), make_credit_code(702)
    data = book(
        "恩施市2019年技改企业名录",
        ENTERPRISE_HEADERS,
        [
            [1, "恩施州硒茶科技有限公司", tea, "恩施市", "酒、饮料和精制茶制造业", "15", "是"],
            [2, "恩施州魔芋食品有限公司", wine, "恩施市", "纺织业", "13", "否"],
        ],
    )
    report = run_import(tables.get("enterprises"), data, context_for(users["clerk"]), filename="企业.xlsx")
    assert report.written and report.counts["new"] == 2, report.as_text()
    assert issues(report, 3) == []
    assert issues(report, 4) == [
        (
            "所属行业",
            "所属行业“纺织业”与行业代码 13（农副食品加工业）不一致，以行业代码为准，请核对",
            "warning",
        )
    ]
    assert "第 4 行" in report.as_text()
    assert Enterprise.objects.get(credit_code=wine).industry.code == "13"
    # 是否规上 is the above-scale status of the title's year, written through enterprise_scale_set.
    scale = dict(EnterpriseScaleYear.objects.values_list("enterprise__credit_code", "above_scale"))
    assert scale == {tea: True, wine: False}
    assert set(EnterpriseScaleYear.objects.values_list("year", flat=True)) == {2019}
    assert AuditEvent.objects.filter(object_type="registry.enterprisescaleyear").count() == 2

    again = run_import(tables.get("enterprises"), data, context_for(users["clerk"]))
    assert again.counts["unchanged"] == 2 and not again.written


def test_an_industry_name_alone_gives_the_industry(users):
    code = make_credit_code(703)
    data = book(
        None,
        ["企业名称", "统一社会信用代码", "所属县市", "所属行业"],
        [["恩施州某公司", code, "恩施市", "农副食品加工业"]],
    )
    report = run_import(tables.get("enterprises"), data, context_for(users["clerk"]))
    assert report.written, report.as_text()
    assert Enterprise.objects.get(credit_code=code).industry.code == "13"


def test_a_changed_above_scale_status_updates_only_that_year_and_keeps_the_revenue(users):
    ent = EnterpriseFactory(credit_code=make_credit_code(704))
    EnterpriseScaleYear.objects.create(enterprise=ent, year=2019, above_scale=False, revenue_yuan=12345)
    EnterpriseScaleYear.objects.create(enterprise=ent, year=2018, above_scale=False)
    data = book("2019年规上工业企业名单", ["企业名称", "统一社会信用代码", "县市", "是否规模以上企业"],
                [[ent.name, ent.credit_code, "恩施市", "是"]])  # fmt: skip
    report = run_import(tables.get("enterprises"), data, context_for(users["clerk"]))
    assert report.counts["updated"] == 1 and report.written, report.as_text()
    rows = {r.year: (r.above_scale, r.revenue_yuan) for r in ent.scale_years.all()}
    assert rows == {2019: (True, 12345), 2018: (False, None)}
    ent.refresh_from_db()
    assert ent.version == 1  # the enterprise itself did not change


def test_above_scale_without_any_year_is_rejected_naming_the_column(users):
    data = book(None, ["企业名称", "统一社会信用代码", "县市", "行业代码", "是否规上"],
                [["恩施州某公司", make_credit_code(705), "恩施市", "13", "是"]])  # fmt: skip
    report = validate(tables.get("enterprises"), data, context_for(users["clerk"]))
    assert report.row(2).outcome == "rejected"
    assert issues(report, 2)[0][0] == "是否规上" and "须有年度" in issues(report, 2)[0][1]
    with_year = validate(tables.get("enterprises"), data, context_for(users["clerk"], year=2020))
    assert with_year.row(2).outcome == "new"


# --- projects ------------------------------------------------------------------------------------


@pytest.fixture
def tea(db):
    return EnterpriseFactory(
        name="恩施州硒茶科技有限公司", credit_code=make_credit_code(711), region=Region.objects.get(code="422801"),
        industry=Industry.objects.get(code="15"),
    )  # fmt: skip


# Header variants seen in county workbooks: with and without 是否, units in brackets (full-width, half-width,
# 单位：), 计划/实际 in brackets, trailing spaces and line breaks inside a header.
PLAN_LAYOUTS = {
    "full-width units, 是否": [
        "序号", "项目名称", "统一社会信用代码", "所属行业", "行业代码", "总投资（万元）", "设备投资（万元）",
        "固定资产投资（万元）", "开工时间（计划）", "竣工时间（计划）", "是否列入年度技改计划",
    ],
    "half-width units, no 是否, spaces": [
        "序号", "项目名称 ", "统一社会信用代码\n", "行业", "行业代码", "计划总投资(万元)", "设备投资 (单位：万元)",
        "固定资产投资(单位:万元)", "计划开工日期", "计划竣工日期", "列入年度技改计划 ",
    ],
    "line breaks and 【】": [
        "序\n号", "项目\n名称", "统一社会\n信用代码", "所属\n行业", "行业\n代码", "总投资\n【万元】", "设备购置投资\n（万元）",
        "固定资产投资额（万元）", "拟开工时间", "拟竣工时间", "是否列入\n年度技改计划",
    ],
}  # fmt: skip


def plan_rows(tea):
    # Equipment 300 万元 is above the 3.1.1 threshold (2,000,000 yuan, docs/programme.md).
    return [
        [1, "硒茶生产线智能化改造项目", tea.credit_code, "酒、饮料和精制茶制造业", "15", 1000, 300, 800,
         dt.datetime(2019, 3, 1), dt.datetime(2019, 12, 31), "是"],
        [2, "茶叶精制车间技术改造项目", tea.credit_code, "酒、饮料和精制茶制造业", "15", 1000, 300, 800,
         dt.datetime(2019, 3, 1), dt.datetime(2019, 12, 31), "否"],
    ]  # fmt: skip


@pytest.mark.parametrize("layout", PLAN_LAYOUTS)
def test_a_county_plan_sheet_imports_unchanged_and_its_listed_project_qualifies_for_311(users, tea, layout):
    data = book("恩施市2019年技改项目计划表", PLAN_LAYOUTS[layout], plan_rows(tea))
    report = run_import(tables.get("projects"), data, context_for(users["clerk"]), filename="计划.xlsx")
    assert report.written and report.counts["new"] == 2, report.as_text()
    assert not report.file_warnings, report.as_text()  # every column recognised
    assert report.sheets[0]["title_year"] == 2019
    listed = Project.objects.get(name="硒茶生产线智能化改造项目")
    unlisted = Project.objects.get(name="茶叶精制车间技术改造项目")
    assert list(listed.plan_years.values_list("year", flat=True)) == [2019]
    assert not unlisted.plan_years.exists()
    assert listed.planned_start_date == dt.date(2019, 3, 1)
    assert listed.equipment_investment_yuan == 3_000_000
    assert decisions_311([listed, unlisted]) == {
        (str(listed.pk), "3.1.1"): "eligible",
        (str(unlisted.pk), "3.1.1"): "ineligible",
    }
    again = run_import(tables.get("projects"), data, context_for(users["clerk"]))
    assert again.counts["unchanged"] == 2 and not again.written


def test_the_plan_year_column_or_the_import_year_gives_the_listing_without_a_title(users, tea):
    headers = [
        "项目名称",
        "统一社会信用代码",
        "总投资（万元）",
        "设备投资（万元）",
        "固定资产投资（万元）",
        "是否列入年度技改计划",
    ]
    rows = [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]]
    no_year = validate(tables.get("projects"), book(None, headers, rows), context_for(users["clerk"]))
    assert no_year.row(2).outcome == "rejected"
    column, reason, _ = issues(no_year, 2)[0]
    assert column == "是否列入年度技改计划" and "须有年度" in reason and "列入计划年度" in reason

    given = run_import(
        tables.get("projects"), book(None, headers, rows), context_for(users["clerk"], year="2020")
    )
    assert given.written
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2020]

    with_column = book("2019年技改项目计划表", [*headers, "计划年度"], [[*rows[0], 2021]])
    report = run_import(tables.get("projects"), with_column, context_for(users["clerk"]))
    assert report.counts["updated"] == 1, report.as_text()
    assert sorted(Project.objects.get().plan_years.values_list("year", flat=True)) == [2020, 2021]


def test_no_beside_a_plan_year_is_refused_and_no_never_removes_a_listing(users, tea):
    headers = [
        "项目名称",
        "统一社会信用代码",
        "总投资（万元）",
        "设备投资（万元）",
        "固定资产投资（万元）",
        "是否列入年度技改计划",
    ]
    rows = [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]]
    run_import(
        tables.get("projects"), book("2019年技改项目计划表", headers, rows), context_for(users["clerk"])
    )
    contradiction = validate(
        tables.get("projects"), book(None, [*headers, "列入计划年度"], [[*rows[0][:-1], "否", 2019]]),
        context_for(users["clerk"]),
    )  # fmt: skip
    assert issues(contradiction, 2) == [
        ("是否列入年度技改计划", "“是否列入年度技改计划”为“否”，但“列入计划年度”填了 2019，请核对", "error")
    ]
    no = run_import(tables.get("projects"), book("2019年技改项目计划表", headers, [[*rows[0][:-1], "否"]]),
                    context_for(users["clerk"]))  # fmt: skip
    assert no.counts["unchanged"] == 1
    assert "导入只增加、不删除计划年度" in issues(no, 3)[0][1]
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2019]


def test_a_year_in_the_sheet_name_is_the_title_year(users, tea):
    headers = [
        "项目名称",
        "统一社会信用代码",
        "总投资（万元）",
        "设备投资（万元）",
        "固定资产投资（万元）",
        "是否列入年度技改计划",
    ]
    data = book(
        None, headers, [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]], sheet="2018年"
    )
    report = run_import(tables.get("projects"), data, context_for(users["clerk"]))
    assert report.written, report.as_text()
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2018]


def test_the_new_columns_are_not_in_the_templates(users):
    for name in ("projects", "enterprises"):
        headers = [c.header for c in tables.get(name).template_columns]
        assert (
            "所属行业" not in headers and "是否列入年度技改计划" not in headers and "是否规上" not in headers
        )


def test_the_import_command_takes_the_year_of_the_listing(users, tea, tmp_path):
    headers = [
        "项目名称",
        "统一社会信用代码",
        "总投资（万元）",
        "设备投资（万元）",
        "固定资产投资（万元）",
        "是否列入年度技改计划",
    ]
    path = tmp_path / "计划.xlsx"
    path.write_bytes(
        book(None, headers, [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]])
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "projects", str(path), "--user", "clerk", stdout=out)
    assert "须有年度" in out.getvalue()
    call_command("import", "projects", str(path), "--user", "clerk", "--year", "2019", stdout=io.StringIO())
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2019]


# --- several sheets (issue 13 point 14) ------------------------------------------------------------

YEAR_HEADERS = [
    "项目名称",
    "统一社会信用代码",
    "总投资（万元）",
    "设备投资（万元）",
    "固定资产投资（万元）",
    "是否列入年度技改计划",
]


def year_book(tea):
    """One sheet per year, the same project in both: read together they would be duplicates."""
    wb = Workbook()
    for i, year in enumerate((2018, 2019)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = f"{year}年"
        ws.append([f"恩施市{year}年技改项目计划表"])
        ws.append(YEAR_HEADERS)
        ws.append(
            ["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是" if year == 2019 else "否"]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def page_upload(client, data, **fields):
    return client.post(
        "/imports/upload/",
        {"table": "projects", "mode": "all", "file": SimpleUploadedFile("恩施市.xlsx", data), **fields},
    )


def test_the_page_asks_which_sheet_and_imports_the_chosen_one(client_for, users, tea):
    c = client_for("clerk")
    r = page_upload(c, year_book(tea))
    page = r.content.decode()
    assert r.status_code == 200 and 'id="sheet-form"' in page and 'id="confirm-form"' not in page
    assert "工作簿中有 2 张数据表（“2018年”、“2019年”），请选择要导入的工作表" in page
    assert 'value="2018年"' in page and 'value="2019年"' in page
    token = r.context["token"]

    r = c.post("/imports/sheet/", {"token": token, "mode": "all", "sheet": "2019年"})
    page = r.content.decode()
    assert r.status_code == 200 and 'id="confirm-form"' in page
    assert '<td class="num" id="count-new">1</td>' in page and "未选择导入此工作表，已跳过" in page
    assert '“2019年”识别 6 列<span id="title-year">（标题年度 2019）</span>' in page
    assert not Project.objects.exists()

    r = c.post("/imports/confirm/", {"token": token, "mode": "all"})
    assert "已写入：新增 1 行" in r.content.decode()
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2019]


def test_the_page_refuses_a_sheet_the_workbook_does_not_have(client_for, users, tea):
    c = client_for("clerk")
    token = page_upload(c, year_book(tea)).context["token"]
    r = c.post("/imports/sheet/", {"token": token, "mode": "all", "sheet": "2020年"})
    assert "工作簿中没有名为“2020年”的数据表" in r.content.decode() and r.context["token"] is None


def test_the_page_takes_the_year_of_the_listing(client_for, users, tea):
    c = client_for("clerk")
    data = book(None, YEAR_HEADERS, [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]])
    r = page_upload(c, data, year="2020")
    assert '<td class="num" id="count-new">1</td>' in r.content.decode()
    c.post("/imports/confirm/", {"token": r.context["token"], "mode": "all"})
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2020]


def test_the_command_reads_the_named_sheet(users, tea, tmp_path):
    path = tmp_path / "计划.xlsx"
    path.write_bytes(year_book(tea))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "projects", str(path), "--user", "clerk", stdout=out)
    assert "请选择要导入的工作表（命令行用 --sheet 工作表名" in out.getvalue()
    call_command(
        "import", "projects", str(path), "--user", "clerk", "--sheet", "2019年", stdout=io.StringIO()
    )
    assert list(Project.objects.get().plan_years.values_list("year", flat=True)) == [2019]


# --- every header variant of the new columns -----------------------------------------------------


def _variants(spec_name, key):
    column = tables.get(spec_name).column(key)
    return [(spec_name, key, name) for name in (column.label, *column.variants)]


VARIANTS = [
    *_variants("projects", "listed"),
    *_variants("projects", "industry_name"),
    *_variants("projects", "industry"),
    *_variants("enterprises", "above_scale"),
    *_variants("enterprises", "industry_name"),
    *_variants("enterprises", "industry"),
]


@pytest.mark.parametrize(("spec_name", "key", "name"), VARIANTS)
@pytest.mark.parametrize("dress", ["{}", " {} ", "{}\n", "*{}", "{}："])
def test_each_header_variant_names_its_column_however_it_is_dressed(spec_name, key, name, dress):
    from jigai.imports.reader import HeaderIndex

    column, _unit = HeaderIndex(tables.get(spec_name)).match(dress.format(name))
    assert column is not None and column.key == key


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("恩施市2019年技改项目计划表", 2019),
        ("２０１９年度工业技术改造计划", 2019),
        ("填报日期：2020年3月5日", None),
        ("利川市技改项目汇总表", None),
    ],
)
def test_the_title_year_is_a_year_not_a_date(users, tea, title, year):
    data = book(title, YEAR_HEADERS, [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 300, 800, "是"]])
    report = validate(tables.get("projects"), data, context_for(users["clerk"]))
    assert report.sheets[0]["title_year"] == year
    assert report.row(3).outcome == ("new" if year else "rejected")


def test_an_industry_name_that_names_no_industry_is_a_warning_beside_a_code_and_an_error_alone(users):
    headers = ["企业名称", "统一社会信用代码", "所属县市", "所属行业", "行业代码"]
    rows = [
        ["恩施州硒茶科技有限公司", make_credit_code(721), "恩施市", "茶叶加工", "15"],
        ["恩施州魔芋食品有限公司", make_credit_code(722), "恩施市", "茶叶加工", None],
    ]
    report = validate(tables.get("enterprises"), book(None, headers, rows), context_for(users["clerk"]))
    assert report.row(2).outcome == "new"
    assert issues(report, 2) == [
        (
            "所属行业",
            "所属行业“茶叶加工”不是国民经济行业分类中的名称，以行业代码 15（酒、饮料和精制茶制造业）为准",
            "warning",
        )
    ]
    assert report.row(3).outcome == "rejected" and issues(report, 3)[0][0] == "所属行业"


def test_planned_and_actual_in_brackets_go_to_their_own_columns_and_an_actual_amount_is_not_the_plan(
    users, tea
):
    headers = [
        "项目名称", "统一社会信用代码", "总投资（计划）（万元）", "总投资（实际）（万元）", "设备投资（万元）",
        "固定资产投资（万元）", "开工时间（计划）", "开工时间（实际）",
    ]  # fmt: skip
    rows = [["硒茶生产线智能化改造项目", tea.credit_code, 1000, 1200, 300, 800, "2019-03-01", "2019-04-01"]]
    report = run_import(tables.get("projects"), book(None, headers, rows), context_for(users["clerk"]))
    assert report.written, report.as_text()
    p = Project.objects.get()
    assert p.total_investment_yuan == 10_000_000
    assert (p.planned_start_date, p.actual_start_date) == (dt.date(2019, 3, 1), dt.date(2019, 4, 1))
    assert [(w.column, w.reason) for w in report.file_warnings] == [("D", "无法识别的列，已忽略")]
