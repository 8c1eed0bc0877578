"""The project library through the import engine: tables, CLI, pages (issue 4, "Excel in")."""

import datetime as dt
import io
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import EnterpriseFactory, ProjectFactory, make_credit_code, make_user
from jigai.accounts.models import Role
from jigai.core import audit
from jigai.core.codes import CodeError, validate_credit_code
from jigai.core.errors import PermissionDeniedError
from jigai.core.models import AuditEvent, Region
from jigai.imports import ImportContext, ImportWriteError, build_export, build_template, tables, validate
from jigai.imports.parsers import MONTH_NOTE, ParseError
from jigai.imports.tests.workbooks import XXE, csv_bytes, handmade_xlsx, xlsx, zip_bomb
from jigai.registry import exports
from jigai.registry import imports as registry_imports
from jigai.registry import services as registry_services
from jigai.registry.imports import PlanYears, context_for, run_import
from jigai.registry.models import Enterprise, Project, ProjectPlanYear, ProjectStatus

from .import_books import BAD_CODE, county_workbook, demo_like_library, library

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_uploads(settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def projects():
    return tables.get("projects")


def enterprises():
    return tables.get("enterprises")


def snapshot_db():
    """Everything an import may touch, for "nothing changed" comparisons."""
    return (
        sorted(Project.objects.values_list(
            "id", "name", "project_code", "total_investment_yuan", "equipment_investment_yuan",
            "fixed_asset_investment_yuan", "planned_start_date", "is_key", "status", "version",
        )),
        sorted(ProjectPlanYear.objects.values_list("project_id", "year")),
        sorted(Enterprise.objects.values_list("id", "name", "credit_code", "region_id", "version")),
        AuditEvent.objects.count(),
    )  # fmt: skip


def issues(report, number):
    return [(i.column, i.value, i.reason, i.severity) for i in report.row(number).issues]


# --- the project table's own parser --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "years"),
    [(2018, (2018,)), (2019.0, (2019,)), ("2019,2018", (2018, 2019)), ("2018、2019年", (2018, 2019)),
     ("２０１９；2020", (2019, 2020)), (" 2018 2018 ", (2018,)), ("2020年度", (2020,))],
)  # fmt: skip
def test_plan_years_are_read_in_every_way_clerks_write_them(raw, years):
    assert PlanYears()(raw) == years


@given(raw=st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none()))
def test_the_plan_years_parser_returns_sorted_years_or_a_chinese_reason(raw):
    try:
        years = PlanYears()(raw)
    except ParseError as exc:
        assert exc.reason and not exc.reason.isascii()
    else:
        assert years == tuple(sorted(set(years))) and all(2000 <= y <= 2100 for y in years)
        assert PlanYears()(PlanYears().to_cell(years)) == years


# --- the messy county workbook --------------------------------------------------------------------


def test_a_messy_county_workbook_gives_every_row_its_outcome_and_message(users):
    lib = library()
    data = county_workbook(lib)
    report = validate(projects(), data, context_for(users["clerk"]), filename="恩施市技改项目.xlsx")

    assert report.sheets[0]["header_rows"] == [3, 4]
    units = {c["label"]: (c["unit"], c["unit_source"]) for c in report.sheets[0]["columns"]}
    assert units["总投资"] == units["设备投资"] == ("万元", "header")
    assert units["固定资产投资"] == ("元", "header")
    outcomes = {r.row: r.outcome for r in report.rows}
    assert outcomes == {
        5: "new", 6: "updated", 8: "rejected", 9: "rejected", 10: "rejected", 11: "rejected", 12: "new",
        13: "unchanged",
    }  # fmt: skip
    assert report.counts == {
        "new": 2, "updated": 1, "unchanged": 1, "rejected": 4, "skipped": 2, "total": 8,
    }  # fmt: skip
    assert report.blank_rows == 1
    assert issues(report, 5) == []
    assert issues(report, 6) == [
        ("状态", "在建", "状态未导入（项目库中为“储备”）：状态须通过“状态变更”操作修改", "warning")
    ]
    assert report.row(6).changes == {
        "总投资": (Decimal("50000000.00"), Decimal("60000000.00")),
        "列入计划年度": ((2018,), (2018, 2019)),
    }
    with pytest.raises(CodeError) as bad:
        validate_credit_code(BAD_CODE)
    assert issues(report, 8) == [("统一社会信用代码", BAD_CODE, str(bad.value), "error")]
    assert issues(report, 9) == [
        ("报送单位", "利川市", "只能导入本单位（恩施市）的数据，这一行属于利川市", "error")
    ]
    assert issues(report, 10) == [("设备投资", "200", "设备投资不能大于总投资", "error")]
    assert issues(report, 11) == [
        (
            "统一社会信用代码",
            lib.unknown_code,
            f"企业库中没有统一社会信用代码为 {lib.unknown_code} 的企业，请先登记或导入该企业",
            "error",
        )
    ]
    assert issues(report, 12) == [("计划开工日期", "2019年3月", MONTH_NOTE, "warning")]
    assert issues(report, 13) == []
    assert [(s.row, s.reason) for s in report.skipped] == [
        (14, "合计行，已跳过"),
        (15, "说明或落款行，已跳过"),
    ]
    text = report.as_text()
    assert "工作表“恩施市”第 8 行“统一社会信用代码”列（D8），值“91422801MA4F0ABCD1”" in text
    assert Project.objects.count() == 2  # validation writes nothing


