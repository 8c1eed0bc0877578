import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jigai.documents.formatting import wan_to_yuan
from jigai.documents.spreadsheets import ExportError, Sheet, is_formula_like, safe_cell, write_csv, write_xlsx

INJECTIONS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("http://x","点我")']


def read(data: bytes, sheet: int = 0):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[sheet]


def one_sheet(**options) -> bytes:
    options.setdefault("title", "项目清单")
    return write_xlsx([Sheet(**options)])


# --- formula injection ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_comes_back_from_xlsx_as_text_not_a_formula(text):
    ws = read(one_sheet(headers=["备注"], rows=[[text]]))
    cell = ws["A2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_in_headers_and_captions_is_text_too(text):
    ws = read(one_sheet(headers=[text], rows=[], caption=text))
    assert (ws["A1"].data_type, ws["A1"].value) == ("s", text)
    assert (ws["A2"].data_type, ws["A2"].value) == ("s", text)


def test_no_xlsx_cell_holds_a_formula():
    data = one_sheet(headers=["备注"], rows=[[t] for t in INJECTIONS])
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_text_that_looks_like_an_error_code_stays_text():
    ws = read(one_sheet(headers=["备注"], rows=[["#N/A"], ["#DIV/0!"]]))
    assert [(c.data_type, c.value) for c in ws["A"][1:]] == [("s", "#N/A"), ("s", "#DIV/0!")]


def test_negative_numbers_stay_numbers():
    ws = read(one_sheet(headers=["增长"], rows=[[Decimal("-0.05")]], kinds=["percent"]))
    assert ws["A2"].data_type == "n"
    assert ws["A2"].value == -0.05


@pytest.mark.parametrize("text", INJECTIONS)
def test_safe_cell_puts_a_quote_before_formula_like_text(text):
    assert is_formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["恩施市", "1+1", "", 12, Decimal("-3.5"), None])
def test_safe_cell_leaves_everything_else_alone(value):
    assert safe_cell(value) == value


# --- money and kinds --------------------------------------------------------------------------------
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999999.99"), places=2)


@settings(max_examples=25, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=40))
def test_wan_values_round_trip_through_xlsx_to_the_exact_yuan(yuan_amounts):
    ws = read(one_sheet(headers=["总投资（万元）"], rows=[[y] for y in yuan_amounts], kinds=["money_wan"]))
    back = [wan_to_yuan(cell.value) for cell in ws["A"][1:]]
    assert back == yuan_amounts


def test_wan_values_are_numbers_shown_with_two_decimals():
    ws = read(one_sheet(headers=["总投资（万元）"], rows=[[Decimal("1234567.89")]], kinds=["money_wan"]))
    cell = ws["A2"]
    assert cell.data_type == "n"
    assert cell.value == pytest.approx(123.456789)
    assert cell.number_format == "#,##0.00"


