"""The streaming expat reader gives the same cells as openpyxl's read-only reader."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from jigai.imports.reader import read_upload
from jigai.imports.safety import UploadRefused, check_upload
from jigai.imports.xlsx import MAX_COLUMNS, CellError, Formula, XlsxBook

from .tables import project_spec
from .test_engine import messy_workbook
from .workbooks import CONTENT_TYPES, MAIN_XLSX, ROOT_RELS, WORKBOOK, WORKBOOK_RELS, xlsx


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def odd_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "杂项"
    ws.append(["项目名称", "所属县市", "统一社会信用代码", "总投资（万元）", "开工日期", "是否重点项目"])
    ws.append(
        [
            CellRichText([TextBlock(InlineFont(b=True), "富文本"), "项目"]),
            "恩施市",
            "X",
            1.5,
            dt.date(2018, 3, 15),
            True,
        ]
    )
    ws.append(['=A2&"x"', None, None, "=SUM(D2:D2)", dt.datetime(2018, 3, 15, 8, 30), False])
    ws.append(["带\n换行", " 空格 ", None, -0.25, "2018-03", None])
    ws.cell(row=6, column=3, value="第六行，跳过第五行")
    ws.cell(row=7, column=8, value="超出表头的列")
    ws["D4"].number_format = "0.00"
    err = ws.cell(row=8, column=1, value="#N/A")
    err.data_type = "e"
    text = ws.cell(row=8, column=2, value="=不是公式")
    text.data_type = "s"
    return save(wb)


def book_1904() -> bytes:
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["项目名称", "所属县市", "开工日期"])
    ws.append(["甲", "恩施市", dt.datetime(2018, 3, 15)])
    return save(wb)


def cells(data: bytes, engine: str):
    upload = check_upload(data, filename="t.xlsx")
    out = []
    for sheet in read_upload(upload, project_spec(), engine=engine):
        out.append((sheet.sheet, sheet.header_rows, [b.header for b in sheet.columns]))
        out.extend(
            (item.sheet, item.number, getattr(item, "cells", None), getattr(item, "reason", None))
            for item in sheet.rows
        )
    return out


@pytest.mark.parametrize("make", [messy_workbook, odd_workbook, book_1904], ids=["messy", "odd", "1904"])
def test_expat_and_openpyxl_readers_agree(make):
    data = make()
    assert cells(data, "expat") == cells(data, "openpyxl")


def test_cell_kinds_from_the_expat_reader():
    data = odd_workbook()
    book = XlsxBook(zipfile.ZipFile(io.BytesIO(data)))
    rows = dict(book.rows(book.sheets[0]))
    assert rows[2] == ("富文本项目", "恩施市", "X", 1.5, dt.datetime(2018, 3, 15), True)
    assert rows[3][0] == Formula('=A2&"x"') and isinstance(rows[3][0], Formula)
    assert rows[3][4] == dt.datetime(2018, 3, 15, 8, 30)
    assert rows[4][:4] == ("带\n换行", " 空格 ", None, -0.25)
    assert 5 not in rows
    assert isinstance(rows[8][0], CellError)
    assert rows[8][1] == "=不是公式" and not isinstance(rows[8][1], Formula)


def handmade(sheet_xml: str, strings_xml: str | None = None) -> bytes:
    buffer = io.BytesIO()
    types = CONTENT_TYPES.format(main=MAIN_XLSX, extra="")
    rels = WORKBOOK_RELS
    if strings_xml is not None:
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings_xml is not None:
            z.writestr("xl/sharedStrings.xml", strings_xml)
    return buffer.getvalue()


def test_prefixed_namespaces_phonetic_runs_and_escapes_are_read():
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<x:worksheet xmlns:x="{ns}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>所属县市</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="str"><x:v>恩施市</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    strings = (
        f'<sst xmlns="{ns}"><si><t>项目名称</t></si>'
        '<si><r><t>硒茶</t></r><r><t>_x000D_项目</t></r><rPh sb="0" eb="1"><t>セチャ</t></rPh></si></sst>'
    )
    book = XlsxBook(zipfile.ZipFile(io.BytesIO(handmade(sheet, strings))))
    assert list(book.rows(book.sheets[0])) == [(1, ("项目名称", "所属县市")), (2, ("硒茶\r项目", "恩施市"))]


def test_cells_far_to_the_right_are_ignored():
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row></sheetData></worksheet>'
    )
    book = XlsxBook(zipfile.ZipFile(io.BytesIO(handmade(sheet))))
    assert list(book.rows(book.sheets[0])) == [(1, (1,))]
    assert MAX_COLUMNS < 16384


def test_a_broken_sheet_is_refused_not_raised():
    sheet = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v>'
    book = XlsxBook(zipfile.ZipFile(io.BytesIO(handmade(sheet))))
    with pytest.raises(UploadRefused) as err:
        list(book.rows(book.sheets[0]))
    assert err.value.code == "corrupt"


def test_a_shared_string_index_out_of_range_is_refused():
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>'
    )
    book = XlsxBook(zipfile.ZipFile(io.BytesIO(handmade(sheet))))
    with pytest.raises(UploadRefused):
        list(book.rows(book.sheets[0]))


def test_vertically_merged_cells_in_the_data_fill_each_row():
    rows = [
        ["项目名称", "所属县市", "统一社会信用代码", "总投资（万元）"],
        ["甲", "利川市", "A", 1],
        ["乙", None, "B", 2],
        ["丙", None, "C", 3],
        ["丁", "建始县", "D", 4],
    ]
    data = xlsx(rows, merges=["B2:B4"])
    for engine in ("expat", "openpyxl"):
        [sheet] = list(read_upload(check_upload(data), project_spec(), engine=engine))
        units = [r.cells[1] for r in sheet.rows]
        assert units == ["利川市", "利川市", "利川市", "建始县"], engine