def test_good_rows_only_writes_the_good_rows_with_their_parsed_values(users):
    lib = library()
    report = run_import(projects(), county_workbook(lib), context_for(users["clerk"]), mode="good",
                        filename="恩施市.xlsx")  # fmt: skip
    assert report.written and report.counts["new"] == 2 and report.counts["updated"] == 1
    tea = Project.objects.get(name="年产5万吨硒茶加工技术改造项目")
    assert (tea.total_investment_yuan, tea.equipment_investment_yuan, tea.fixed_asset_investment_yuan) == (
        Decimal("12000000.00"), Decimal("3505000.00"), Decimal("8000000.00"),
    )  # fmt: skip
    assert tea.planned_start_date == dt.date(2019, 3, 15) and tea.is_key and tea.region.code == "422801"
    assert tea.status == ProjectStatus.RESERVE and tea.industry_id == lib.enshi.industry_id
    assert list(tea.plan_years.values_list("year", flat=True)) == [2019]
    drink = Project.objects.get(name="年产2万吨 硒茶饮料 技术改造项目")
    assert drink.planned_start_date == dt.date(2019, 3, 1) and drink.is_key
    lib.changed.refresh_from_db()
    assert lib.changed.total_investment_yuan == Decimal("60000000.00")
    assert lib.changed.version == 2 and lib.changed.status == ProjectStatus.RESERVE
    assert sorted(lib.changed.plan_years.values_list("year", flat=True)) == [2018, 2019]
    assert not Project.objects.filter(enterprise=lib.lichuan).exists()


def test_all_or_nothing_writes_nothing_when_any_row_is_rejected(users):
    lib = library()
    before = snapshot_db()
    report = run_import(projects(), county_workbook(lib), context_for(users["clerk"]), mode="all")
    assert not report.written and report.exit_code == 2
    assert "按“全部或不导入”方式本次未写入任何数据" in report.message
    after = snapshot_db()
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 1  # only the "import" event itself
    event = AuditEvent.objects.latest("seq")
    assert (event.event, event.outcome, event.after["counts"]["rejected"]) == ("import", "rejected", 4)


