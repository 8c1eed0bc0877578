"""Read a generated official document back, for tests.

Each function takes the .docx as bytes, a path, or an open python-docx ``Document`` and returns plain
values: millimetres, points, ``RRGGBB`` colours, strings. Parts are found by the paragraph styles
:class:`~jigai.documents.official.OfficialDocument` gives them (``GwTitle``, ``GwDate``…)::

    from jigai.documents import inspect
    data = doc.to_bytes()
    assert inspect.number_text(data) == "恩施州经信委〔2019〕12号"
    assert inspect.title(data).size_pt == 22
    assert inspect.tables(data)[0][1] == ["恩施市", "12345.68", "23.46%"]
"""

from __future__ import annotations

import dataclasses
import io
import os

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

__all__ = [
    "Footer",
    "PageSetup",
    "Part",
    "addressees",
    "attachment_lines",
    "body_texts",
    "date_line",
    "effective_format",
    "footers",
    "head",
    "headings",
    "load",
    "number_text",
    "page_setup",
    "paragraphs",
    "part",
    "record_lines",
    "red_line",
    "signature",
    "table_captions",
    "tables",
    "title",
]

_EMU_PER_MM = 36000


def load(source: bytes | str | os.PathLike | Document) -> Document:
    if isinstance(source, bytes | bytearray):
        return docx.Document(io.BytesIO(source))
    if isinstance(source, str | os.PathLike):
        return docx.Document(source)
    return source


# --- page -------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PageSetup:
    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    line_pitch_pt: float | None
    grid_type: str | None


def page_setup(source) -> PageSetup:
    doc = load(source)
    section = doc.sections[0]

    def mm(length) -> float:
        return round(length / _EMU_PER_MM, 1)

    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = grid.get(qn("w:linePitch")) if grid is not None else None
    return PageSetup(
        width_mm=mm(section.page_width),
        height_mm=mm(section.page_height),
        top_mm=mm(section.top_margin),
        bottom_mm=mm(section.bottom_margin),
        left_mm=mm(section.left_margin),
        right_mm=mm(section.right_margin),
        line_pitch_pt=int(pitch) / 20 if pitch else None,
        grid_type=grid.get(qn("w:type")) if grid is not None else None,
    )


# --- formatting resolution --------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class RunFormat:
    east_asian_font: str | None
    ascii_font: str | None
    size_pt: float | None
    bold: bool
    color: str | None


def _style_chain(doc: Document, style_id: str | None):
    styles = doc.styles.element
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        found = None
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:styleId")) == style_id:
                found = style
                break
        if found is None:
            return
        yield found
        based = found.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None


def _rpr_layers(doc: Document, paragraph: Paragraph, run=None) -> list:
    layers = []
    if run is not None and run._r.rPr is not None:
        layers.append(run._r.rPr)
    ppr = paragraph._p.pPr
    style_id = None
    if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
        style_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
    if style_id is None:
        style_id = "Normal"
    for style in _style_chain(doc, style_id):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None:
            layers.append(rpr)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            layers.append(rpr)
    return layers


def _first(layers, tag: str, attr: str = "val"):
    for layer in layers:
        element = layer.find(qn(f"w:{tag}"))
        if element is not None and element.get(qn(f"w:{attr}")) is not None:
            return element.get(qn(f"w:{attr}"))
    return None


def effective_format(paragraph: Paragraph, run=None, doc: Document | None = None) -> RunFormat:
    """The font, size, weight and colour a run (or the paragraph's first run) is shown in, following
    run properties, the style chain and the document defaults."""
    doc = doc or paragraph.part.document
    if run is None and paragraph.runs:
        run = paragraph.runs[0]
    layers = _rpr_layers(doc, paragraph, run)
    size = _first(layers, "sz")
    bold = None
    for layer in layers:
        element = layer.find(qn("w:b"))
        if element is not None:
            bold = element.get(qn("w:val"), "1") not in ("0", "false")
            break
    return RunFormat(
        east_asian_font=_first(layers, "rFonts", "eastAsia"),
        ascii_font=_first(layers, "rFonts", "ascii"),
        size_pt=int(size) / 2 if size else None,
        bold=bool(bold),
        color=_first(layers, "color"),
    )


def _alignment(paragraph: Paragraph, doc: Document) -> str | None:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(qn("w:jc")) is not None:
        return ppr.find(qn("w:jc")).get(qn("w:val"))
    style_id = (
        ppr.find(qn("w:pStyle")).get(qn("w:val"))
        if ppr is not None and ppr.find(qn("w:pStyle")) is not None
        else "Normal"
    )
    for style in _style_chain(doc, style_id):
        style_ppr = style.find(qn("w:pPr"))
        if style_ppr is not None and style_ppr.find(qn("w:jc")) is not None:
            return style_ppr.find(qn("w:jc")).get(qn("w:val"))
    return None


# --- parts ------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Part:
    """One paragraph-level part: its text, look and alignment (``center``, ``right``, ``both``…)."""

    text: str
    east_asian_font: str | None
    size_pt: float | None
    bold: bool
    color: str | None
    alignment: str | None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def _style_id(paragraph: Paragraph) -> str | None:
    ppr = paragraph._p.pPr
    if ppr is None or ppr.find(qn("w:pStyle")) is None:
        return None
    return ppr.find(qn("w:pStyle")).get(qn("w:val"))


def _all_paragraphs(doc: Document):
    """Body paragraphs and those in table cells, in document order."""
    body = doc.element.body
    for element in body.iter(qn("w:p")):
        yield Paragraph(element, doc._body)


