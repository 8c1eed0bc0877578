"""Official documents (公文) in the GB/T 9704-2012 layout, written with python-docx.

    doc = OfficialDocument(
        issuer="恩施州传统产业改造升级工作领导小组办公室",
        number=DocumentNumber(prefix="恩施州经信委", year=2019, serial=12),
        title="关于2019年6月全州技改项目推进情况的通报",
        addressees="各县市人民政府，州高新区管委会",
    )
    doc.heading1("一、总体情况")
    doc.paragraph("1-6月，全州完成技改投资……")
    doc.table(caption="表1 各县市技改投资完成情况", unit="单位：万元", headers=[...], rows=[...],
              kinds=["text", "money_wan", "percent"])
    doc.signature(organ="恩施州经济和信息化委员会", date=datetime.date(2019, 7, 5))
    doc.record(cc="州委各部门。", printer="恩施州经济和信息化委员会办公室", print_date=datetime.date(2019, 7, 5))
    data = doc.to_bytes()

Every part of the document has its own paragraph style (``Gw…`` ids, Chinese names shown in Word), so
an office can adjust the look in Word and :mod:`jigai.documents.inspect` can find each part again.
Clause numbers in comments are GB/T 9704-2012's.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from . import _ooxml as x
from .formatting import (
    UNDEFINED,
    format_date_cn,
    format_decimal,
    format_pct,
    format_wan,
    text_width,
)
from .titles import title_lines

__all__ = [
    "CellKind",
    "DocumentError",
    "DocumentNumber",
    "OfficialDocument",
    "format_date_cn",
    "format_pct",
    "format_wan",
    "title_lines",
]

# --- Page (5.2, 5.2.1): A4, 版心 156 mm × 225 mm, 22 lines × 28 characters. -------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
BLOCK_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
BLOCK_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# 225 mm / 22 lines = 28.99 pt; Word's templates for 公文 use a fixed 28.95 pt (579 twips) grid pitch.
LINE_PITCH_TWIPS = 579
# 442.2 pt / 28 = 15.79 pt a character: 16 pt type set 0.25 pt (5 twips) tighter gives 28 to the line.
CHAR_SPACING_TWIPS = -5
# Page number 一字线 7 mm below the block (7.5): the footer's lower edge sits about 25 mm up the page.
FOOTER_DISTANCE_MM = 25
HEADER_DISTANCE_MM = 15

# --- Type (5.2.2 and 7): sizes in points by 号. -----------------------------------------------------
SIZE_2 = 22.0  # 二号: title
SIZE_3 = 16.0  # 三号: body, headings, signature
SIZE_4 = 14.0  # 四号: record, page numbers
SIZE_SMALL_4 = 12.0  # 小四: table text

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
# The names the office's machines may have instead (w:altName in the font table; Word falls back to it).
FONT_FALLBACKS = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    XIAOBIAOSONG: "华文中宋",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}

RED = "FF0000"
BLACK = "000000"

_TWIPS_PER_MM = 1440 / 25.4
_BLOCK_WIDTH_TWIPS = round(BLOCK_WIDTH_MM * _TWIPS_PER_MM)  # 8844
_BLOCK_WIDTH_PT = BLOCK_WIDTH_MM * 72 / 25.4  # 442.2


class DocumentError(ValueError):
    """A document cannot be built as asked; the message says why, in Chinese."""


@dataclasses.dataclass(frozen=True)
class DocumentNumber:
    """发文字号 (7.2.4): ``恩施州经信委〔2019〕12号`` — 六角括号, year in full, serial without leading zeros."""

    prefix: str
    year: int
    serial: int

    _PATTERN = re.compile(r"^(?P<prefix>\S.*?)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")

    def __post_init__(self) -> None:
        if not isinstance(self.prefix, str) or not self.prefix.strip():
            raise DocumentError("发文机关代字不能为空")
        if self.prefix != self.prefix.strip() or any(c in self.prefix for c in "〔〕[]［］()（）"):
            raise DocumentError(f"发文机关代字“{self.prefix}”不能含空白或括号")
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1000 <= self.year <= 9999:
            raise DocumentError(f"年份必须是四位数字（如2019），而不是“{self.year}”")
        if isinstance(self.serial, bool) or not isinstance(self.serial, int) or self.serial < 1:
            raise DocumentError(f"发文顺序号必须是正整数，而不是“{self.serial}”")

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"

    @property
    def text(self) -> str:
        return str(self)

    @classmethod
    def parse(cls, text: str) -> DocumentNumber:
        """Read ``恩施州经信委〔2019〕12号`` back; anything else is a :class:`DocumentError`."""
        match = cls._PATTERN.match(text.strip())
        if not match:
            raise DocumentError(f"“{text}”不是规范的发文字号（应如“恩施州经信委〔2019〕12号”）")
        return cls(match["prefix"], int(match["year"]), int(match["serial"]))


# --- Table cells ------------------------------------------------------------------------------------
CellKind = str | Callable[[Any], str]
NUMERIC_KINDS = {"money_wan", "int", "decimal", "percent"}


def _cell_text(value: Any, kind: CellKind) -> str:
    if callable(kind):
        return kind(value)
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "money_wan":
        return format_wan(value)
    if kind == "percent":
        return format_pct(value)
    if kind == "decimal":
        return format_decimal(value)
    if kind == "int":
        return UNDEFINED if value is None else str(int(value))
    if kind == "date":
        return format_date_cn(value)
    if kind == "bool":
        return UNDEFINED if value is None else ("是" if value else "否")
    raise DocumentError(f"未知的列类型“{kind}”")


def _check_kind(kind: CellKind) -> None:
    if not callable(kind) and kind not in {"text", "date", "bool", *NUMERIC_KINDS}:
        raise DocumentError(
            f"未知的列类型“{kind}”（可用：text、money_wan、percent、decimal、int、date、bool）"
        )


# --- The builder ------------------------------------------------------------------------------------
_STYLES: dict[str, dict[str, Any]] = {
    # style id: name shown in Word, font, size, options
    "GwIssuer": {"name": "公文-发文机关标志", "font": XIAOBIAOSONG, "size": 26.0, "color": RED, "align": "center", "grid": False},
    "GwNumber": {"name": "公文-发文字号", "font": FANGSONG, "size": SIZE_3, "align": "center"},
    "GwTitle": {"name": "公文-标题", "font": XIAOBIAOSONG, "size": SIZE_2, "align": "center", "grid": False, "keep_next": True},
    "GwAddressees": {"name": "公文-主送机关", "font": FANGSONG, "size": SIZE_3, "align": "justify"},
    "GwBody": {"name": "公文-正文", "font": FANGSONG, "size": SIZE_3, "align": "justify", "indent": 2},
    "GwHeading1": {"name": "公文-一级标题", "font": HEITI, "size": SIZE_3, "align": "justify", "indent": 2, "keep_next": True, "outline": 0},
    "GwHeading2": {"name": "公文-二级标题", "font": KAITI, "size": SIZE_3, "align": "justify", "indent": 2, "keep_next": True, "outline": 1},
    "GwHeading3": {"name": "公文-三级标题", "font": FANGSONG, "size": SIZE_3, "bold": True, "align": "justify", "indent": 2, "keep_next": True, "outline": 2},
    "GwTableCaption": {"name": "公文-表题", "font": HEITI, "size": SIZE_3, "align": "center", "keep_next": True},
    "GwTableUnit": {"name": "公文-表格单位", "font": FANGSONG, "size": SIZE_SMALL_4, "align": "right", "grid": False, "keep_next": True},
    "GwTableText": {"name": "公文-表格文字", "font": FANGSONG, "size": SIZE_SMALL_4, "align": "center", "grid": False, "single": True},
    "GwTableHeader": {"name": "公文-表头", "font": HEITI, "size": SIZE_SMALL_4, "align": "center", "grid": False, "single": True},
    "GwAttachment": {"name": "公文-附件说明", "font": FANGSONG, "size": SIZE_3, "align": "justify"},
    "GwSignature": {"name": "公文-发文机关署名", "font": FANGSONG, "size": SIZE_3, "align": "right", "keep_next": True},
    "GwDate": {"name": "公文-成文日期", "font": FANGSONG, "size": SIZE_3, "align": "right"},
    "GwNote": {"name": "公文-附注", "font": FANGSONG, "size": SIZE_3, "align": "justify", "indent": 2},
    "GwRecord": {"name": "公文-版记", "font": FANGSONG, "size": SIZE_4, "align": "justify", "grid": False},
    "GwPageNumber": {"name": "公文-页码", "font": SONGTI, "size": SIZE_4, "grid": False, "single": True},
}  # fmt: skip

_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _chars_to_twips(chars: float, size: float = SIZE_3) -> int:
    return round(chars * size * 20)


def _set_indent(ppr, *, size: float = SIZE_3, **chars: float) -> None:
    """Indents in characters (``first_line=2``), written both as ``…Chars`` (Word's character units,
    which follow the grid) and in twips for readers that ignore character units."""
    attrs: dict[str, str] = {}
    for key, value in chars.items():
        name = {"first_line": "firstLine", "left": "left", "right": "right", "hanging": "hanging"}[key]
        attrs[name] = str(_chars_to_twips(value, size))
        attrs[f"{name}Chars"] = str(round(value * 100))
    x.set_child(ppr, "ind", x.PPR_ORDER, **attrs)


class OfficialDocument:
    """A GB/T 9704-2012 document: head, title, addressees, body, attachments, signature, record.

    Parts are added in reading order; :meth:`record` closes the document.
    """

    def __init__(
        self,
        *,
        issuer: str,
        title: str,
        number: DocumentNumber | None = None,
        addressees: str | None = None,
        head_top_mm: float = 35,
    ) -> None:
        if not issuer or not issuer.strip():
            raise DocumentError("发文机关标志不能为空")
        if not title or not title.strip():
            raise DocumentError("公文标题不能为空")
        if number is not None and not isinstance(number, DocumentNumber):
            raise DocumentError("发文字号必须是 DocumentNumber")
        self.issuer = issuer.strip()
        self.number = number
        self.title = title.strip()
        self._doc = docx.Document()
        self._closed = False
        self._signed = False
        self._setup_package()
        self._setup_page()
        self._setup_styles()
        self._setup_footers()
        self._head(head_top_mm)
        self._title()
        if addressees:
            self._addressees(addressees)

    # -- set-up --------------------------------------------------------------------------------------
    def _setup_package(self) -> None:
        doc = self._doc
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        props = doc.core_properties
        props.title = self.title
        props.author = self.issuer
        props.last_modified_by = self.issuer
        props.language = "zh-CN"
        props.comments = ""
        props.subject = str(self.number) if self.number else ""
        settings = doc.settings
        settings.odd_and_even_pages_header_footer = True  # 7.5: odd and even page numbers differ
        lang = settings.element.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        self._declare_fonts()

    def _declare_fonts(self) -> None:
        """List our fonts in the font table with GB2312 charset and the common substitute as altName,
        so Word falls back to 仿宋/楷体 where 仿宋_GB2312/楷体_GB2312 are not installed."""
        part = self._doc.part.part_related_by(RT.FONT_TABLE)
        root = etree.fromstring(part.blob)
        for font in root.findall(qn("w:font")):
            if font.get(qn("w:name")) in FONT_FALLBACKS:
                root.remove(font)
        for name, alt in FONT_FALLBACKS.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            for tag, value in (("altName", alt), ("charset", "86"), ("family", "modern"), ("pitch", "fixed")):
                child = etree.SubElement(font, qn(f"w:{tag}"))
                child.set(qn("w:val"), value)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _setup_page(self) -> None:
        section = self._doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.gutter = Mm(0)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        # 22 lines: a line grid of 579 twips (28.95 pt). 28 characters: 28 × 16 pt is 448 pt, more than
        # the 442.2 pt block, so the text styles carry a character spacing of -0.25 pt (15.75 pt a
        # character). Word's own way, a character grid (type="linesAndChars" with a negative
        # charSpace), is laid out by LibreOffice two grid cells a character, so it is not used.
        x.set_child(
            section._sectPr,
            "docGrid",
            (
                "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
                "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
                "docGrid printerSettings sectPrChange"
            ).split(),
            type="lines",
            linePitch=str(LINE_PITCH_TWIPS),
        )

    def _setup_styles(self) -> None:
        styles = self._doc.styles
        # Document defaults: 3号仿宋, Chinese, black; no theme fonts (they would override the names).
        rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        x.set_fonts(rpr_default, FANGSONG)
        x.set_size(rpr_default, SIZE_3)
        x.set_lang(rpr_default)
        x.set_child(rpr_default, "spacing", x.RPR_ORDER, val=str(CHAR_SPACING_TWIPS))
        ppr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        x.set_child(
            ppr_default,
            "spacing",
            x.PPR_ORDER,
            before="0",
            after="0",
            line=str(LINE_PITCH_TWIPS),
            lineRule="exact",
        )

        normal = styles["Normal"]
        self._format_style(normal, font=FANGSONG, size=SIZE_3, align="justify")
        for style_id, spec in _STYLES.items():
            spec = dict(spec)
            name = spec.pop("name")
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = style_id
            style.base_style = normal
            style.quick_style = True
            self._format_style(style, **spec)

    @staticmethod
    def _format_style(
        style,
        *,
        font: str,
        size: float,
        bold: bool = False,
        color: str | None = None,
        align: str | None = None,
        indent: float | None = None,
        grid: bool = True,
        single: bool = False,
        keep_next: bool = False,
        outline: int | None = None,
    ) -> None:
        rpr = style.element.get_or_add_rPr()
        x.set_fonts(rpr, font)
        x.set_size(rpr, size)
        x.set_bold(rpr, bold)
        x.set_color(rpr, color or BLACK)
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if single:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            pf.line_spacing = Twips(LINE_PITCH_TWIPS)
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if align:
            pf.alignment = _ALIGN[align]
        pf.keep_with_next = keep_next or None
        pf.widow_control = True
        ppr = style.element.get_or_add_pPr()
        if not grid:
            x.set_child(ppr, "snapToGrid", x.PPR_ORDER, val="0")
        if indent:
            _set_indent(ppr, size=size, first_line=indent)
        if outline is not None:
            x.set_child(ppr, "outlineLvl", x.PPR_ORDER, val=str(outline))

    def _setup_footers(self) -> None:
        """7.5: 4号半角宋体 ``— 1 —``; odd pages one character in from the right, even pages from the
        left (w:evenAndOddHeaders is on, so the default footer serves odd pages)."""
        section = self._doc.sections[0]
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self._doc.styles["公文-页码"]
            paragraph.alignment = align
            _set_indent(paragraph._p.get_or_add_pPr(), size=SIZE_4, **{side: 1})
            p = paragraph._p
            for child in list(p):
                if child.tag == qn("w:r"):
                    p.remove(child)
            paragraph.add_run("— ")
            for run in x.field_runs("PAGE", "1"):
                p.append(run)
            paragraph.add_run(" —")
            for run in p.findall(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    run.insert(0, rpr)
                x.set_fonts(rpr, SONGTI)  # 半角宋体 digits: the ASCII slot is 宋体 too
                x.set_size(rpr, SIZE_4)

    # -- helpers -------------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise DocumentError("版记已编排，版记之后不能再添加内容")

    def _add(self, style_id: str, text: str = ""):
        paragraph = self._doc.add_paragraph(style=self._doc.styles[_STYLES[style_id]["name"]])
        if text:
            paragraph.add_run(text)
        return paragraph

    def blank_line(self, count: int = 1) -> None:
        """An empty line of the 22-line grid."""
        self._check_open()
        for _ in range(count):
            self._doc.add_paragraph(style=self._doc.styles["Normal"])

    # -- head and title ------------------------------------------------------------------------------
    def _head(self, top_mm: float) -> None:
        # 7.2.3: 发文机关标志居中排布，上边缘至版心上边缘为35mm，小标宋，红色. The mark is as large as
        # 一号 allows on one line; a longer name is narrowed (字符缩放) rather than shrunk below 一号.
        width = text_width(self.issuer)
        size = min(36.0, math.floor(_BLOCK_WIDTH_PT * 0.97 / width * 2) / 2)
        scale = 100
        if size < 26.0:
            size = 26.0
            # 3 % spare: renderers round glyph advances, and an overfull mark would wrap.
            scale = max(50, math.floor(_BLOCK_WIDTH_PT / (width * size) * 97))
        mark = self._add("GwIssuer")
        run = mark.add_run(self.issuer)
        rpr = run._r.get_or_add_rPr()
        x.set_size(rpr, size)
        if scale != 100:
            x.set_child(rpr, "w", x.RPR_ORDER, val=str(scale))
        mark.paragraph_format.space_before = Mm(top_mm)
        mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # 7.2.6: 发文字号之下4mm处印一条与版心等宽的红色分隔线 — the bottom border of the number
        # paragraph, which spans the block.
        line = (12, RED, 11)  # 1.5 pt, red, 4 mm (11 pt) below the text
        if self.number is None:
            x.set_border(mark._p.get_or_add_pPr(), {"bottom": line})
            return
        # 7.2.4: 发文字号编排在发文机关标志下空二行位置，居中排布.
        self.blank_line(2)
        number = self._add("GwNumber", str(self.number))
        x.set_border(number._p.get_or_add_pPr(), {"bottom": line})

    def _title(self) -> None:
        # 7.3.1: 红色分隔线下空二行位置，2号小标宋，分一行或多行居中排布，回行时词意完整.
        self.blank_line(2)
        per_line = math.floor(_BLOCK_WIDTH_PT / SIZE_2)
        paragraph = self._add("GwTitle")
        for index, line in enumerate(title_lines(self.title, per_line=per_line)):
            run = paragraph.add_run(line)
            if index:
                run._r.addprevious(_break_run())

    def _addressees(self, addressees: str) -> None:
        # 7.3.2: 标题下空一行位置，居左顶格，回行时仍顶格，最后一个机关名称后标全角冒号.
        text = addressees.strip().rstrip("：:，,。；;、").rstrip()
        if not text:
            raise DocumentError("主送机关不能为空")
        self.blank_line()
        self._add("GwAddressees", text + "：")

    # -- body ----------------------------------------------------------------------------------------
    def paragraph(self, text: str) -> None:
        """Body text, 3号仿宋, first line indented two characters; each line of ``text`` is a paragraph."""
        self._check_open()
        for line in text.splitlines() or [""]:
            if line.strip():
                self._add("GwBody", line.strip())

    def _heading(self, style_id: str, text: str, body: str | None) -> None:
        self._check_open()
        if not text or not text.strip():
            raise DocumentError("标题文字不能为空")
        paragraph = self._add(style_id, text.strip())
        if body:
            # A heading run in with its paragraph (一、… followed by text): the text is plain 仿宋.
            paragraph.paragraph_format.keep_with_next = False
            run = paragraph.add_run(body.strip())
            rpr = run._r.get_or_add_rPr()
            x.set_fonts(rpr, FANGSONG)
            x.set_bold(rpr, False)

    def heading1(self, text: str, body: str | None = None) -> None:
        """First-level heading ``一、…`` in 3号黑体 (7.3.3); ``body`` continues the same paragraph."""
        self._heading("GwHeading1", text, body)

    def heading2(self, text: str, body: str | None = None) -> None:
        """Second-level heading ``（一）…`` in 3号楷体."""
        self._heading("GwHeading2", text, body)

    def heading3(self, text: str, body: str | None = None) -> None:
        """Third-level heading ``1.…`` in 3号仿宋 bold."""
        self._heading("GwHeading3", text, body)

    def page_break(self) -> None:
        self._check_open()
        self._doc.add_paragraph(style=self._doc.styles["Normal"]).add_run().add_break(WD_BREAK.PAGE)

    # -- tables --------------------------------------------------------------------------------------
    def table(
        self,
        *,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        caption: str | None = None,
        unit: str | None = None,
        kinds: Sequence[CellKind] | None = None,
        total_row: bool = False,
        widths: Sequence[float] | None = None,
        font_size: float = SIZE_SMALL_4,
    ) -> None:
        """A table across the block, caption above, the header row repeated on every page.

        ``kinds`` says how each column's values become text: ``text``, ``money_wan`` (Decimal yuan →
        万元 with two decimals), ``percent`` (a ratio → ``12.35%``), ``decimal`` (two decimals),
        ``int``, ``date`` (2019年7月5日), ``bool`` (是/否), or a callable. Numbers are right-aligned.
        ``total_row`` sets the last row (合计) in bold. ``widths`` are relative column widths.
        """
        self._check_open()
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
            self._add("GwTableCaption", caption.strip())
        if unit:
            unit_paragraph = self._add("GwTableUnit", unit.strip())
            if font_size != SIZE_SMALL_4:
                x.set_size(unit_paragraph.runs[0]._r.get_or_add_rPr(), font_size)

        table = self._doc.add_table(rows=0, cols=columns)
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        x.set_child(tbl_pr, "tblW", x.TBLPR_ORDER, w=str(_BLOCK_WIDTH_TWIPS), type="dxa")
        x.set_child(tbl_pr, "tblLayout", x.TBLPR_ORDER, type="fixed")

        twips = _column_twips(headers, body, widths, font_size)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=True):
            col.set(qn("w:w"), str(width))

        # One styled row per kind (header, body, total) is built once and copied for each row, with only
        # the text set: the same XML as styling every cell through python-docx, without its per-cell
        # style look-ups (about 1 ms a cell).
        tbl = table._tbl
        tbl.append(_filled_row(_row_template(twips, header=True, font_size=font_size), headers))
        if body:
            right = [not callable(kind) and kind in NUMERIC_KINDS for kind in kinds]
            plain = _row_template(twips, right=right, font_size=font_size)
            total = _row_template(twips, right=right, font_size=font_size, bold=True) if total_row else plain
            last = len(body) - 1
            for r, values in enumerate(body):
                tbl.append(_filled_row(total if r == last else plain, values))
        # Whatever follows the table starts on a line of its own.
        self._doc.add_paragraph(style=self._doc.styles["Normal"])

    # -- closing parts -------------------------------------------------------------------------------
    def attachments(self, names: Sequence[str]) -> None:
        """附件说明 (7.3.4): 正文下空一行左空二字 ``附件：1.…``; wrapped names align with the name's first
        character; names carry no closing punctuation."""
        self._check_open()
        names = [str(n).strip().rstrip("。.；;，,、") for n in names if str(n).strip()]
        if not names:
            return
        self.blank_line()
        if len(names) == 1:
            paragraph = self._add("GwAttachment", f"附件：{names[0]}")
            _set_indent(paragraph._p.get_or_add_pPr(), left=5, hanging=3)
            return
        for index, name in enumerate(names, start=1):
            label = f"{index}."
            label_width = text_width(label)
            paragraph = self._add("GwAttachment", ("附件：" if index == 1 else "") + label + name)
            # 2 characters margin + 附件： (3) + the number: later items start under the first number.
            left = 2 + 3 + label_width
            hanging = label_width + (3 if index == 1 else 0)
            _set_indent(paragraph._p.get_or_add_pPr(), left=left, hanging=hanging)

    def signature(self, *, organ: str | None, date: datetime.date, blank_lines: int = 2) -> None:
        """署名和成文日期 (7.3.5.1): the date in Arabic numerals, its end four characters from the right
        margin; the organ's name centred over the date. ``blank_lines`` above leave room for the seal.
        ``organ=None`` gives the date alone."""
        self._check_open()
        if not isinstance(date, datetime.date):
            raise DocumentError("成文日期必须是日期")
        self.blank_line(blank_lines)
        date_text = format_date_cn(date)
        date_width = text_width(date_text)
        date_right = 4.0
        if organ:
            organ = organ.strip()
            organ_width = text_width(organ)
            organ_right = date_right + (date_width - organ_width) / 2
            if organ_right < 0:  # a long name: keep it on the block and centre the date under it
                date_right -= organ_right
                organ_right = 0.0
            paragraph = self._add("GwSignature", organ)
            _set_indent(paragraph._p.get_or_add_pPr(), right=organ_right)
        paragraph = self._add("GwDate", date_text)
        _set_indent(paragraph._p.get_or_add_pPr(), right=date_right)
        self._signed = True

    def note(self, text: str) -> None:
        """附注 (7.3.7): on the line below the date, indented two characters, in parentheses: ``（此件公开发布）``."""
        self._check_open()
        text = text.strip().strip("（）()")
        self._add("GwNote", f"（{text}）")

    def record(
        self,
        *,
        printer: str,
        print_date: datetime.date,
        cc: str | None = None,
        distribution: Sequence[tuple[str, str]] = (),
        at_foot: bool = True,
    ) -> None:
        """版记 (7.4): distribution lines such as ``("发", "各县市人民政府。")`` and ``("送", "…")``
        (the seed's 发：/送：), ``抄送：…。`` and the printing line ``印发机关<tab>2019年7月5日印发``,
        between a thick rule above and below, each element separated by a thin rule.

        ``at_foot`` floats the record to the foot of the last page, its last rule on the block's lower
        edge, as the standard asks (Word and WPS; LibreOffice 7.4 misplaces floating tables, so pass
        ``False`` for a document that LibreOffice will convert: the record then follows the text).
        The document can take nothing after this."""
        self._check_open()
        if not printer or not printer.strip():
            raise DocumentError("印发机关不能为空")
        if not isinstance(print_date, datetime.date):
            raise DocumentError("印发日期必须是日期")
        lines: list[tuple[str, str]] = []
        for label, names in distribution:
            label = label.strip().rstrip("：:")
            if not label or not names.strip():
                raise DocumentError("版记的发送行须有名称（如“发”“送”）和机关")
            lines.append((label, names))
        if cc and cc.strip():
            lines.append(("抄送", cc))

        # A one-column table: its rules span the block (paragraph borders would stop at the indents),
        # and the cell margins give the 左右各空一字 of 7.4.2 and 7.4.3.
        table = self._doc.add_table(rows=len(lines) + 1, cols=1)
        tbl_pr = table._tbl.tblPr
        for child in tbl_pr.findall(qn("w:tblStyle")):
            tbl_pr.remove(child)
        if at_foot:
            x.set_child(
                tbl_pr, "tblpPr", x.TBLPR_ORDER, leftFromText="0", rightFromText="0", topFromText="0",
                bottomFromText="0", vertAnchor="margin", horzAnchor="margin", tblpXSpec="center",
                tblpYSpec="bottom",
            )  # fmt: skip
            x.set_child(tbl_pr, "tblOverlap", x.TBLPR_ORDER, val="never")
        x.set_child(tbl_pr, "tblW", x.TBLPR_ORDER, w=str(_BLOCK_WIDTH_TWIPS), type="dxa")
        x.set_child(tbl_pr, "jc", x.TBLPR_ORDER, val="center")
        borders = x.set_child(tbl_pr, "tblBorders", x.TBLPR_ORDER)
        # 7.4.1: 首条和末条分隔线用粗线（推荐高度0.35 mm），中间的分隔线用细线（推荐高度0.25 mm）.
        for edge, size in (
            ("top", 8),
            ("left", 0),
            ("bottom", 8),
            ("right", 0),
            ("insideH", 6),
            ("insideV", 0),
        ):
            edge_el = OxmlElement(f"w:{edge}")
            if size:
                for key, value in (("val", "single"), ("sz", str(size)), ("space", "0"), ("color", BLACK)):
                    edge_el.set(qn(f"w:{key}"), value)
            else:
                edge_el.set(qn("w:val"), "nil")
            borders.append(edge_el)
        x.set_child(tbl_pr, "tblLayout", x.TBLPR_ORDER, type="fixed")
        margins = x.set_child(tbl_pr, "tblCellMar", x.TBLPR_ORDER)
        one_char = _chars_to_twips(1, SIZE_4)
        for edge in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{edge}")
            margin.set(qn("w:w"), str(one_char if edge in ("left", "right") else 0))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblGrid.find(qn("w:gridCol")).set(qn("w:w"), str(_BLOCK_WIDTH_TWIPS))

        rows = list(table.rows)
        for row, (label, names) in zip(rows, lines, strict=False):
            # 7.4.2: 最后一个机关名称后标句号; wrapped lines align after the colon.
            names = names.strip().rstrip("，,、；;：:。.") + "。"
            paragraph = self._record_cell(row, f"{label}：{names}")
            label_width = text_width(label) + 1
            _set_indent(paragraph._p.get_or_add_pPr(), size=SIZE_4, left=label_width, hanging=label_width)
        # 7.4.3: 印发机关左空一字，印发日期右空一字，日期后加“印发”二字.
        printing = self._record_cell(rows[-1], f"{printer.strip()}\t{format_date_cn(print_date)}印发")
        printing.paragraph_format.tab_stops.add_tab_stop(
            Twips(_BLOCK_WIDTH_TWIPS - 2 * one_char), WD_TAB_ALIGNMENT.RIGHT
        )
        # The paragraph a floating table is anchored to; a hairline so it never starts a page itself.
        anchor = self._doc.add_paragraph(style=self._doc.styles["Normal"])
        anchor.paragraph_format.line_spacing = Pt(1)
        anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        x.set_size(x.get_or_add(anchor._p.get_or_add_pPr(), "rPr", x.PPR_ORDER), 1)
        self._closed = True

    def _record_cell(self, row, text: str):
        cell = row.cells[0]
        cell.width = Twips(_BLOCK_WIDTH_TWIPS)
        x.set_child(row._tr.get_or_add_trPr(), "cantSplit", x.TRPR_ORDER)
        paragraph = cell.paragraphs[0]
        paragraph.style = self._doc.styles[_STYLES["GwRecord"]["name"]]
        paragraph.add_run(text)
        return paragraph

    # -- output --------------------------------------------------------------------------------------
    @property
    def docx(self) -> docx.document.Document:
        """The underlying python-docx document, for what this builder does not cover."""
        return self._doc

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()

    def save(self, path) -> None:
        self._doc.save(path)


def _break_run():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


# --- Table rows as XML ------------------------------------------------------------------------------
_W_TC = qn("w:tc")
_W_T = qn("w:t")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters python-docx writes as elements of their own (w:tab, w:br) rather than as text.
_RUN_SPECIAL = re.compile("[\t\r\n]")


def _row_template(
    twips: Sequence[int],
    *,
    font_size: float,
    header: bool = False,
    right: Sequence[bool] | None = None,
    bold: bool = False,
):
    """A ``w:tr`` with one styled, empty run a cell: the row never splits across pages; the header row
    repeats at the top of each page (``tblHeader``) in 公文-表头; body cells in 公文-表格文字, figures
    right-aligned; a size other than 小四 and the total row's bold set on the run."""
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr.append(tr_pr)
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    style_id = "GwTableHeader" if header else "GwTableText"
    for c, width in enumerate(twips):
        tc = OxmlElement("w:tc")
        tc_pr = OxmlElement("w:tcPr")
        tc.append(tc_pr)
        tc_w = OxmlElement("w:tcW")
        tc_w.set(qn("w:type"), "dxa")
        tc_w.set(qn("w:w"), str(width))
        tc_pr.append(tc_w)
        tc_pr.append(OxmlElement("w:vAlign", attrs={qn("w:val"): "center"}))
        p = OxmlElement("w:p")
        tc.append(p)
        p_pr = OxmlElement("w:pPr")
        p.append(p_pr)
        p_pr.append(OxmlElement("w:pStyle", attrs={qn("w:val"): style_id}))
        if right and right[c]:
            p_pr.append(OxmlElement("w:jc", attrs={qn("w:val"): "right"}))
        run = OxmlElement("w:r")
        p.append(run)
        rpr = OxmlElement("w:rPr")
        run.append(rpr)
        if font_size != SIZE_SMALL_4:
            x.set_size(rpr, font_size)
        if bold:
            x.set_bold(rpr, True)
        tr.append(tc)
    return tr


def _filled_row(template, values: Sequence[str]):
    """A copy of ``template`` with each cell's text, written as python-docx's ``add_run`` writes it."""
    tr = copy.deepcopy(template)
    for tc, text in zip(tr.iterchildren(_W_TC), values, strict=True):
        if not text:
            continue
        run = tc[1][1]  # w:tc/w:p/w:r
        if isinstance(text, str) and not _RUN_SPECIAL.search(text):
            t = etree.SubElement(run, _W_T)
            t.text = text
            if len(text.strip()) < len(text):
                t.set(_XML_SPACE, "preserve")
        else:
            run.text = text  # tabs and line breaks become w:tab and w:br
    return tr


def _column_twips(
    headers: Sequence[str], body: Sequence[Sequence[str]], widths: Sequence[float] | None, font_size: float
) -> list[int]:
    """Column widths summing to the block: the caller's proportions, or each column's widest text
    (header counted at half weight, since it may wrap), kept above a minimum."""
    if widths is not None:
        if len(widths) != len(headers) or any(w <= 0 for w in widths):
            raise DocumentError("列宽须为正数，且与表头列数相同")
        weights = [float(w) for w in widths]
    else:
        weights = []
        for c, header in enumerate(headers):
            widest = max([text_width(row[c]) for row in body[:500]] or [0.0])
            weights.append(max(widest, text_width(header) / 2, 2.0) + 1.0)
    total = sum(weights)
    twips = [math.floor(_BLOCK_WIDTH_TWIPS * w / total) for w in weights]
    twips[-1] += _BLOCK_WIDTH_TWIPS - sum(twips)
    return twips