def test_reimporting_the_same_file_changes_nothing(users):
    lib = library()
    data = county_workbook(lib)
    run_import(projects(), data, context_for(users["clerk"]), mode="good")
    before = snapshot_db()
    again = run_import(projects(), data, context_for(users["clerk"]), mode="good")
    assert again.counts["new"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == 4 and not again.written
    after = snapshot_db()
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 1  # the "import" event, no record of any row


def test_the_office_imports_every_county_but_the_clerk_of_another_unit_imports_none(users):
    lib = library()
    data = county_workbook(lib)
    office = validate(projects(), data, context_for(users["office"]))
    assert office.row(9).outcome == "new"
    lichuan_clerk = make_user("clerk_422802", Role.CLERK, region=Region.objects.get(code="422802"))
    report = validate(projects(), data, context_for(lichuan_clerk))
    assert {r.row for r in report.rows if r.outcome != "rejected"} == {9}
    assert issues(report, 13) == [
        ("报送单位", "恩施市", "只能导入本单位（利川市）的数据，这一行属于恩施市", "error")
    ]


def test_a_clerk_cannot_touch_another_units_project_even_without_a_unit_column(users):
    lib = library()
    other = ProjectFactory(enterprise=lib.lichuan, project_code="2019-422802-13-03-000001")
    header = ["项目代码", "项目名称", "统一社会信用代码", "总投资（万元）"]
    data = xlsx([header, [other.project_code, other.name, lib.lichuan.credit_code, 1],
                 [None, "新项目", lib.lichuan.credit_code, 1]])  # fmt: skip
    report = validate(projects(), data, context_for(users["clerk"]))
    assert issues(report, 2) == [(None, None, "只能导入本单位（恩施市）的数据，该记录不在本单位", "error")]
    assert issues(report, 3) == [
        (
            "统一社会信用代码",
            lib.lichuan.credit_code,
            "只能导入本单位（恩施市）的数据，该企业不在本单位",
            "error",
        )
    ]
    assert "利川" not in report.as_text()


def test_a_clerk_learns_nothing_about_another_units_library_from_the_preview(users):
    """Issue 11, point 12: whatever a 恩施市 clerk types about a 利川市 enterprise or project, the preview
    says only that the row is outside their unit: not whose it is, its name, nor its project code."""
    lib = library()
    other = ProjectFactory(enterprise=lib.lichuan, name="利川甲项目", project_code="2019-422802-13-03-000001")
    ProjectFactory(enterprise=lib.lichuan, name="利川重名项目")
    ProjectFactory(enterprise=lib.lichuan, name="利川重名项目")
    header = ["项目代码", "项目名称", "统一社会信用代码", "报送单位", "总投资（万元）"]
    data = xlsx([
        header,
        [other.project_code, "改个名字", lib.enshi.credit_code, "恩施市", 1],  # its code under my enterprise
        ["2019-422801-13-03-000999", other.name, lib.lichuan.credit_code, "恩施市", 1],  # its name, a new code
        [None, "利川重名项目", lib.lichuan.credit_code, "恩施市", 1],  # a name it holds twice
        [None, "全新项目", lib.lichuan.credit_code, "恩施市", 1],
    ])  # fmt: skip
    report = validate(projects(), data, context_for(users["clerk"]))
    assert [r.outcome for r in report.rows] == ["rejected"] * 4
    text = report.as_text()
    for secret in ("利川", lib.lichuan.name, other.project_code, "2 个"):
        assert secret not in text, secret
    outside = {
        "只能导入本单位（恩施市）的数据，该记录不在本单位",
        "只能导入本单位（恩施市）的数据，该企业不在本单位",
    }
    for n in (2, 3, 4, 5):
        assert {i[2] for i in issues(report, n)} <= outside, issues(report, n)


def test_an_enterprise_user_cannot_import():
    ent = EnterpriseFactory()
    user = make_user("ent_user", Role.ENTERPRISE, credit_code=ent.credit_code)
    with pytest.raises(PermissionDeniedError):
        run_import(projects(), xlsx([["项目名称"], ["甲"]]), context_for(user))


# --- identity and lifecycle rules -----------------------------------------------------------------


def test_a_code_in_the_file_is_added_to_the_project_registered_without_one(users):
    p = ProjectFactory(name="硒茶改造")
    ProjectPlanYear.objects.create(project=p, year=2018)
    code = "2019-422801-15-03-000123"
    header = ["项目代码", "项目名称", "统一社会信用代码", "总投资（万元）"]
    report = run_import(
        projects(), xlsx([header, [code, p.name, p.enterprise.credit_code, 5000]]), ImportContext()
    )
    assert report.counts["updated"] == 1 and Project.objects.count() == 1
    p.refresh_from_db()
    assert p.project_code == code
    renamed = xlsx([header, [code, "硒茶改造（二期）", p.enterprise.credit_code, 5000]])
    assert run_import(projects(), renamed, ImportContext()).counts["updated"] == 1
    p.refresh_from_db()
    assert p.name == "硒茶改造（二期）" and p.version == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["2019-422801-15-03-000999", "甲项目", "ENT"]],
            "该企业已有名为“甲项目”的项目，其项目代码为 2019-422801-15-03-000001，与本行的 2019-422801-15-03-000999 "
            "不符；如是另一个项目，请修改项目名称",
        ),
        (
            [["2019-422801-15-03-000001", "甲项目", "OTHER"]],
            "项目代码 2019-422801-15-03-000001 已登记在“甲企业”（ENT）名下，与本行的统一社会信用代码不符；"
            "导入不能把项目转到另一家企业",
        ),
        ([[None, "乙项目", "ENT"]], "该企业在项目库中有 2 个名为“乙项目”的项目，请填写项目代码以区分"),
        (
            [[None, "甲项目", "ENT"], ["2019-422801-15-03-000001", "甲项目", "ENT"]],
            "与第 2 行是项目库中的同一个项目（甲项目），同一项目只能出现一次",
        ),
        (
            [[None, "丙项目", "ENT"], ["2019-422801-15-03-000777", "丙项目", "ENT"]],
            "与第 2 行是同一企业的同名项目；同一企业的项目名称不能重复",
        ),
        ([["2019-422801-15-03-000001", "乙项目", "ENT"]], "该企业已有名为“乙项目”的项目，不能改为此名称"),
    ],
)
def test_rows_that_cannot_be_matched_to_one_project_are_rejected(rows, message):
    ent = EnterpriseFactory(name="甲企业", credit_code=make_credit_code(1))
    other = EnterpriseFactory(credit_code=make_credit_code(2))
    ProjectFactory(enterprise=ent, name="甲项目", project_code="2019-422801-15-03-000001")
    ProjectFactory(enterprise=ent, name="乙项目")
    ProjectFactory(enterprise=ent, name="乙项目")
    codes = {"ENT": ent.credit_code, "OTHER": other.credit_code}
    body = [[code, name, codes[who], 5000, 2000, 4000] for code, name, who in rows]
    header = [
        "项目代码",
        "项目名称",
        "统一社会信用代码",
        "总投资（万元）",
        "设备投资（万元）",
        "固定资产投资（万元）",
    ]
    report = validate(projects(), xlsx([header, *body]), ImportContext())
    message = message.replace("ENT", ent.credit_code)
    last = report.rows[-1]
    assert last.outcome == "rejected"
    assert [i.reason for i in last.issues] == [message]


