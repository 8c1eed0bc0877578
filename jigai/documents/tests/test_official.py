import datetime
import io
import itertools
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
from docx.oxml.ns import qn

from jigai.documents import inspect
from jigai.documents.official import (
    FANGSONG,
    HEITI,
    KAITI,
    XIAOBIAOSONG,
    DocumentError,
    DocumentNumber,
    OfficialDocument,
)
from jigai.documents.titles import title_lines

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
TITLE = "关于2019年6月全州技改项目推进情况的通报"

ROWS = [
    ["恩施市", Decimal("123456789.12"), Decimal("100000000.00"), Decimal("0.2345678")],
    ["利川市", Decimal("98765432.10"), Decimal("90000000.00"), Decimal("0.0973")],
    ["州高新区", Decimal("5000.05"), Decimal("0.00"), None],
]


def build(**overrides) -> OfficialDocument:
    options = {
        "issuer": ISSUER,
        "number": DocumentNumber(prefix="恩施州经信委", year=2019, serial=12),
        "title": TITLE,
        "addressees": "各县市人民政府，州高新区管委会",
    }
    options.update(overrides)
    return OfficialDocument(**options)


@pytest.fixture(scope="module")
def bulletin() -> bytes:
    doc = build()
    doc.heading1("一、总体情况")
    doc.paragraph("1-6月，全州完成技改投资45.67亿元，同比增长12.35%。")
    doc.heading2("（一）投资完成情况")
    doc.heading3("1.项目数量。", body="全州在库技改项目128个。")
    doc.table(
        caption="表1 各县市技改投资完成情况",
        unit="单位：万元",
        headers=["县市", "技改投资", "去年同期", "同比增长"],
        rows=ROWS,
        kinds=["text", "money_wan", "money_wan", "percent"],
    )
    doc.attachments(["2019年6月全州技改项目推进情况统计表。", "进度滞后项目名单"])
    doc.signature(organ="恩施州经济和信息化委员会", date=datetime.date(2019, 7, 5))
    doc.record(
        distribution=[("发", "各县市人民政府，州政府各部门。"), ("送：", "州委各部门，恩施军分区")],
        cc="州委办公室，州人大常委会办公室",
        printer="恩施州经济和信息化委员会办公室",
        print_date=datetime.date(2019, 7, 5),
    )
    return doc.to_bytes()


# --- page -------------------------------------------------------------------------------------------
def test_the_page_is_a4_with_the_standard_margins(bulletin):
    page = inspect.page_setup(bulletin)
    assert (page.width_mm, page.height_mm) == (210, 297)
    assert page.top_mm == pytest.approx(37, abs=0.5)
    assert page.left_mm == pytest.approx(28, abs=0.5)
    assert page.right_mm == pytest.approx(26, abs=0.5)
    assert page.bottom_mm == pytest.approx(35, abs=0.5)


def test_the_text_block_holds_22_lines_of_28_characters(bulletin):
    page = inspect.page_setup(bulletin)
    block_height_pt = (297 - 37 - 35) / 25.4 * 72
    assert page.line_pitch_pt == pytest.approx(block_height_pt / 22, abs=0.1)
    document = inspect.load(bulletin)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    spacing_pt = int(defaults.find(qn("w:spacing")).get(qn("w:val"))) / 20
    block_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert 28 * (16 + spacing_pt) <= block_width_pt < 29 * (16 + spacing_pt)


def test_the_default_type_is_3hao_fangsong_named_for_east_asian_text(bulletin):
    document = inspect.load(bulletin)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == FANGSONG
    assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would override the name
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "32"
    body = inspect.paragraphs(bulletin, "GwBody")[0]
    look = inspect.effective_format(body)
    assert (look.east_asian_font, look.size_pt, look.color) == (FANGSONG, 16, "000000")


def test_the_font_table_offers_fangsong_where_fangsong_gb2312_is_missing(bulletin):
    with zipfile.ZipFile(io.BytesIO(bulletin)) as package:
        fonts = package.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in fonts


