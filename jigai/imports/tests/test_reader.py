"""Finding the header and the rows in spreadsheets as counties really make them."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.imports import ImportContext, validate
from jigai.imports.parsers import Money
from jigai.imports.reader import HeaderIndex, _carry_right

from .tables import make_code, project_spec
from .workbooks import csv_bytes, xlsx

D = Decimal
CODE = make_code(7)
BASE = ["项目名称", "所属县市", "统一社会信用代码"]


def check(data, filename="t.xlsx", **kwargs):
    return validate(project_spec(), data, ImportContext(), filename=filename, **kwargs)


def only_row(report):
    [row] = report.rows
    return row


def imported(data, filename="t.xlsx"):
    from jigai.imports import run

    spec = project_spec()
    report = run(spec, data, ImportContext(), filename=filename, atomic=spec.adapter.atomic)
    assert not report.file_errors, report.as_text()
    return report, list(spec.adapter.store.values())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("设备投资（万元）", ("equipment", "万元")),
        ("设备投资额(万元)", ("equipment", "万元")),
        ("设备投资 万元", ("equipment", "万元")),
        ("设备投资/万元", ("equipment", "万元")),
        ("设备投资（单位：万元）", ("equipment", "万元")),
        ("设备投资金额（元）", ("equipment", "元")),
        ("其中：设备投资", ("equipment", None)),
        ("其中:设备投资额（万元）", ("equipment", "万元")),
        ("*项目名称", ("name", None)),
        ("项目名", ("name", None)),
        ("项 目 名 称", ("name", None)),
        ("县市", ("unit", None)),
        ("开工时间", ("start_date", None)),
        ("计划总投资(亿元)", ("total", "亿元")),
        ("备注", (None, None)),
    ],
)
def test_headers_are_matched_by_name_variant_and_unit(header, expected):
    column, unit = HeaderIndex(project_spec()).match(header)
    assert ((column.key if column else None), unit) == expected


def test_columns_in_any_order_with_a_title_row_and_units_from_each_header():
    rows = [
        ["某县技改项目表"],
        ["已完成投资（元）", "统一社会信用代码", "总投资（万元）", "所属县市", "项目名称", "设备投资额(元)"],
        ["5,000,000.5", CODE, "１,２００", "建始县", "甲", 3000000],
    ]
    report, [record] = imported(xlsx(rows))
    assert report.sheets[0]["header_rows"] == [2]
    assert record["completed"] == D("5000000.50")
    assert record["total"] == D("12000000.00")
    assert record["equipment"] == D("3000000.00")
    assert record["unit"] == "422822"


def test_a_unit_line_above_the_header_sets_the_unit_of_money_columns():
    rows = [
        ["项目表"],
        ["填报单位：巴东县", None, None, "单位：元"],
        [*BASE, "总投资"],
        ["甲", "巴东县", CODE, 1200],
    ]
    report, [record] = imported(xlsx(rows))
    assert record["total"] == D("1200.00")
    assert report.sheets[0]["columns"][3]["unit_source"] == "table"


def test_a_money_header_without_a_unit_is_taken_as_wan_with_a_warning():
    rows = [[*BASE, "总投资"], ["甲", "巴东县", CODE, 12]]
    report = check(xlsx(rows))
    assert report.file_warnings[0].reason == "表头未注明金额单位，按万元处理"
    assert only_row(report).outcome == "new"


def test_a_two_row_header_in_a_csv_carries_the_group_unit_to_its_sub_columns():
    rows = [
        ["项目名称", "所属县市", "统一社会信用代码", "投资（元）", "", "开工时间"],
        ["", "", "", "总投资", "设备投资", ""],
        ["甲", "咸丰县", CODE, "1200", "300", "2018年3月15日"],
    ]
    report, [record] = imported(csv_bytes(rows), filename="t.csv")
    assert report.sheets[0]["header_rows"] == [1, 2]
    assert record["total"] == D("1200.00")
    assert record["equipment"] == D("300.00")
    assert record["start_date"] == dt.date(2018, 3, 15)


def test_carrying_right_stops_where_the_lower_row_is_empty():
    assert _carry_right(["a", None, None, "b", None], [None, "x", None, None, "y"]) == [
        "a",
        None,
        None,
        "b",
        None,
    ]
    assert _carry_right(["投资", None, "c"], ["总", "设", None]) == ["投资", "投资", "c"]


def test_a_merged_two_row_header_whose_lower_row_names_everything_still_takes_the_upper_unit():
    rows = [
        ["项目名称", "所属县市", "统一社会信用代码", "投资（元）", None],
        [None, None, None, "总投资", "设备投资"],
        ["甲", "来凤县", CODE, 1200, 300],
    ]
    data = xlsx(rows, merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1"])
    report, [record] = imported(data)
    assert report.sheets[0]["header_rows"] == [1, 2]
    assert record["total"] == D("1200.00")


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b""), ("utf-16", b"")],
)
def test_csv_in_utf8_bom_gbk_and_utf16_is_read(encoding, prefix):
    rows = [[*BASE, "总投资（万元）", "是否重点项目"], ["硒茶项目", "鹤峰县", CODE, "1,200.5", "是"]]
    data = prefix + csv_bytes(rows, encoding=encoding)
    _, [record] = imported(data, filename="t.csv")
    assert record["name"] == "硒茶项目"
    assert record["unit"] == "422828"
    assert record["total"] == D("12005000.00")
    assert record["key_project"] is True


def test_tab_separated_text_is_read():
    rows = [[*BASE, "总投资（万元）"], ["甲", "宣恩县", CODE, "1,200"]]
    _, [record] = imported(csv_bytes(rows, delimiter="\t"), filename="t.txt")
    assert record["total"] == D("12000000.00")


def test_unknown_columns_are_warnings_and_serial_numbers_are_ignored_quietly():
    rows = [["序号", *BASE, "总投资（万元）", "联系人"], [1, "甲", "恩施市", CODE, 1, "张三"]]
    report = check(xlsx(rows))
    assert [(w.column, w.value, w.reason) for w in report.file_warnings] == [
        ("F", "联系人", "无法识别的列，已忽略")
    ]


def test_a_column_named_twice_refuses_the_file():
    rows = [[*BASE, "总投资（万元）", "计划总投资"], ["甲", "恩施市", CODE, 1, 2]]
    report = check(xlsx(rows))
    assert report.refused
    assert report.file_errors[0].reason.startswith("“总投资”列出现了 2 次（D、E 列）")


def test_blank_rows_total_rows_notes_and_column_numbers_are_skipped():
    rows = [
        [*BASE, "总投资（万元）"],
        [1, 2, 3, 4],
        ["甲", "恩施市", CODE, 1],
        [None, None, None, None],
        ["  ", None, "", None],
        ["小 计", None, None, 1],
        ["乙", "恩施市", make_code(8), 2],
        ["恩施市合计", None, None, 3],
        ["填报人：张三", None, "联系电话：123", None],
        ["注：金额单位为万元"],
        ["二、利川市"],
        ["总计量中心改造", "恩施市", make_code(11), 5],
        ["合计（万元）", None, None, 8],
    ]
    report = check(xlsx(rows))
    assert [r.row for r in report.rows] == [3, 7, 12]
    assert [(s.row, s.reason) for s in report.skipped] == [
        (2, "表头下的栏次行，已跳过"),
        (6, "合计行，已跳过"),
        (8, "合计行，已跳过"),
        (9, "说明或落款行，已跳过"),
        (10, "说明或落款行，已跳过"),
        (11, "分组标题行，已跳过"),
        (13, "合计行，已跳过"),
    ]
    assert report.blank_rows == 2


def test_a_row_with_only_its_serial_number_is_blank():
    rows = [["序号", *BASE, "总投资（万元）"], [1, "甲", "恩施市", CODE, 1], [2], [3]]
    report = check(xlsx(rows))
    assert len(report.rows) == 1
    assert report.blank_rows == 2


def several_sheets():
    return xlsx(
        [[*BASE, "总投资（万元）"], ["甲", "恩施市", CODE, 1]],
        extra_sheets={
            "第二批": [
                ["项目名称", "所属县市", "统一社会信用代码", "总投资"],
                ["乙", "利川市", make_code(9), 2],
            ],
            "说明": [["列名", "含义"], ["项目名称", "项目的全称"], ["所属县市", "县市"]],
            "旧数据": [[*BASE, "总投资（万元）"], ["丙", "恩施市", make_code(10), 3]],
        },
        hidden=["旧数据"],
    )


def test_all_sheets_with_the_header_are_read_on_request_and_others_are_skipped_with_a_note():
    report = check(several_sheets(), sheets="*")
    assert report.candidate_sheets == ["项目表", "第二批"]
    assert [(r.sheet, r.row) for r in report.rows] == [("项目表", 2), ("第二批", 2)]
    notes = {(w.sheet, w.reason) for w in report.file_warnings}
    assert ("说明", "未找到与本表列名匹配的表头，已跳过该工作表") in notes
    assert ("旧数据", "隐藏的工作表，已跳过") in notes


def test_a_workbook_of_several_data_sheets_asks_which_to_import():
    report = check(several_sheets())
    assert report.refused and report.needs_sheet and report.rows == []
    assert report.candidate_sheets == ["项目表", "第二批"]
    assert [i.reason for i in report.file_errors] == [
        "工作簿中有 2 张数据表（“项目表”、“第二批”），请选择要导入的工作表（命令行用 --sheet 工作表名；"
        "--sheet '*' 合并导入全部）"
    ]


def test_the_chosen_sheet_alone_is_read_and_the_other_data_sheet_is_noted():
    report = check(several_sheets(), sheets=["第二批"])
    assert not report.refused
    assert [(r.sheet, r.row) for r in report.rows] == [("第二批", 2)]
    assert ("第二批", 2) == (report.sheets[0]["sheet"], report.rows[0].row)
    assert ("项目表", "未选择导入此工作表，已跳过") in {(w.sheet, w.reason) for w in report.file_warnings}
    one = check(several_sheets(), sheets="项目表")
    assert [(r.sheet, r.row) for r in one.rows] == [("项目表", 2)]


def test_a_sheet_name_not_in_the_workbook_is_refused_listing_the_sheets():
    report = check(several_sheets(), sheets=["2019年"])
    assert report.refused
    assert (
        report.file_errors[-1].reason == "工作簿中没有名为“2019年”的数据表；可选的工作表：“项目表”、“第二批”"
    )


def test_a_workbook_of_one_data_sheet_needs_no_choice():
    data = xlsx([[*BASE, "总投资（万元）"], ["甲", "恩施市", CODE, 1]], extra_sheets={"说明": [["说明"]]})
    report = check(data)
    assert not report.refused and report.candidate_sheets == ["项目表"] and len(report.rows) == 1


def test_duplicates_across_sheets_name_the_other_sheet():
    data = xlsx(
        [[*BASE, "总投资（万元）"], ["甲", "恩施市", CODE, 1]],
        extra_sheets={"补充": [[*BASE, "总投资（万元）"], ["甲", "恩施市", CODE, 1]]},
    )
    report = check(data, sheets="*")
    assert report.rows[0].issues[0].reason.startswith("与工作表“补充”第 2 行重复")


def test_error_cells_are_refused():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([*BASE, "总投资（万元）"])
    ws.append(["甲", "恩施市", CODE, None])
    ws["D2"].value = "#DIV/0!"
    ws["D2"].data_type = "e"
    buffer = io.BytesIO()
    wb.save(buffer)
    row = only_row(check(buffer.getvalue()))
    assert row.issues[0].reason == "单元格是错误值 #DIV/0!，请改为正确的数值"


def test_a_text_cell_starting_with_equals_is_text_not_a_formula():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([*BASE, "总投资（万元）"])
    ws.append([None, "恩施市", CODE, 1])
    ws["A2"].value = "=不是公式"
    ws["A2"].data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    row = only_row(check(buffer.getvalue()))
    assert row.outcome == "new"


def test_a_formula_cached_value_is_never_trusted():
    # openpyxl writes no cached value; a hostile file could carry any. Either way: refused.
    rows = [[*BASE, "总投资（万元）"], ["甲", "恩施市", CODE, "=1+1"]]
    row = only_row(check(xlsx(rows)))
    assert row.outcome == "rejected"
    assert row.issues[0].reason.startswith("单元格含公式")


def test_money_parser_unit_is_set_per_sheet_from_the_header():
    rows = [[*BASE, "总投资(元)"], ["甲", "恩施市", CODE, "12.345"]]
    row = only_row(check(xlsx(rows)))
    assert row.issues[0].reason.startswith("金额精确到分为止：以元为单位最多 2 位小数")
    assert Money().unit == "万元"


def test_a_boolean_1_0_is_read_alike_from_csv_and_xlsx():
    from .tables import project_spec as spec

    flag = next(c for c in spec().columns if c.parser.__class__.__name__ == "Boolean")
    rows = [[*BASE, "总投资（万元）", flag.label], ["甲", "恩施市", CODE, 1, 1.0]]
    from_xlsx = only_row(check(xlsx(rows)))
    from_csv = only_row(check(csv_bytes(rows), filename="t.csv"))
    assert from_xlsx.outcome == from_csv.outcome == "new"