def test_an_import_never_moves_the_lifecycle_and_only_adds_plan_years(users):
    p = ProjectFactory(status=ProjectStatus.CONSTRUCTION, actual_start_date=dt.date(2018, 5, 1))
    ProjectPlanYear.objects.create(project=p, year=2018)
    ProjectPlanYear.objects.create(project=p, year=2019)
    header = ["项目名称", "统一社会信用代码", "总投资（万元）", "状态", "列入计划年度", "企业名称"]
    data = xlsx([header, [p.name, p.enterprise.credit_code, 5000, "竣工投产", "2019", "别的名字"]])
    report = run_import(projects(), data, ImportContext(), mode="all")
    assert report.row(2).outcome == "unchanged"
    assert [i.reason for i in report.row(2).issues] == [
        f"与企业库中登记的名称“{p.enterprise.name}”不一致，以企业库为准",
        "状态未导入（项目库中为“在建”）：状态须通过“状态变更”操作修改",
    ]
    p.refresh_from_db()
    assert p.status == ProjectStatus.CONSTRUCTION and p.version == 1
    assert sorted(p.plan_years.values_list("year", flat=True)) == [2018, 2019]


def test_a_new_project_needs_every_amount_and_ordered_dates_with_the_forms_messages():
    ent = EnterpriseFactory()
    header = ["项目名称", "统一社会信用代码", "总投资（万元）", "计划开工日期", "计划竣工日期", "项目代码"]
    data = xlsx([
        header,
        ["甲", ent.credit_code, 100, "2019-05-01", "2019-01-01", None],
        ["乙", ent.credit_code, 100, None, None, "2021-422801-39-03-0123"],
    ])  # fmt: skip
    report = validate(projects(), data, ImportContext())
    assert [(i.column, i.reason) for i in report.row(2).issues] == [
        ("设备投资", "金额不能为空"),
        ("固定资产投资", "金额不能为空"),
        ("计划竣工日期", "计划竣工日期不能早于计划开工日期"),
    ]
    assert [(i.column, i.reason) for i in report.row(3).issues] == [
        ("项目代码", "项目代码格式应为 YYYY-RRRRRR-DD-TT-NNNNNC（如 2021-422801-39-03-012345）")
    ]