# --- head -------------------------------------------------------------------------------------------
def test_the_issuers_mark_is_red_xiaobiaosong_and_centred(bulletin):
    mark = inspect.head(bulletin)
    assert mark.text == ISSUER
    assert mark.color in ("FF0000", "C00000")
    assert mark.east_asian_font == XIAOBIAOSONG
    assert mark.alignment == "center"
    assert mark.size_pt >= 22


def test_a_long_issuers_mark_is_narrowed_to_fit_one_line():
    run = inspect.paragraphs(build().to_bytes(), "GwIssuer")[0].runs[0]
    size_pt = int(run._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2
    scale = int(run._r.rPr.find(qn("w:w")).get(qn("w:val"))) / 100
    assert len(ISSUER) * size_pt * scale <= (210 - 28 - 26) / 25.4 * 72


def test_the_document_number_is_centred_with_hexagonal_brackets(bulletin):
    assert inspect.number_text(bulletin) == "恩施州经信委〔2019〕12号"
    number = inspect.part(bulletin, "GwNumber")
    assert (number.alignment, number.size_pt, number.east_asian_font) == ("center", 16, FANGSONG)
    assert DocumentNumber.parse(inspect.number_text(bulletin)) == DocumentNumber("恩施州经信委", 2019, 12)


def test_a_red_line_the_width_of_the_block_separates_the_head(bulletin):
    line = inspect.red_line(bulletin)
    assert line.color in ("FF0000", "C00000")
    assert line.style == "single"
    number = inspect.paragraphs(bulletin, "GwNumber")[0]
    indent = number._p.pPr.find(qn("w:ind"))
    assert indent is None  # no indent: the border spans the whole block


def test_without_a_number_the_red_line_sits_under_the_mark():
    data = build(number=None).to_bytes()
    assert inspect.number_text(data) is None
    assert inspect.red_line(data).color == "FF0000"


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, "恩施州经信委〔2019〕1号"), (12, "恩施州经信委〔2019〕12号"), (107, "恩施州经信委〔2019〕107号")],
)
def test_a_document_number_renders_the_year_in_full_and_the_serial_without_leading_zeros(serial, expected):
    assert str(DocumentNumber(prefix="恩施州经信委", year=2019, serial=serial)) == expected


@pytest.mark.parametrize(
    ("prefix", "year", "serial", "message"),
    [
        ("恩施州经信委", 19, 12, "年份必须是四位数字"),
        ("恩施州经信委", 20190, 12, "年份必须是四位数字"),
        ("恩施州经信委", "2019", 12, "年份必须是四位数字"),
        ("恩施州经信委", True, 12, "年份必须是四位数字"),
        ("恩施州经信委", 2019, 0, "发文顺序号必须是正整数"),
        ("恩施州经信委", 2019, -3, "发文顺序号必须是正整数"),
        ("恩施州经信委", 2019, "012", "发文顺序号必须是正整数"),
        ("恩施州经信委", 2019, 1.0, "发文顺序号必须是正整数"),
        ("", 2019, 12, "发文机关代字不能为空"),
        ("恩施州经信委〔", 2019, 12, "不能含空白或括号"),
    ],
)
def test_a_document_number_refuses_bad_input_with_a_chinese_message(prefix, year, serial, message):
    with pytest.raises(DocumentError, match=message):
        DocumentNumber(prefix=prefix, year=year, serial=serial)


@pytest.mark.parametrize(
    "text", ["恩施州经信委[2019]12号", "恩施州经信委〔19〕12号", "恩施州经信委〔2019〕012号", "〔2019〕12号"]
)
def test_parsing_refuses_a_number_not_in_the_standard_form(text):
    with pytest.raises(DocumentError, match="不是规范的发文字号"):
        DocumentNumber.parse(text)


# --- title and addressees ---------------------------------------------------------------------------
def test_the_title_is_2hao_xiaobiaosong_centred_two_lines_below_the_red_line(bulletin):
    title = inspect.title(bulletin)
    assert title.text.replace("\n", "") == TITLE
    assert title.size_pt == 22
    assert title.east_asian_font == XIAOBIAOSONG
    assert title.alignment == "center"
    assert title.blank_lines_above == 2


