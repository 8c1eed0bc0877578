"""The engine end to end, on the project-like test table and messy workbooks."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.imports import ImportContext, ImportWriteError, run, validate

from .tables import VALID_CODE, VALID_CODE_2, DictAdapter, make_code, project_spec
from .workbooks import xlsx

D = Decimal
ENSHI = "422801"
CODE_A, CODE_B, CODE_C, CODE_D = make_code(1), make_code(2), make_code(3), make_code(4)
BAD_CODE = VALID_CODE[:17] + "0"

TITLE = "2018年恩施州传统产业技术改造项目汇总表"
UPPER = [
    "序号",
    "项目名称",
    "所属县市",
    "统一社会信用代码",
    "投资（万元）",
    None,
    "累计完成投资（元）",
    "开工时间",
    "是否重点项目",
    "所属行业",
]
LOWER = [None, None, None, None, "总投资", "设备投资", None, None, None, None]
MERGES = ["A1:J1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "H3:H4", "I3:I4", "J3:J4"]


def messy_workbook() -> bytes:
    """A county's own workbook: title, unit line, merged two-row header, mixed units, every kind of
    mess in the data, a blank row and a total row."""
    rows = [
        [TITLE],
        ["填报单位：恩施市经信局", None, None, None, None, None, None, None, "填报日期：2018年4月5日"],
        UPPER,
        LOWER,
        [
            1,
            "年产5万吨硒茶加工技改项目",
            "恩施市",
            VALID_CODE,
            1200,
            350.5,
            "1,234,567.89",
            "2018年3月",
            "是",
            "13 农副食品加工业",
        ],
        [
            2,
            " 富硒饮品生产线 改造 ",
            "恩施",
            VALID_CODE_2,
            "１２００．５",
            "３００",
            800000,
            "2018/3/15",
            "√",
            "酒、饮料和精制茶制造业",
        ],
        [3, "坏代码项目", "恩施市", BAD_CODE, 500, 100, None, "2018.3.15", "否", None],
        [4, "利川的项目", "利川市", CODE_A, 500, 100, None, 20180315, "否", None],
        [None, None, None, None, None, None, None, None, None, None],
        [5, "公式项目", "恩施市", CODE_B, "=E5+E6", 100, None, dt.datetime(2018, 3, 15), "否", None],
        [6, "精度过高项目", "恩施市", CODE_C, 100, "12.1234567", None, "2018-02-30", "也许", None],
        [7, "设备超总投资", "高新区", CODE_D, 100, 200, None, "20180315", "N", "14"],
        [None, "合计", None, None, "=SUM(E5:E11)", "=SUM(F5:F11)", None, None, None, None],
    ]
    return xlsx(rows, merges=MERGES, title="2018年项目")


def clerk() -> ImportContext:
    return ImportContext(user="enshi-clerk", unit=ENSHI)


@pytest.fixture
def adapter():
    return DictAdapter()


@pytest.fixture
def spec(adapter):
    return project_spec(adapter)


def go(spec, data, context=None, **kwargs):
    kwargs.setdefault("atomic", spec.adapter.atomic)
    return run(spec, data, context or clerk(), filename=kwargs.pop("filename", "2018年项目.xlsx"), **kwargs)


# --- the messy workbook -----------------------------------------------------------------------------


def test_the_messy_workbook_is_understood_row_by_row(spec):
    report = validate(spec, messy_workbook(), clerk(), filename="2018年项目.xlsx")
    assert not report.file_errors
    [sheet] = report.sheets
    assert sheet["header_rows"] == [3, 4]
    units = {c["key"]: (c["unit"], c["unit_source"]) for c in sheet["columns"]}
    assert units["total"] == ("万元", "header")
    assert units["equipment"] == ("万元", "header")
    assert units["completed"] == ("元", "header")

    outcome = {r.row: r for r in report.rows}
    assert sorted(outcome) == [5, 6, 7, 8, 10, 11, 12]
    assert outcome[5].outcome == "new"
    assert outcome[6].outcome == "new"
    for n in (7, 8, 10, 11, 12):
        assert outcome[n].outcome == "rejected", n

    def reasons(n):
        return [(i.column, i.reason) for i in outcome[n].issues if i.severity == "error"]

    assert reasons(7) == [
        ("统一社会信用代码", f"统一社会信用代码校验位错误：第18位应为“{VALID_CODE[17]}”，现为“0”")
    ]
    assert reasons(8) == [("所属县市", "只能导入本单位（恩施市）的数据，这一行属于利川市")]
    assert reasons(10) == [("总投资", "单元格含公式，请复制后“粘贴为数值”再导入")]
    r11 = dict(reasons(11))
    assert "最多 6 位小数（实际 7 位）" in r11["设备投资"]
    assert r11["开工日期"] == "日期不存在：2018年2月30日"
    assert "应填“是”或“否”" in r11["是否重点项目"]
    assert reasons(12) == [("所属县市", "只能导入本单位（恩施市）的数据，这一行属于州高新区")]

    issue = outcome[7].issues[0]
    assert (issue.sheet, issue.row, issue.cell, issue.value) == ("2018年项目", 7, "D7", BAD_CODE)

    # Row 5's date was given to the month only: kept, with a remark.
    [warning] = [i for i in outcome[5].issues if i.severity == "warning"]
    assert (warning.column, warning.value) == ("开工日期", "2018年3月")

    assert [(s.row, s.reason) for s in report.skipped] == [(13, "合计行，已跳过")]
    assert report.blank_rows == 1
    assert report.counts == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 5, "skipped": 1, "total": 7}


def test_values_from_the_messy_workbook_are_exact(spec, adapter):
    report = go(spec, messy_workbook(), mode="good")
    assert report.written
    first = adapter.store[(VALID_CODE, "年产5万吨硒茶加工技改项目")]
    assert first == {
        "name": "年产5万吨硒茶加工技改项目",
        "unit": ENSHI,
        "credit_code": VALID_CODE,
        "total": D("12000000.00"),
        "equipment": D("3505000.00"),
        "completed": D("1234567.89"),
        "start_date": dt.date(2018, 3, 1),
        "key_project": True,
        "industry": "13",
    }
    second = adapter.store[(VALID_CODE_2, "富硒饮品生产线 改造")]
    assert second["total"] == D("12005000.00")
    assert second["equipment"] == D("3000000.00")
    assert second["completed"] == D("800000.00")
    assert second["start_date"] == dt.date(2018, 3, 15)
    assert second["industry"] == "15"


def test_all_or_nothing_writes_nothing_when_a_row_is_rejected(spec, adapter):
    report = go(spec, messy_workbook(), mode="all")
    assert not report.written
    assert adapter.store == {}
    assert adapter.apply_calls == 0
    assert report.exit_code == 2
    assert "未写入任何数据" in report.message


def test_good_rows_only_writes_the_good_rows(spec, adapter):
    report = go(spec, messy_workbook(), mode="good")
    assert report.written
    assert report.exit_code == 0
    assert len(adapter.store) == 2
    assert all(a["source"].startswith("2018年项目.xlsx (sha256:") for a in adapter.audit)


def test_a_dry_run_writes_nothing(spec, adapter):
    report = go(spec, messy_workbook(), mode="good", dry_run=True)
    assert report.dry_run and not report.written
    assert adapter.store == {}
    assert report.counts["new"] == 2


def test_reimporting_the_same_file_changes_nothing(spec, adapter):
    go(spec, messy_workbook(), mode="good")
    before = {k: dict(v) for k, v in adapter.store.items()}
    audit = len(adapter.audit)
    report = go(spec, messy_workbook(), mode="good")
    assert report.counts["new"] == 0
    assert report.counts["unchanged"] == 2
    assert report.counts["updated"] == 0
    assert not report.written
    assert adapter.store == before
    assert len(adapter.audit) == audit


def test_a_changed_amount_is_an_update_with_its_old_and_new_value(spec, adapter):
    go(spec, messy_workbook(), mode="good")
    key = (VALID_CODE, "年产5万吨硒茶加工技改项目")
    adapter.store[key]["equipment"] = D("3000000.00")
    report = go(spec, messy_workbook(), mode="good")
    row = report.row(5)
    assert row.outcome == "updated"
    assert row.changes == {"设备投资": (D("3000000.00"), D("3505000.00"))}
    assert adapter.store[key]["equipment"] == D("3505000.00")
    [update] = [a for a in adapter.audit if a["event"] == "update"]
    assert update["changes"] == {"equipment": (D("3000000.00"), D("3505000.00"))}
    assert update["source"].startswith("2018年项目.xlsx")


def test_a_blank_cell_never_erases_stored_data(spec, adapter):
    rows = [
        ["项目名称", "所属县市", "统一社会信用代码", "总投资", "设备投资"],
        ["甲", "恩施市", CODE_A, 100, 50],
    ]
    go(spec, xlsx(rows))
    rows[1][4] = None
    report = go(spec, xlsx(rows))
    assert report.row(2).outcome == "unchanged"
    assert adapter.store[(CODE_A, "甲")]["equipment"] == D("500000.00")


def test_a_clerk_cannot_touch_another_units_stored_record(spec, adapter):
    adapter.store[(CODE_A, "甲")] = {
        "name": "甲",
        "unit": "422802",
        "credit_code": CODE_A,
        "total": D("1000000.00"),
    }
    rows = [["项目名称", "所属县市", "统一社会信用代码", "总投资"], ["甲", "恩施市", CODE_A, 200]]
    report = go(spec, xlsx(rows))
    assert report.row(2).outcome == "rejected"
    assert report.row(2).issues[0].reason == "只能导入本单位（恩施市）的数据，该记录不在本单位"
    assert "利川" not in report.as_text()  # no existence oracle: whose record it is stays unsaid
    assert adapter.store[(CODE_A, "甲")]["total"] == D("1000000.00")


def test_the_prefecture_office_may_import_every_unit(spec, adapter):
    report = go(spec, messy_workbook(), ImportContext(user="office"), mode="good")
    assert report.row(8).outcome == "new"
    assert report.row(12).outcome == "rejected"  # still: equipment above total
    assert report.row(12).issues[0].reason == "设备投资不能大于总投资"
    assert report.row(12).issues[0].column == "设备投资"


def test_duplicate_keys_are_rejected_with_both_row_numbers(spec, adapter):
    rows = [
        ["项目名称", "所属县市", "统一社会信用代码", "总投资"],
        ["甲", "恩施市", CODE_A, 100],
        ["乙", "恩施市", CODE_A, 100],
        ["甲", "恩施市", CODE_A, 200],
    ]
    report = go(spec, xlsx(rows), mode="good")
    assert report.row(3).outcome == "new"
    for n, other in ((2, 4), (4, 2)):
        row = report.row(n)
        assert row.outcome == "rejected"
        assert row.issues[0].reason == f"与第 {other} 行重复（{CODE_A} / 甲），同一记录只能出现一次"
    assert list(adapter.store) == [(CODE_A, "乙")]


def test_a_required_cell_left_empty_is_reported(spec):
    rows = [["项目名称", "所属县市", "统一社会信用代码", "总投资"], ["甲", None, CODE_A, 100]]
    report = validate(spec, xlsx(rows), clerk())
    assert [(i.column, i.reason) for i in report.row(2).issues] == [("所属县市", "必填项未填写")]


def test_existing_records_are_loaded_in_one_call(spec, adapter):
    rows = [["项目名称", "所属县市", "统一社会信用代码", "总投资"]] + [
        [f"项目{i}", "恩施市", make_code(i), i] for i in range(1, 301)
    ]
    go(spec, xlsx(rows))
    assert adapter.load_calls == [300]


# --- writing safely ---------------------------------------------------------------------------------


def test_an_import_interrupted_half_way_leaves_the_data_as_it_was(adapter):
    spec = project_spec(adapter)
    adapter.store[(CODE_A, "甲")] = {
        "name": "甲",
        "unit": ENSHI,
        "credit_code": CODE_A,
        "total": D("1000000.00"),
    }
    before = {k: dict(v) for k, v in adapter.store.items()}
    rows = (
        [["项目名称", "所属县市", "统一社会信用代码", "总投资"]]
        + [[f"项目{i}", "恩施市", make_code(100 + i), i] for i in range(10)]
        + [["甲", "恩施市", CODE_A, 200]]
    )
    adapter.fail_after = 5
    with pytest.raises(ImportWriteError) as err:
        go(spec, xlsx(rows))
    assert adapter.store == before
    assert not err.value.report.written
    assert "已全部撤销" in err.value.report.message


def test_the_write_runs_inside_a_django_transaction_by_default(spec, adapter, monkeypatch):
    from django.db import transaction

    events = []

    class Recorder:
        def __init__(self, using):
            events.append(("atomic", using))

        def __enter__(self):
            events.append("begin")

        def __exit__(self, *exc):
            events.append("rollback" if exc[0] else "commit")
            return False

    monkeypatch.setattr(transaction, "atomic", lambda using=None: Recorder(using))
    original_apply = adapter.apply

    def apply(*args):
        events.append("apply")
        original_apply(*args)

    adapter.apply = apply
    rows = [["项目名称", "所属县市", "统一社会信用代码", "总投资"], ["甲", "恩施市", CODE_A, 100]]
    run(spec, xlsx(rows), clerk())
    assert events == [("atomic", "default"), "begin", "apply", "commit"]


def test_an_unsafe_file_is_reported_not_raised(spec, adapter):
    report = go(spec, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, filename="旧表.xls")
    assert report.refused
    assert report.exit_code == 2
    assert "请将文件另存为 .xlsx 格式后再导入" in report.file_errors[0].reason
    assert adapter.load_calls == []


def test_a_file_without_a_recognisable_header_is_refused(spec):
    report = validate(spec, xlsx([["甲", "乙"], [1, 2]]))
    assert report.refused
    assert report.file_errors[0].reason.startswith("未找到表头")


def test_a_missing_required_column_refuses_the_file(spec, adapter):
    rows = [["项目名称", "统一社会信用代码", "总投资"], ["甲", CODE_A, 100]]
    report = go(spec, xlsx(rows), mode="good")
    assert report.refused
    assert "缺少必填列：所属县市" in report.file_errors[0].reason
    assert adapter.store == {}


def test_the_row_limit_is_enforced(spec):
    rows = [["项目名称", "所属县市", "统一社会信用代码", "总投资"]] + [["甲", "恩施市", CODE_A, 1]] * 5
    report = validate(spec, xlsx(rows), max_rows=3)
    assert report.refused
    assert "超过 3 行" in report.file_errors[0].reason


# --- the report -------------------------------------------------------------------------------------


def test_the_text_report_lists_every_problem_in_chinese(spec):
    text = validate(spec, messy_workbook(), clerk(), filename="2018年项目.xlsx").as_text()
    assert "导入报告：技改项目（projects）" in text
    assert "统计：新增 2 行，更新 0 行，未变化 0 行，拒绝 5 行" in text
    assert (
        f"工作表“2018年项目”第 7 行“统一社会信用代码”列（D7），值“{BAD_CODE}”：统一社会信用代码校验位错误"
        in text
    )
    assert "合计行，已跳过" in text
    assert "按“全部或不导入”方式将不会写入任何数据" in text


def test_the_report_as_a_dict_is_json_ready(spec):
    import json

    go(spec, messy_workbook(), mode="good")
    spec.adapter.store[(VALID_CODE, "年产5万吨硒茶加工技改项目")]["total"] = D("1.00")
    data = validate(spec, messy_workbook(), clerk(), mode="good").as_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["counts"]["updated"] == 1
    updated = next(r for r in data["rows"] if r["outcome"] == "updated")
    assert updated["changes"] == {"总投资": ["1.00", "12000000.00"]}
    assert updated["outcome_label"] == "更新"