def test_a_csv_file_in_gbk_imports_like_a_workbook():
    ent = EnterpriseFactory()
    rows = [["项目名称", "统一社会信用代码", "总投资(万元)", "设备投资(万元)", "固定资产投资(万元)", "重点项目"],
            ["甲项目", ent.credit_code, "1,000", "200", "800", "是"]]  # fmt: skip
    report = run_import(projects(), csv_bytes(rows, "gbk"), ImportContext(), filename="甲.csv")
    assert report.counts["new"] == 1
    assert Project.objects.get(name="甲项目").is_key


# --- round trip and audit -------------------------------------------------------------------------


def test_an_export_of_the_library_reimports_as_unchanged(users):
    demo_like_library()
    data = exports.project_xlsx_bytes(Project.objects.select_related("enterprise", "region", "industry")
                                      .prefetch_related("plan_years").order_by("id"))  # fmt: skip
    before = snapshot_db()
    report = run_import(projects(), data, context_for(users["office"]), mode="all", filename="导出.xlsx")
    assert report.counts == {
        "new": 0,
        "updated": 0,
        "unchanged": 45,
        "rejected": 0,
        "skipped": 0,
        "total": 45,
    }
    assert [i for i in report.issues if i.severity != "info"] == []
    assert snapshot_db()[:3] == before[:3]


def test_the_enterprises_table_round_trips_and_updates_but_never_moves_a_unit(users):
    demo_like_library()
    spec = enterprises()
    records = list(spec.adapter.load_existing(list(Enterprise.objects.values_list("credit_code", flat=True)),
                                              ImportContext()).values())  # fmt: skip
    data = build_export(spec, records)
    report = run_import(spec, data, context_for(users["office"]))
    assert report.counts["unchanged"] == Enterprise.objects.count() and not report.written
    first, second = Enterprise.objects.order_by("id")[:2]
    header = ["企业名称", "统一社会信用代码", "报送单位", "行业代码", "联系电话", "重点行业"]
    data = xlsx([
        header,
        [first.name, first.credit_code, first.region.name, None, "０７１８-８８８８８８８", "硒食品加工"],
        ["新企业有限公司", make_credit_code(555), "恩施市", "13 农副食品加工业", None, None],
        ["缺行业有限公司", make_credit_code(556), "恩施市", None, None, None],
        [second.name, second.credit_code, "鹤峰县" if second.region.code != "422828" else "恩施市", None, None, None],
    ])  # fmt: skip
    report = run_import(spec, data, context_for(users["office"]), mode="good", filename="企业.xlsx")
    assert [r.outcome for r in report.rows] == ["updated", "new", "rejected", "rejected"]
    assert report.row(4).issues[0].reason == "新登记的企业须填写行业代码"
    assert (
        report.row(5).issues[0].reason.startswith(f"该企业登记在{second.region.name}，导入不能变更报送单位")
    )
    first.refresh_from_db()
    assert first.contact_phone == "0718-8888888" and first.champion_industry.name == "硒食品加工"
    assert first.version == 2
    new = Enterprise.objects.get(credit_code=make_credit_code(555))
    assert (new.region.code, new.industry.code, new.registered_in_prefecture) == ("422801", "13", True)
    events = AuditEvent.objects.filter(object_type="registry.enterprise", source="import").order_by("seq")
    assert [e.event for e in events] == ["create", "update"]
    assert events[1].after["contact_phone"] == "0718-8888888" and events[1].before["contact_phone"] == ""