def test_a_title_takes_the_callers_line_breaks():
    data = build(title="关于2019年6月全州技改项目\n推进情况的通报").to_bytes()
    assert inspect.title(data).lines == ["关于2019年6月全州技改项目", "推进情况的通报"]


def test_a_long_title_is_broken_between_words_into_lines_that_fit():
    data = build(title="关于下达2019年度第一批传统产业技术改造专项资金的通知").to_bytes()
    assert inspect.title(data).lines == ["关于下达2019年度第一批传统产业", "技术改造专项资金的通知"]


@pytest.mark.parametrize(
    "title",
    [
        "恩施州人民政府办公室关于印发《恩施州传统产业技术改造三年行动方案（2018—2020年）》的通知",
        "关于对2019年第二季度技改投入增幅排名后两位县市政府分管领导进行约谈的通知",
        "关于公布2019年度工业细分领域隐形冠军企业名单的通知",
    ],
)
def test_title_lines_never_split_numbers_or_dates_nor_start_with_closing_punctuation(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    for before, after in itertools.pairwise(lines):
        assert not (before[-1].isdigit() and after[0].isdigit())
        assert not (before[-1].isdigit() and after[0] in "年月日号%")
        assert after[0] not in "，。、）》”"
        assert before[-1] not in "（《“"


def test_the_addressees_end_in_a_full_width_colon(bulletin):
    assert inspect.addressees(bulletin) == "各县市人民政府，州高新区管委会："


@pytest.mark.parametrize(
    "given", ["各县市人民政府：", "各县市人民政府:", "各县市人民政府", " 各县市人民政府 ："]
)
def test_the_addressees_colon_is_added_once_and_never_doubled(given):
    assert inspect.addressees(build(addressees=given).to_bytes()) == "各县市人民政府："


def test_the_addressees_line_is_flush_left(bulletin):
    paragraph = inspect.paragraphs(bulletin, "GwAddressees")[0]
    assert paragraph._p.pPr.find(qn("w:ind")) is None
    style = inspect.load(bulletin).styles["公文-主送机关"]
    assert not style.paragraph_format.first_line_indent


# --- body -------------------------------------------------------------------------------------------
def test_body_paragraphs_are_indented_two_characters(bulletin):
    style = inspect.load(bulletin).styles["公文-正文"]
    indent = style.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert style.paragraph_format.first_line_indent.pt == 32


def test_headings_use_heiti_kaiti_and_bold_fangsong(bulletin):
    assert inspect.headings(bulletin) == [
        (1, "一、总体情况"),
        (2, "（一）投资完成情况"),
        (3, "1.项目数量。全州在库技改项目128个。"),
    ]
    looks = {
        style_id: inspect.effective_format(inspect.paragraphs(bulletin, style_id)[0])
        for style_id in ("GwHeading1", "GwHeading2", "GwHeading3")
    }
    assert (looks["GwHeading1"].east_asian_font, looks["GwHeading1"].size_pt) == (HEITI, 16)
    assert (looks["GwHeading2"].east_asian_font, looks["GwHeading2"].size_pt) == (KAITI, 16)
    assert looks["GwHeading3"].east_asian_font == FANGSONG and looks["GwHeading3"].bold


def test_a_heading_run_in_with_its_text_leaves_the_text_plain(bulletin):
    paragraph = inspect.paragraphs(bulletin, "GwHeading3")[0]
    heading_run, text_run = paragraph.runs
    assert inspect.effective_format(paragraph, heading_run).bold
    assert not inspect.effective_format(paragraph, text_run).bold


# --- tables -----------------------------------------------------------------------------------------
def _wan(yuan: Decimal) -> str:
    return str((yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_table_values_equal_the_inputs_formatted_independently(bulletin):
    (table,) = inspect.tables(bulletin)
    assert table[0] == ["县市", "技改投资", "去年同期", "同比增长"]
    for row, source in zip(table[1:], ROWS, strict=True):
        name, amount, last_year, growth = source
        expected_growth = (
            "—" if growth is None else f"{(growth * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
        )
        assert row == [name, _wan(amount), _wan(last_year), expected_growth]
    assert table[1] == ["恩施市", "12345.68", "10000.00", "23.46%"]


def test_a_table_has_its_caption_and_unit_above_it(bulletin):
    assert inspect.table_captions(bulletin) == ["表1 各县市技改投资完成情况"]
    assert [p.text for p in inspect.paragraphs(bulletin, "GwTableUnit")] == ["单位：万元"]
    body = inspect.load(bulletin).element.body
    order = [child.tag for child in body]
    caption_index = next(
        i for i, child in enumerate(body) if child.tag == qn("w:p") and "表1" in "".join(child.itertext())
    )
    assert order[caption_index + 2] == qn("w:tbl")


def test_a_tables_header_row_repeats_on_each_page_and_rows_do_not_split(bulletin):
    table = inspect.load(bulletin).tables[0]
    header_pr = table.rows[0]._tr.trPr
    assert header_pr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


def test_a_table_spans_the_block_and_right_aligns_figures(bulletin):
    table = inspect.load(bulletin).tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == round(156 * 1440 / 25.4)
    amount = table.rows[1].cells[1].paragraphs[0]
    assert amount._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "right"


def test_a_table_refuses_a_row_of_the_wrong_length_saying_which_row():
    with pytest.raises(DocumentError, match="第2行有1列，表头有2列"):
        build().table(headers=["县市", "金额"], rows=[["恩施市", Decimal(1)], ["利川市"]])


def test_a_table_refuses_an_unknown_column_kind():
    with pytest.raises(DocumentError, match="未知的列类型"):
        build().table(headers=["县市"], rows=[["恩施市"]], kinds=["money"])


def test_a_table_takes_a_callable_to_format_a_column():
    doc = build()
    doc.table(headers=["项目", "状态"], rows=[["甲", 1]], kinds=["text", lambda v: {1: "在建"}[v]])
    assert inspect.tables(doc.to_bytes())[0][1] == ["甲", "在建"]


# --- closing parts ----------------------------------------------------------------------------------
def test_attachments_are_numbered_without_closing_punctuation_below_a_blank_line(bulletin):
    assert inspect.attachment_lines(bulletin) == [
        "附件：1.2019年6月全州技改项目推进情况统计表",
        "2.进度滞后项目名单",
    ]
    document = inspect.load(bulletin)
    paragraphs = document.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.text.startswith("附件："))
    assert paragraphs[first - 1].text == ""
    indent = paragraphs[first]._p.pPr.find(qn("w:ind"))
    left, hanging = int(indent.get(qn("w:leftChars"))), int(indent.get(qn("w:hangingChars")))
    assert left - hanging == 200  # the first line starts two characters in


def test_a_single_attachment_has_no_number():
    doc = build()
    doc.attachments(["统计表"])
    assert inspect.attachment_lines(doc.to_bytes()) == ["附件：统计表"]


def test_the_date_is_in_arabic_numerals_four_characters_from_the_right_margin(bulletin):
    assert inspect.date_line(bulletin) == "2019年7月5日"
    assert inspect.signature(bulletin) == "恩施州经济和信息化委员会"
    date = inspect.paragraphs(bulletin, "GwDate")[0]
    assert date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    assert inspect.effective_format(date).east_asian_font == FANGSONG


def test_the_signing_organ_is_centred_over_the_date(bulletin):
    organ = inspect.paragraphs(bulletin, "GwSignature")[0]
    organ_right = int(organ._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100
    # 12 characters over a date 6 characters wide ending 4 from the margin: both centred 7 from it.
    assert organ_right + 12 / 2 == 4 + 6 / 2


@pytest.mark.parametrize(
    ("date", "expected"),
    [(datetime.date(2019, 1, 9), "2019年1月9日"), (datetime.date(2019, 10, 10), "2019年10月10日")],
)
def test_the_date_has_no_leading_zeros(date, expected):
    doc = build()
    doc.signature(organ="恩施州经济和信息化委员会", date=date)
    assert inspect.date_line(doc.to_bytes()) == expected


def test_the_record_lists_distribution_cc_and_the_printing_line(bulletin):
    assert inspect.record_lines(bulletin) == [
        "发：各县市人民政府，州政府各部门。",
        "送：州委各部门，恩施军分区。",
        "抄送：州委办公室，州人大常委会办公室。",
        "恩施州经济和信息化委员会办公室\t2019年7月5日印发",
    ]


def test_the_record_sits_between_thick_rules_with_thin_rules_between_its_lines(bulletin):
    record = inspect.load(bulletin).tables[-1]
    borders = record._tbl.tblPr.find(qn("w:tblBorders"))

    def size(edge):
        return int(borders.find(qn(f"w:{edge}")).get(qn("w:sz")))

    assert size("top") == size("bottom") == 8  # 0.35 mm
    assert size("insideH") < size("top")
    assert borders.find(qn("w:left")).get(qn("w:val")) == "nil"
    width = int(record._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
    assert width == round(156 * 1440 / 25.4)


def test_the_record_floats_to_the_foot_of_the_last_page(bulletin):
    position = inspect.load(bulletin).tables[-1]._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:vertAnchor")) == "margin"


def test_the_record_can_follow_the_text_instead():
    doc = build()
    doc.record(printer="恩施州经济和信息化委员会办公室", print_date=datetime.date(2019, 7, 5), at_foot=False)
    data = doc.to_bytes()
    assert inspect.load(data).tables[-1]._tbl.tblPr.find(qn("w:tblpPr")) is None
    assert inspect.record_lines(data) == ["恩施州经济和信息化委员会办公室\t2019年7月5日印发"]


def test_nothing_can_be_added_after_the_record():
    doc = build()
    doc.record(printer="恩施州经济和信息化委员会办公室", print_date=datetime.date(2019, 7, 5))
    with pytest.raises(DocumentError, match="版记之后不能再添加内容"):
        doc.paragraph("补充")


# --- page numbers -----------------------------------------------------------------------------------
def test_page_numbers_differ_on_odd_and_even_pages_and_are_page_fields(bulletin):
    footers = inspect.footers(bulletin)
    assert footers.even_and_odd
    assert footers.odd.alignment == "right"
    assert footers.even.alignment == "left"
    for footer in (footers.odd, footers.even):
        assert footer.has_page_field
        assert footer.text == "— 1 —"
        assert footer.size_pt == 14
        assert footer.east_asian_font == "宋体"


def test_page_numbers_sit_one_character_in_from_the_edge(bulletin):
    section = inspect.load(bulletin).sections[0]
    odd = section.footer.paragraphs[0]._p.pPr.find(qn("w:ind"))
    even = section.even_page_footer.paragraphs[0]._p.pPr.find(qn("w:ind"))
    assert odd.get(qn("w:rightChars")) == "100"
    assert even.get(qn("w:leftChars")) == "100"


# --- the package ------------------------------------------------------------------------------------
def test_the_document_reopens_and_saves_again_with_python_docx(bulletin):
    document = docx.Document(io.BytesIO(bulletin))
    buffer = io.BytesIO()
    document.save(buffer)
    assert inspect.title(buffer.getvalue()).size_pt == 22


def test_property_children_are_in_schema_order(bulletin):
    from jigai.documents._ooxml import PPR_ORDER, RPR_ORDER, TBLPR_ORDER, TRPR_ORDER

    orders = {"pPr": PPR_ORDER, "rPr": RPR_ORDER, "tblPr": TBLPR_ORDER, "trPr": TRPR_ORDER}
    with zipfile.ZipFile(io.BytesIO(bulletin)) as package:
        parts = [package.read(name) for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml")]
    from lxml import etree

    for part in parts:
        for name, order in orders.items():
            for element in etree.fromstring(part).iter(qn(f"w:{name}")):
                tags = [etree.QName(child).localname for child in element]
                known = [t for t in tags if t in order]
                assert known == sorted(known, key=order.index), (name, tags)


def test_an_empty_title_or_issuer_is_refused():
    with pytest.raises(DocumentError, match="公文标题不能为空"):
        build(title=" ")
    with pytest.raises(DocumentError, match="发文机关标志不能为空"):
        build(issuer="")