def test_each_kind_is_written_as_the_cell_type_it_should_be():
    when = datetime.datetime(2019, 7, 5, 1, 30, tzinfo=datetime.UTC)
    ws = read(
        one_sheet(
            headers=["名称", "投资", "数量", "增长", "日期", "时间", "入库", "系数"],
            kinds=["text", "money_wan", "int", "percent", "date", "datetime", "bool", "decimal"],
            rows=[
                [
                    "甲",
                    Decimal("10000.00"),
                    3,
                    Decimal("0.1235"),
                    datetime.date(2019, 7, 5),
                    when,
                    True,
                    Decimal("1.5"),
                ],
                [None, None, None, None, None, None, False, None],
            ],
        )
    )
    first = [cell.value for cell in ws[2]]
    assert first[:4] == ["甲", 1, 3, 0.1235]
    assert first[4] == datetime.datetime(2019, 7, 5)
    assert first[5] == datetime.datetime(2019, 7, 5, 9, 30)  # shown in Beijing time
    assert first[6:] == ["是", 1.5]
    assert [cell.number_format for cell in ws[2]][2:6] == ["0", "0.00%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    assert [cell.value for cell in ws[3]] == [None] * 6 + ["否", None]


def test_chinese_headers_are_bold_frozen_and_filtered():
    ws = read(
        one_sheet(headers=["项目名称", "所属县市"], rows=[["甲", "恩施市"]], caption="2019年6月项目清单")
    )
    assert ws["A1"].value == "2019年6月项目清单"
    assert [c.value for c in ws[2]] == ["项目名称", "所属县市"]
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:B2"


def test_column_widths_allow_for_chinese_text():
    ws = read(one_sheet(headers=["项目名称"], rows=[["恩施州某某硒食品有限公司技术改造项目"]]))
    assert ws.column_dimensions["A"].width >= 2 * 18


def test_sheet_titles_are_made_valid_and_unique():
    data = write_xlsx(
        [
            Sheet(title="项目/清单", headers=["甲"], rows=[]),
            Sheet(title="项目/清单", headers=["甲"], rows=[]),
            Sheet(title="很长" * 20, headers=["甲"], rows=[]),
        ]
    )
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names[0] == "项目_清单"
    assert names[1] != names[0]
    assert len(names[2]) <= 31


def test_rows_may_be_a_generator_and_are_streamed():
    rows = ([f"项目{i}", Decimal(i)] for i in range(1000))
    ws = read(one_sheet(headers=["名称", "投资"], rows=rows, kinds=["text", "money_wan"]))
    assert ws.max_row == 1001
    assert ws["A1001"].value == "项目999"


def test_control_characters_that_xlsx_cannot_hold_are_dropped():
    ws = read(one_sheet(headers=["备注"], rows=[["甲\x00乙\x1b丙"]]))
    assert ws["A2"].value == "甲乙丙"


def test_a_row_of_the_wrong_length_is_refused_saying_where():
    with pytest.raises(ExportError, match="第2行有1列，表头有2列"):
        one_sheet(headers=["名称", "投资"], rows=[["甲", 1], ["乙"]])


def test_a_float_amount_is_refused_saying_where():
    with pytest.raises(ExportError, match="第1行“投资”列"):
        one_sheet(headers=["投资"], rows=[[0.1]], kinds=["money_wan"])


def test_an_unknown_kind_is_refused():
    with pytest.raises(ExportError, match="未知的列类型"):
        one_sheet(headers=["投资"], rows=[], kinds=["money"])


# --- csv --------------------------------------------------------------------------------------------
def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_a_bom_and_uses_crlf():
    data = write_csv(["项目名称"], [["甲"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == "项目名称\r\n甲\r\n"


def test_csv_for_a_pipe_can_leave_the_bom_out():
    data = write_csv(["a"], [["=x"]], bom=False)
    assert data == b"a\r\n'=x\r\n"


@pytest.mark.parametrize("text", INJECTIONS)
def test_csv_puts_a_quote_before_formula_like_text(text):
    rows = parse_csv(write_csv(["备注"], [[text]]))
    assert rows[1] == ["'" + text]


def test_csv_header_injection_is_neutralised_too():
    assert parse_csv(write_csv(["=cmd"], []))[0] == ["'=cmd"]


def test_csv_numbers_stay_numbers_even_when_negative():
    rows = parse_csv(write_csv(["金额", "数量"], [[Decimal("-12.50"), -3]]))
    assert rows[1] == ["-12.50", "-3"]


def test_csv_with_kinds_writes_exact_wan_and_readable_values():
    rows = parse_csv(
        write_csv(
            ["投资", "入库", "日期", "备注"],
            [[Decimal("123.45"), True, datetime.date(2019, 7, 5), "-2+3"]],
            kinds=["money_wan", "bool", "date", "text"],
        )
    )
    assert rows[1] == ["0.012345", "是", "2019-07-05", "'-2+3"]
    assert wan_to_yuan(rows[1][0]) == Decimal("123.45")


def test_csv_quotes_commas_and_newlines_inside_a_value():
    rows = parse_csv(write_csv(["名称"], [["恩施市,利川市\n第二行"]]))
    assert rows[1] == ["恩施市,利川市\n第二行"]


def test_text_of_several_lines_wraps_and_one_line_does_not():
    ws = read(one_sheet(headers=["理由"], rows=[["第一条\n第二条"], ["一行"]]))
    assert ws["A2"].value == "第一条\n第二条" and ws["A2"].alignment.wrap_text
    assert ws["A2"].alignment.vertical == "top"
    assert not ws["A3"].alignment.wrap_text
