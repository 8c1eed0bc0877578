"""`OfficialDocument.table` writes the same WordprocessingML as the python-docx implementation it replaced.

The table is built as lxml XML from one styled cell per column (fast); ``legacy_table`` below is the
earlier implementation, kept verbatim (``self`` → ``doc``), which styled every cell through python-docx's
object API. Both build the same document from the same calls, and the serialized parts must be equal
byte for byte: fonts (through the paragraph styles), sizes, bold, alignment, widths, header repeat,
rows that do not split, text with spaces, tabs and line breaks.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Twips
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigai.documents import _ooxml as x
from jigai.documents import inspect
from jigai.documents.official import (
    _BLOCK_WIDTH_TWIPS,
    _STYLES,
    NUMERIC_KINDS,
    SIZE_SMALL_4,
    DocumentError,
    DocumentNumber,
    OfficialDocument,
    _cell_text,
    _check_kind,
    _column_twips,
)


def legacy_table(
    doc: OfficialDocument,
    *,
    headers,
    rows,
    caption=None,
    unit=None,
    kinds=None,
    total_row=False,
    widths=None,
    font_size=SIZE_SMALL_4,
) -> None:
    doc._check_open()
    headers = [str(h) for h in headers]
    columns = len(headers)
    if not columns:
        raise DocumentError("表格至少要有一列")
    kinds = list(kinds) if kinds is not None else ["text"] * columns
    if len(kinds) != columns:
        raise DocumentError(f"列类型有{len(kinds)}个，表头有{columns}列")
    for kind in kinds:
        _check_kind(kind)
    body: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        row = list(row)
        if len(row) != columns:
            raise DocumentError(f"表格第{number}行有{len(row)}列，表头有{columns}列")
        body.append([_cell_text(value, kind) for value, kind in zip(row, kinds, strict=True)])

    if caption:
        doc._add("GwTableCaption", caption.strip())
    if unit:
        unit_paragraph = doc._add("GwTableUnit", unit.strip())
        if font_size != SIZE_SMALL_4:
            x.set_size(unit_paragraph.runs[0]._r.get_or_add_rPr(), font_size)

    table = doc._doc.add_table(rows=1 + len(body), cols=columns)
    table.style = doc._doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    x.set_child(tbl_pr, "tblW", x.TBLPR_ORDER, w=str(_BLOCK_WIDTH_TWIPS), type="dxa")
    x.set_child(tbl_pr, "tblLayout", x.TBLPR_ORDER, type="fixed")

    twips = _column_twips(headers, body, widths, font_size)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))

    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        x.set_child(tr_pr, "cantSplit", x.TRPR_ORDER)
        if r == 0:
            x.set_child(tr_pr, "tblHeader", x.TRPR_ORDER)  # repeated at the top of each page
        values = headers if r == 0 else body[r - 1]
        bold = r == 0 or (total_row and r == len(body))
        for c, cell in enumerate(row.cells):
            cell.width = Twips(twips[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.style = doc._doc.styles[_STYLES["GwTableHeader" if r == 0 else "GwTableText"]["name"]]
            if r and not callable(kinds[c]) and kinds[c] in NUMERIC_KINDS:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(values[c])
            rpr = run._r.get_or_add_rPr()
            if font_size != SIZE_SMALL_4:
                x.set_size(rpr, font_size)
            if bold and r:
                x.set_bold(rpr, True)
    # Whatever follows the table starts on a line of its own.
    doc._doc.add_paragraph(style=doc._doc.styles["Normal"])


def new_document() -> OfficialDocument:
    return OfficialDocument(
        issuer="恩施州传统产业改造升级工作领导小组办公室",
        number=DocumentNumber(prefix="恩施州技改办", year=2019, serial=7),
        title="关于2019年6月全州技改项目推进情况的通报",
        addressees="各县市人民政府，州高新区管委会",
    )


def parts(doc: OfficialDocument) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(doc.to_bytes())) as package:
        return {name: package.read(name) for name in package.namelist()}


def assert_same_document(tables: list[dict], *, then=None) -> None:
    """Build one document with ``table`` and one with ``legacy_table`` from the same calls; every part
    of the two packages is equal byte for byte."""
    new, old = new_document(), new_document()
    for options in tables:
        new.paragraph("下表为测试表格。")
        old.paragraph("下表为测试表格。")
        new.table(**options)
        legacy_table(old, **options)
    if then:
        then(new)
        then(old)
    new_parts, old_parts = parts(new), parts(old)
    assert new_parts.keys() == old_parts.keys()
    for name in new_parts:
        assert new_parts[name] == old_parts[name], name


UNIT_ROWS = [
    ["恩施市", Decimal("123456789.12"), Decimal("100000000.00"), Decimal("0.2345678")],
    ["利川市", Decimal("98765432.10"), Decimal("90000000.00"), Decimal("-0.0973")],
    ["州高新区", Decimal("5000.05"), Decimal("0.00"), None],
    ["合计", Decimal("222227221.27"), Decimal("190000000.00"), Decimal("0.1696")],
]

CASES = {
    "a bulletin table with caption, unit, 万元, growth and a bold total row": [
        {
            "caption": "表1　各县市技改投资完成情况",
            "unit": "单位：万元",
            "headers": ["县市", "技改投资", "去年同期", "同比增长"],
            "rows": UNIT_ROWS,
            "kinds": ["text", "money_wan", "money_wan", "percent"],
            "total_row": True,
            "widths": [1.2, 1.5, 1.5, 1.1],
        }
    ],
    "a table in 五号 whose unit line takes the smaller size": [
        {
            "caption": "表2　各县市技改项目实施情况",
            "unit": "单位：个",
            "headers": ["单位", *[f"指标{i}" for i in range(1, 11)]],
            "rows": [[f"县{i}", *range(i, i + 10)] for i in range(9)] + [["合计", *range(10)]],
            "kinds": ["text"] + ["int"] * 10,
            "total_row": True,
            "widths": [1.4] + [1] * 10,
            "font_size": 10.5,
        }
    ],
    "every column kind, missing values and a callable": [
        {
            "headers": ["文字", "万元", "比例", "小数", "整数", "日期", "是否", "状态"],
            "rows": [
                ["甲", Decimal("1"), Decimal("0.5"), Decimal("1.005"), 3, datetime.date(2019, 7, 5), True, 1],
                [None, None, None, None, None, None, None, 2],
                ["", Decimal("-50"), Decimal("0"), Decimal("-0.001"), 0, None, False, 1],
            ],
            "kinds": [
                "text",
                "money_wan",
                "percent",
                "decimal",
                "int",
                "date",
                "bool",
                {1: "在建", 2: ""}.get,
            ],
        }
    ],
    "text with spaces, tabs, line breaks and XML's special characters": [
        {
            "headers": [" 前有空格", "后有空格 ", "全角　空格", "换\n行", "制\t表"],
            "rows": [
                ["  ", "\t", "\n", "\r\n", "a\tb\tc"],
                ["　恩施", "<利川>&\"'", "多行\r文字\n第三行", "尾部换行\n", "\t首部制表"],
                ["😀表情", "x" * 300, "长文字" * 80, "", "—"],
            ],
            "total_row": True,
        }
    ],
    "a long table that runs over several pages": [
        {
            "caption": "表3　项目清单",
            "unit": "单位：万元",
            "headers": ["序号", "单位", "项目名称", "总投资", "进度"],
            "rows": [
                [
                    i,
                    f"基准县{i % 9}",
                    f"年产{i}万吨技术改造项目",
                    Decimal(i * 1234567),
                    Decimal(i % 100) / 100,
                ]
                for i in range(1, 401)
            ],
            "kinds": ["int", "text", "text", "money_wan", "percent"],
        }
    ],
    "a single column, and a table with a header only": [
        {"headers": ["名单"], "rows": [["恩施市"], ["利川市"]]},
        {"headers": ["县市", "金额"], "rows": [], "kinds": ["text", "money_wan"], "total_row": True},
    ],
    "tables one after another with a signature and the record after them": [
        {
            "caption": "表1　甲",
            "headers": ["县市", "金额"],
            "rows": [row[:2] for row in UNIT_ROWS[:2]],
            "kinds": ["text", "money_wan"],
        },
        {
            "caption": "表2　乙",
            "headers": ["县市", "金额"],
            "rows": [row[:2] for row in UNIT_ROWS[2:]],
            "kinds": ["text", "money_wan"],
        },
    ],
}


def _close(doc: OfficialDocument) -> None:
    doc.signature(organ="恩施州经济和信息化委员会", date=datetime.date(2019, 7, 5))
    doc.record(
        printer="恩施州经济和信息化委员会办公室", print_date=datetime.date(2019, 7, 5), cc="州委各部门"
    )


@pytest.mark.parametrize("case", list(CASES))
def test_a_table_writes_the_same_xml_as_the_python_docx_implementation(case):
    assert_same_document(CASES[case], then=_close)


# Any text a caller may pass (XML allows neither most control characters nor surrogates).
cell_text = st.text(
    st.characters(
        blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(32))) + "\ufffe\uffff"
    )
    | st.sampled_from(["\t", "\n", "\r", " ", "　", "—"]),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    columns=st.integers(1, 6),
    total_row=st.booleans(),
    font_size=st.sampled_from([12, 10.5, 14]),
)
def test_any_table_writes_the_same_xml_as_the_python_docx_implementation(data, columns, total_row, font_size):
    kinds = data.draw(
        st.lists(st.sampled_from(["text", "money_wan", "percent", "int"]), min_size=columns, max_size=columns)
    )
    values = {
        "text": st.none() | cell_text,
        "money_wan": st.none() | st.decimals(min_value=-(10**12), max_value=10**12, places=2),
        "percent": st.none() | st.decimals(min_value=-100, max_value=100, places=4),
        "int": st.none() | st.integers(-(10**6), 10**6),
    }
    rows = data.draw(st.lists(st.tuples(*(values[kind] for kind in kinds)), max_size=8))
    headers = data.draw(st.lists(cell_text, min_size=columns, max_size=columns))
    assert_same_document(
        [{"headers": headers, "rows": rows, "kinds": kinds, "total_row": total_row, "font_size": font_size}]
    )


def test_a_table_reads_back_with_python_docx():
    doc = new_document()
    doc.table(**CASES["text with spaces, tabs, line breaks and XML's special characters"][0])
    (table,) = inspect.tables(doc.to_bytes())
    assert table[0] == [" 前有空格", "后有空格 ", "全角　空格", "换\n行", "制\t表"]
    assert table[2][:3] == ["　恩施", "<利川>&\"'", "多行\n文字\n第三行"]


def test_a_refused_table_leaves_the_document_as_it_was():
    doc, untouched = new_document(), new_document()
    with pytest.raises(DocumentError, match="第2行有1列"):
        doc.table(caption="表1", headers=["县市", "金额"], rows=[["恩施市", Decimal(1)], ["利川市"]])
    assert parts(doc) == parts(untouched)
