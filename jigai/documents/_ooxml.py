"""Low-level WordprocessingML helpers: children in schema order, fonts, borders, fields.

Word refuses a document whose property children are out of the order the schema gives, so every
element added here goes through :func:`set_child`, which keeps that order.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Child order of w:pPr, w:rPr, w:trPr, w:tcPr, w:tblPr and w:sectPr (ECMA-376 Part 1, 17.3 / 17.4 / 17.6).
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden"
).split()
TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
PBDR_ORDER = "top left bottom right between bar".split()


def set_child(parent, tag: str, order: Sequence[str], **attrs: str):
    """Replace (or add) ``w:<tag>`` under ``parent`` at its schema position; return it."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    child = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1 :]}
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            break
    else:
        parent.append(child)
    return child


def get_or_add(parent, tag: str, order: Sequence[str]):
    found = parent.find(qn(f"w:{tag}"))
    return found if found is not None else set_child(parent, tag, order)


def set_fonts(rpr, name: str, *, ascii_name: str | None = None) -> None:
    """Name the font for every script, East Asian included, dropping theme font references (which
    would otherwise win over the explicit names)."""
    other = ascii_name or name
    set_child(rpr, "rFonts", RPR_ORDER, ascii=other, hAnsi=other, eastAsia=name, cs=other, hint="eastAsia")


def set_size(rpr, points: float) -> None:
    half_points = str(round(points * 2))
    set_child(rpr, "sz", RPR_ORDER, val=half_points)
    set_child(rpr, "szCs", RPR_ORDER, val=half_points)


def set_bold(rpr, bold: bool = True) -> None:
    value = "1" if bold else "0"
    set_child(rpr, "b", RPR_ORDER, val=value)
    set_child(rpr, "bCs", RPR_ORDER, val=value)


def set_color(rpr, hex_rgb: str) -> None:
    set_child(rpr, "color", RPR_ORDER, val=hex_rgb)


def set_lang(rpr) -> None:
    set_child(rpr, "lang", RPR_ORDER, val="zh-CN", eastAsia="zh-CN", bidi="ar-SA")


def set_border(ppr, edges: dict[str, tuple[int, str, int]]) -> None:
    """Paragraph borders: ``{"bottom": (size in eighths of a point, RRGGBB, space in pt)}``."""
    pbdr = set_child(ppr, "pBdr", PPR_ORDER)
    for edge in PBDR_ORDER:
        if edge in edges:
            size, color, space = edges[edge]
            set_child(pbdr, edge, PBDR_ORDER, val="single", sz=size, space=space, color=color)


def field_runs(instruction: str, placeholder: str) -> list:
    """The runs of a complex field (``PAGE``): begin, instruction, separate, cached result, end."""
    runs = []
    for kind, payload in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {payload} "
            run.append(text)
        elif kind == "text":
            text = OxmlElement("w:t")
            text.text = payload
            run.append(text)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        runs.append(run)
    return runs