def paragraphs(source, style_id: str) -> list[Paragraph]:
    doc = load(source)
    return [p for p in _all_paragraphs(doc) if _style_id(p) == style_id]


def _part(doc: Document, paragraph: Paragraph) -> Part:
    fmt = effective_format(paragraph, doc=doc)
    return Part(
        text=paragraph.text,
        east_asian_font=fmt.east_asian_font,
        size_pt=fmt.size_pt,
        bold=fmt.bold,
        color=fmt.color,
        alignment=_alignment(paragraph, doc),
    )


def _one(source, style_id: str) -> Part | None:
    doc = load(source)
    found = [p for p in _all_paragraphs(doc) if _style_id(p) == style_id]
    return _part(doc, found[0]) if found else None


def part(source, style_id: str) -> Part | None:
    """The first paragraph of a style (``GwNumber``, ``GwSignature``…) with its look."""
    return _one(source, style_id)


def head(source) -> Part | None:
    """The issuing organ's mark (发文机关标志)."""
    return _one(source, "GwIssuer")


def number_text(source) -> str | None:
    """The document number as printed, e.g. ``恩施州经信委〔2019〕12号``."""
    part = _one(source, "GwNumber")
    return part.text if part else None


@dataclasses.dataclass(frozen=True)
class Rule:
    color: str
    width_pt: float
    style: str


def red_line(source) -> Rule | None:
    """The separator under the head: the bottom border of the number (or, without one, the mark)."""
    doc = load(source)
    for style_id in ("GwNumber", "GwIssuer"):
        for paragraph in _all_paragraphs(doc):
            if _style_id(paragraph) != style_id or paragraph._p.pPr is None:
                continue
            bottom = paragraph._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
            if bottom is not None:
                return Rule(
                    color=bottom.get(qn("w:color")),
                    width_pt=int(bottom.get(qn("w:sz"))) / 8,
                    style=bottom.get(qn("w:val")),
                )
    return None


@dataclasses.dataclass(frozen=True)
class Title(Part):
    blank_lines_above: int = 0


def title(source) -> Title | None:
    """The title; ``lines`` are its lines as broken, ``blank_lines_above`` the empty lines between it
    and the head."""
    doc = load(source)
    body_paragraphs = list(doc.paragraphs)
    for index, paragraph in enumerate(body_paragraphs):
        if _style_id(paragraph) == "GwTitle":
            blanks = 0
            for previous in reversed(body_paragraphs[:index]):
                if previous.text.strip():
                    break
                blanks += 1
            return Title(**dataclasses.asdict(_part(doc, paragraph)), blank_lines_above=blanks)
    return None


def addressees(source) -> str | None:
    part = _one(source, "GwAddressees")
    return part.text if part else None


def headings(source) -> list[tuple[int, str]]:
    doc = load(source)
    levels = {"GwHeading1": 1, "GwHeading2": 2, "GwHeading3": 3}
    return [(levels[_style_id(p)], p.text) for p in doc.paragraphs if _style_id(p) in levels]


def body_texts(source) -> list[str]:
    """Body paragraphs (headings excluded)."""
    return [p.text for p in paragraphs(source, "GwBody")]


def tables(source) -> list[list[list[str]]]:
    """Each body table (the 版记 excluded) as rows of cell texts, header row first."""
    doc = load(source)
    result = []
    for table in doc.tables:
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        first = table.rows[0].cells[0].paragraphs[0] if table.rows else None
        if first is not None and _style_id(first) == "GwRecord":
            continue
        result.append(cells)
    return result


def table_captions(source) -> list[str]:
    return [p.text for p in paragraphs(source, "GwTableCaption")]


def attachment_lines(source) -> list[str]:
    return [p.text for p in paragraphs(source, "GwAttachment")]


def signature(source) -> str | None:
    """The signing organ's name."""
    part = _one(source, "GwSignature")
    return part.text if part else None


def date_line(source) -> str | None:
    """The date under the signature, e.g. ``2019年7月5日``."""
    part = _one(source, "GwDate")
    return part.text if part else None


def record_lines(source) -> list[str]:
    """The 版记 lines top to bottom, e.g. ``["抄送：州委各部门。",
    "恩施州经济和信息化委员会办公室\\t2019年7月5日印发"]`` (a tab separates printer and date)."""
    return [p.text for p in paragraphs(source, "GwRecord")]


# --- footers ----------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Footer:
    text: str  # with the PAGE field's cached result, e.g. "— 1 —"
    alignment: str | None
    has_page_field: bool
    east_asian_font: str | None
    size_pt: float | None


@dataclasses.dataclass(frozen=True)
class Footers:
    even_and_odd: bool
    odd: Footer | None
    even: Footer | None


def _footer(doc: Document, footer) -> Footer | None:
    if footer.is_linked_to_previous or not footer.paragraphs:
        return None
    paragraph = footer.paragraphs[0]
    instructions = "".join(t.text or "" for t in paragraph._p.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr"), "") for f in paragraph._p.iter(qn("w:fldSimple"))]
    has_page = "PAGE" in instructions.split() or any("PAGE" in s.split() for s in simple)
    text = "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))
    fmt = effective_format(paragraph, doc=doc)
    return Footer(
        text=text,
        alignment=_alignment(paragraph, doc),
        has_page_field=has_page,
        east_asian_font=fmt.east_asian_font,
        size_pt=fmt.size_pt,
    )


def footers(source) -> Footers:
    doc = load(source)
    section = doc.sections[0]
    return Footers(
        even_and_odd=bool(doc.settings.odd_and_even_pages_header_footer),
        odd=_footer(doc, section.footer),
        even=_footer(doc, section.even_page_footer),
    )