def test_updates_appear_in_the_audit_log_with_the_file_as_their_source(users):
    lib = library()
    data = county_workbook(lib)
    report = run_import(projects(), data, context_for(users["clerk"]), mode="good", filename="恩施市6月.xlsx")
    source = f"恩施市6月.xlsx (sha256:{report.sha256[:16]})"
    events = list(AuditEvent.objects.filter(source="import").order_by("seq"))
    assert [(e.event, e.object_type) for e in events] == [
        ("create", "registry.project"), ("create", "registry.project"), ("update", "registry.project"),
        ("import", "imports.projects"),
    ]  # fmt: skip
    assert {e.source_detail for e in events} == {source}
    assert {e.username for e in events} == {"clerk"}
    update = events[2]
    assert update.object_id == str(lib.changed.pk) and update.object_repr == lib.changed.name
    assert update.before == {"total_investment_yuan": "50000000.00", "plan_years": [2018], "version": 1}
    assert update.after == {"total_investment_yuan": "60000000.00", "plan_years": [2018, 2019], "version": 2}
    created = events[0]
    assert created.before is None and created.after["name"] == "年产5万吨硒茶加工技术改造项目"
    assert created.after["plan_years"] == [2019] and created.after["status"] == "reserve"
    # The same record as a page's save would write (audit.snapshot of the stored project) plus the plan years.
    stored = audit.snapshot(Project.objects.get(pk=created.object_id))
    assert {k: v for k, v in created.after.items() if k != "plan_years"} == stored
    assert events[3].after["counts"]["new"] == 2 and events[3].outcome == "success"
    assert audit.verify() == []


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_import_leaves_the_database_as_it_was(users, monkeypatch):
    lib = library()
    before = snapshot_db()
    real_bulk_update = registry_services._group_update

    def half_way(model, updates):
        real_bulk_update(model, updates)  # the projects are created and updated by now …
        assert Project.objects.filter(name="年产5万吨硒茶加工技术改造项目").exists()
        raise RuntimeError("power cut")  # … and then the import dies

    monkeypatch.setattr(registry_services, "_group_update", half_way)
    with pytest.raises(ImportWriteError) as err:
        run_import(projects(), county_workbook(lib), context_for(users["clerk"]), mode="good")
    assert "已全部撤销" in err.value.report.message
    after = snapshot_db()
    assert after[:3] == before[:3]
    event = AuditEvent.objects.latest("seq")
    assert (event.event, event.outcome) == ("import", "failure")
    assert after[3] == before[3] + 1
    assert audit.verify() == []


# --- the command ----------------------------------------------------------------------------------


def command(*args):
    out = io.StringIO()
    try:
        call_command("import", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), ""


def test_the_import_command_exit_codes_follow_the_mode(users, tmp_path):
    lib = library()
    path = tmp_path / "恩施市.xlsx"
    path.write_bytes(county_workbook(lib))
    code, out, err = command("projects", str(path), "--user", "CLERK")
    assert code == 2 and "拒绝 4 行" in out and "未写入" in err
    assert Project.objects.count() == 2
    code, out, _ = command("projects", str(path), "--mode", "good", "--dry-run", "--user", "clerk")
    assert code == 0 and "试运行" in out and Project.objects.count() == 2
    code, out, _ = command("projects", str(path), "--mode", "good", "--user", "clerk")
    assert code == 0 and "已写入：新增 2 行，更新 1 行" in out
    assert Project.objects.count() == 4


def test_the_import_command_refuses_unknown_tables_files_users_and_users_without_the_right(users, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([["项目名称"], ["甲"]]))
    assert command("nothing", str(path))[0] == 2
    assert command("projects", str(tmp_path / "missing.xlsx"))[2].startswith("找不到文件")
    assert command("projects", str(path), "--user", "nobody")[2] == "找不到用户“nobody”"
    assert command("projects", str(path), "--user", "enterprise")[2] == "用户“enterprise”没有导入数据的权限"
    xls = tmp_path / "旧.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    code, out, _ = command("projects", str(xls), "--user", "office")
    assert code == 2 and "请将文件另存为 .xlsx 格式后再导入" in out


def test_the_import_command_requires_a_named_active_user_with_the_right(users, tmp_path):
    # Issue 11 point 10: an import attributed to "system" says nobody; the command names its user.
    lib = library()
    path = tmp_path / "全州.xlsx"
    path.write_bytes(county_workbook(lib))
    code, _out, err = command("projects", str(path), "--mode", "good")
    assert code == 2 and err.startswith("请用 --user 指定导入数据的用户")
    users["office"].is_active = False
    users["office"].save()
    code, _out, err = command("projects", str(path), "--mode", "good", "--user", "office")
    assert code == 2 and err == "用户“office”已停用，不能导入数据"
    assert Project.objects.count() == 2 and not AuditEvent.objects.filter(source="import").exists()


def test_the_command_records_each_row_under_the_named_user_and_the_file(users, tmp_path):
    lib = library()
    path = tmp_path / "全州.xlsx"
    path.write_bytes(county_workbook(lib))
    code, out, _ = command("projects", str(path), "--mode", "good", "--user", "office")
    assert code == 0 and "新增 3 行" in out  # the office imports prefecture-wide: the 利川市 row too
    events = AuditEvent.objects.filter(source="import", event__in=("create", "update"))
    assert events.count() == 4 and {e.username for e in events} == {"office"}
    assert {e.source_detail.split(" (sha256:")[0] for e in events} == {"全州.xlsx"}


def test_a_failed_write_exits_1(users, tmp_path, monkeypatch):
    lib = library()
    path = tmp_path / "恩施市.xlsx"
    path.write_bytes(county_workbook(lib))

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(registry_imports.audit, "record_many", boom)
    code, out, _ = command("projects", str(path), "--mode", "good", "--user", "office")
    assert code == 1 and "已全部撤销" in out
    assert Project.objects.count() == 2


# --- the pages ------------------------------------------------------------------------------------


def upload(client, data, name="恩施市.xlsx", table="projects", mode="all"):
    return client.post(
        "/imports/upload/", {"table": table, "mode": mode, "file": SimpleUploadedFile(name, data)}
    )


def test_the_import_page_lists_tables_and_serves_templates_with_dropdowns_and_help(client_for):
    c = client_for("clerk")
    page = c.get("/imports/").content.decode()
    assert "下载“技改项目”导入模板" in page and "下载“企业”导入模板" in page
    r = c.get("/imports/projects/template.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "技改项目" and "说明" in wb.sheetnames
    headers = [c.value for c in wb["技改项目"][1]]
    assert headers == [h for h, _ in exports.PROJECT_COLUMNS]
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789")
        for dv in wb["技改项目"].data_validations.dataValidation
    }
    letters = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    assert {letters["重点项目"], letters["报送单位"], letters["行业代码"], letters["状态"]} <= lists
    assert c.get("/imports/nothing/template.xlsx").status_code == 404
    assert build_template(enterprises())[:2] == b"PK"


def test_an_enterprise_user_cannot_open_the_import_pages(client_for):
    c = client_for("enterprise")
    assert c.get("/imports/").status_code == 403
    assert upload(c, xlsx([["项目名称"]])).status_code == 403
    assert c.post("/imports/confirm/", {"token": "0" * 64}).status_code == 403


def test_upload_preview_and_confirm_write_the_kept_file(client_for, users, kept_uploads):
    lib = library()
    c = client_for("clerk")
    r = upload(c, county_workbook(lib), mode="good")
    page = r.content.decode()
    assert r.status_code == 200
    assert (
        '<td class="num" id="count-new">2</td>' in page
        and '<td class="num" id="count-rejected">4</td>' in page
    )
    assert "只能导入本单位（恩施市）的数据，这一行属于利川市" in page and BAD_CODE in page
    assert "总投资：5000 万元 → 6000 万元" in page and "确认导入" in page
    assert Project.objects.count() == 2  # the preview writes nothing
    token = r.context["token"]
    assert (kept_uploads / f"{users['clerk'].pk}-{token}.bin").exists()

    # Another clerk cannot confirm this upload: the kept file is the uploader's.
    lichuan_clerk = make_user("clerk_422802", Role.CLERK, region=Region.objects.get(code="422802"))
    c.force_login(lichuan_clerk)
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"}, follow=True)
    assert "上传的文件已过期或已经导入" in r.content.decode() and Project.objects.count() == 2

    c.force_login(users["clerk"])
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"})
    assert r.status_code == 200 and "已写入：新增 2 行，更新 1 行" in r.content.decode()
    assert Project.objects.count() == 4
    assert not list(kept_uploads.iterdir())
    event = AuditEvent.objects.filter(event="import").latest("seq")
    assert event.username == "clerk" and event.outcome == "success" and event.source == "import"
    # The kept file is gone once written: confirming again changes nothing.
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"}, follow=True)
    assert "上传的文件已过期或已经导入" in r.content.decode() and Project.objects.count() == 4


def test_all_or_nothing_on_the_page_writes_nothing_and_offers_good_rows_only(client_for, users):
    lib = library()
    c = client_for("clerk")
    token = upload(c, county_workbook(lib)).context["token"]
    r = c.post("/imports/confirm/", {"token": token, "mode": "all"})
    assert "本次未写入任何数据" in r.content.decode() and "改为只导入无误的行" in r.content.decode()
    assert Project.objects.count() == 2
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"})
    assert "已写入" in r.content.decode() and Project.objects.count() == 4


def test_a_clerk_of_another_unit_sees_the_other_units_rows_rejected(client_for, users):
    lib = library()
    lichuan_clerk = make_user("clerk_422802", Role.CLERK, region=Region.objects.get(code="422802"))
    c = client_for("clerk")
    c.force_login(lichuan_clerk)
    r = upload(c, county_workbook(lib), mode="good")
    assert r.context["counts"]["rejected"] == 7
    assert "只能导入本单位（利川市）的数据，这一行属于恩施市" in r.content.decode()


def test_an_xls_file_is_refused_on_the_page_with_a_save_as_message(client_for):
    r = upload(client_for("clerk"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, name="旧表.xls")
    assert r.status_code == 400
    assert "请将文件另存为 .xlsx 格式后再导入" in r.content.decode()


def test_a_zip_bomb_and_an_xxe_workbook_are_refused_on_the_page_quickly_with_bounded_memory(client_for):
    c = client_for("clerk")
    bomb = zip_bomb()
    tracemalloc.start()
    started = time.perf_counter()
    r = upload(c, bomb, name="炸弹.xlsx")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert r.status_code == 400 and "疑似压缩炸弹，已拒绝" in r.content.decode()
    assert elapsed < 5 and peak < 50 * 1024 * 1024
    r = upload(c, handmade_xlsx(doctype=XXE, cell="&xxe;"), name="xxe.xlsx")
    assert r.status_code == 400 and "不安全的 XML 内容" in r.content.decode()


def test_a_file_over_the_size_limit_is_refused_before_parsing(client_for, settings, monkeypatch):
    settings.JIGAI_UPLOAD_MAX_BYTES = 1000

    def parsed(*args, **kwargs):
        raise AssertionError("an oversized file must not be parsed")

    monkeypatch.setattr("jigai.registry.import_views.validate", parsed)
    r = upload(client_for("clerk"), b"x" * 5000, name="大.csv")
    assert r.status_code == 400 and "文件超过大小上限" in r.content.decode()


def test_a_kept_upload_expires(client_for, users, settings):
    lib = library()
    c = client_for("clerk")
    token = upload(c, county_workbook(lib), mode="good").context["token"]
    settings.JIGAI_IMPORT_UPLOAD_TTL_SECONDS = -1
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"}, follow=True)
    assert "上传的文件已过期或已经导入" in r.content.decode()
    assert Project.objects.count() == 2
    assert c.post("/imports/confirm/", {"token": "../../etc/passwd"}, follow=True).status_code == 200


def test_on_sqlite_a_large_import_says_that_others_saves_queue(client_for, monkeypatch, kept_uploads):
    """Issue 11, point 14: an import is one transaction; on SQLite the preview says plainly that others'
    saves wait meanwhile and that PostgreSQL is the answer (docs/operator-guide.md)."""
    from django.db import connection

    from jigai.registry import import_views

    lib = library()
    c = client_for("clerk")
    page = upload(c, county_workbook(lib), mode="good").content.decode()
    assert 'id="sqlite-wait"' not in page  # a county's file: nothing to say
    monkeypatch.setattr(import_views, "LARGE_IMPORT_ROWS", 3)
    page = upload(c, county_workbook(lib), mode="good").content.decode()
    if connection.vendor == "sqlite":
        assert "本次将写入 3 行" in page and "PostgreSQL" in page and "数据库正忙" in page
    else:
        assert 'id="sqlite-wait"' not in page


def test_an_import_checks_each_new_project_once(users, monkeypatch):
    """The adapter's row check is the service's own (services.check_new_project): its result is written
    as it is, so project_check runs once per new row, not twice (benchmarks/import.py)."""
    lib = library()
    calls = []
    real = registry_services.project_check
    monkeypatch.setattr(registry_services, "project_check", lambda v: calls.append(v) or real(v))
    monkeypatch.setattr(registry_imports, "project_check", lambda v: calls.append(v) or real(v))
    before = set(Project.objects.values_list("pk", flat=True))
    report = run_import(projects(), county_workbook(lib), context_for(users["office"]), mode="good")
    assert report.written and report.counts["new"] >= 1
    created = Project.objects.exclude(pk__in=before).values_list("name", flat=True)
    assert len(created) == report.counts["new"]
    for name in created:
        assert sum(1 for c in calls if c.get("name") == name) == 1, name
