"""List exports as .xlsx and .csv, safe against formula injection.

    data = write_xlsx([
        Sheet(
            title="项目清单",
            caption="2019年6月全州技改项目清单",
            headers=["项目名称", "所属县市", "总投资（万元）", "是否入库", "开工日期"],
            kinds=["text", "text", "money_wan", "bool", "date"],
            rows=((p.name, p.region, p.investment_yuan, p.in_library, p.start_date) for p in projects),
        ),
    ])

Column kinds: ``text``; ``money_wan`` (a Decimal in yuan, written as the exact 万元 number yuan / 10000,
shown as ``#,##0.00``: the cell keeps every digit, so a re-import gives back the yuan to the fen);
``decimal`` (a plain Decimal, ``#,##0.00``); ``int``; ``percent`` (a ratio, ``0.00%``); ``date``;
``datetime`` (aware values are shown in Beijing time); ``bool`` (是/否).

docs/security.md, Exports: a text cell beginning with ``= + - @``, a tab or a carriage return is written as
text, never as a formula — in .xlsx as a string cell with the quote prefix set, in .csv behind a single
quote. Only text goes through that check: numbers stay numbers. No Django here: the CLI uses it too.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import itertools
import math
import re
import types
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .formatting import text_width, to_decimal, yuan_to_wan

__all__ = [
    "KINDS",
    "Sheet",
    "is_formula_like",
    "safe_cell",
    "write_csv",
    "write_xlsx",
]

KINDS = ("text", "money_wan", "decimal", "int", "percent", "date", "datetime", "bool")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_BEIJING = datetime.timezone(datetime.timedelta(hours=8), "CST")

_NUMBER_FORMATS = {
    "money_wan": "#,##0.00",
    "decimal": "#,##0.00",
    "int": "0",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_HEADER_FONT = Font(name="宋体", bold=True)
_CAPTION_FONT = Font(name="宋体", bold=True, size=14)
_HEADER_FILL = PatternFill("solid", start_color="FFD9D9D9")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE_ROWS = 200


class ExportError(ValueError):
    """An export cannot be written as asked; the message says where and why, in Chinese."""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula (=, +, -, @, tab, CR first)."""
    return text.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """``value`` made harmless for a CSV cell: formula-like text gets a leading ``'``; anything else is
    returned unchanged (numbers stay numbers)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


@dataclasses.dataclass
class Sheet:
    """One worksheet: a Chinese ``title`` (the tab), an optional ``caption`` line above the table,
    ``headers``, ``rows`` (any iterable, consumed once, so a generator streams) and one kind per column
    (all ``text`` when omitted). ``widths`` override the column widths (in Excel character units)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    kinds: Sequence[str] | None = None
    caption: str | None = None
    widths: Sequence[float] | None = None

    def column_kinds(self) -> list[str]:
        kinds = list(self.kinds) if self.kinds is not None else ["text"] * len(self.headers)
        if len(kinds) != len(self.headers):
            raise ExportError(f"工作表“{self.title}”：列类型有{len(kinds)}个，表头有{len(self.headers)}列")
        for kind in kinds:
            if kind not in KINDS:
                raise ExportError(f"工作表“{self.title}”：未知的列类型“{kind}”（可用：{'、'.join(KINDS)}）")
        return kinds


# --- value conversion -------------------------------------------------------------------------------
def _clean_text(value: Any) -> str:
    # Control characters other than tab, LF and CR cannot be stored in a worksheet.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _naive_beijing(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(_BEIJING).replace(tzinfo=None)
    return value


def _number(value: Any, where: str) -> Decimal | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return to_decimal(value)
    except (TypeError, ValueError) as error:
        raise ExportError(f"{where}：{error}") from None


def _convert(value: Any, kind: str, where: str) -> Any:
    """The value the cell holds for ``kind``; ``None`` stays an empty cell."""
    if value is None or value == "":
        return None
    if kind == "text":
        return _clean_text(value)
    if kind == "money_wan":
        return yuan_to_wan(_number(value, where))
    if kind in ("decimal", "percent"):
        return _number(value, where)
    if kind == "int":
        number = _number(value, where)
        if number != int(number):
            raise ExportError(f"{where}：“{value}”不是整数")
        return int(number)
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return _naive_beijing(value).date()
        if isinstance(value, datetime.date):
            return value
        raise ExportError(f"{where}：“{value}”不是日期")
    if kind == "datetime":
        if isinstance(value, datetime.datetime):
            return _naive_beijing(value)
        raise ExportError(f"{where}：“{value}”不是日期时间")
    if kind == "bool":
        return "是" if value else "否"
    raise ExportError(f"{where}：未知的列类型“{kind}”")


# --- xlsx -------------------------------------------------------------------------------------------
def _sheet_names(sheets: Sequence[Sheet]) -> list[str]:
    """Valid, unique tab names: at most 31 characters, none of []:*?/\\, not blank."""
    names: list[str] = []
    for index, sheet in enumerate(sheets, start=1):
        base = _SHEET_NAME_FORBIDDEN.sub("_", (sheet.title or "").strip()).strip("'") or f"Sheet{index}"
        name, suffix = base[:31], 2
        while name.casefold() in {n.casefold() for n in names}:
            tag = f"({suffix})"
            name = base[: 31 - len(tag)] + tag
            suffix += 1
        names.append(name)
    return names


def _display_width(value: Any, kind: str) -> float:
    if value is None:
        return 0
    if kind == "money_wan":
        return len(f"{value:,.2f}")
    if kind in ("decimal",):
        return len(f"{value:,.2f}")
    if kind == "percent":
        return len(f"{value * 100:.2f}") + 1
    if kind == "date":
        return 10
    if kind == "datetime":
        return 16
    # Excel's width unit is one '0' of the default font: a CJK character takes two.
    return text_width(str(value)) * 2


def _column_widths(sheet: Sheet, kinds: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[float]:
    if sheet.widths is not None:
        if len(sheet.widths) != len(sheet.headers):
            raise ExportError(
                f"工作表“{sheet.title}”：列宽有{len(sheet.widths)}个，表头有{len(sheet.headers)}列"
            )
        return [float(w) for w in sheet.widths]
    widths = []
    for c, (header, kind) in enumerate(zip(sheet.headers, kinds, strict=True)):
        widest = max([_display_width(row[c], kind) for row in sample] or [0])
        widths.append(min(60.0, max(8.0, widest + 2, min(text_width(str(header)) * 2 + 2, 30.0))))
    return widths


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx of the sheets, written row by row (openpyxl's write-only mode), so 50,000 rows take
    seconds and little memory. The header is bold, shaded, frozen and has a filter; it repeats on
    printed pages."""
    if not sheets:
        raise ExportError("至少要有一个工作表")
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "技改通"
    for sheet, name in zip(sheets, _sheet_names(sheets), strict=True):
        _write_sheet(workbook, sheet, name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook: Workbook, sheet: Sheet, name: str) -> None:
    kinds = sheet.column_kinds()
    headers = [str(h) for h in sheet.headers]
    columns = len(headers)
    ws = workbook.create_sheet(title=name)
    if hasattr(ws, "_values_to_row"):
        # openpyxl 3.1 first tries each appended Cell as a plain value and builds an error message
        # (with the cell's repr) before taking it as a cell; skipping that is a third of the time of
        # a 50,000-row export. The replacement does what the original does for our rows.
        ws._values_to_row = types.MethodType(_values_to_row, ws)

    # Rows are converted as they stream; the first few also size the columns (set before any row).
    def converted():
        for number, row in enumerate(sheet.rows, start=1):
            row = list(row)
            if len(row) != columns:
                raise ExportError(f"工作表“{name}”第{number}行有{len(row)}列，表头有{columns}列")
            yield [
                _convert(value, kind, f"工作表“{name}”第{number}行“{headers[c]}”列")
                for c, (value, kind) in enumerate(zip(row, kinds, strict=True))
            ]

    rows = converted()
    sample = list(itertools.islice(rows, _WIDTH_SAMPLE_ROWS))
    for c, width in enumerate(_column_widths(sheet, kinds, sample), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width

    # Everything about the sheet goes before the first row: the writer emits it with that row.
    header_row = 2 if sheet.caption else 1
    last_column = get_column_letter(max(columns, 1))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_column}{header_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    if sheet.caption:
        caption = _safe_xlsx_text(ws, _clean_text(sheet.caption))
        caption.font = _CAPTION_FONT
        ws.append([caption])

    header_cells = []
    for header in headers:
        cell = _safe_xlsx_text(ws, _clean_text(header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        header_cells.append(cell)
    ws.append(header_cells)

    # One template cell per column carries the style; copying its style array is much cheaper than
    # assigning number_format on each of 50,000 × n cells.
    templates = []
    for kind in kinds:
        template = WriteOnlyCell(ws)
        if kind in _NUMBER_FORMATS:
            template.number_format = _NUMBER_FORMATS[kind]
        templates.append(template._style)
    quoted = WriteOnlyCell(ws)
    quoted.quotePrefix = True
    quoted_style = quoted._style
    wrapped = WriteOnlyCell(ws)
    wrapped.alignment = Alignment(wrap_text=True, vertical="top")
    wrapped_style = wrapped._style

    for row in itertools.chain(sample, rows):
        cells = []
        for value, style in zip(row, templates, strict=True):
            if value is None:
                cells.append(None)
            elif isinstance(value, str):
                if is_formula_like(value) or value in ERROR_CODES:
                    # A string cell, never a formula (docs/security.md, Exports) nor an error code.
                    cell = WriteOnlyCell(ws, value)
                    cell.data_type = "s"
                    cell._style = quoted_style
                    cells.append(cell)
                elif "\n" in value:  # several lines (reasons, notes): shown as lines, not one long one
                    cell = WriteOnlyCell(ws, value)
                    cell._style = wrapped_style
                    cells.append(cell)
                else:
                    cells.append(value)  # plain text: openpyxl makes it a string cell
            else:
                cell = WriteOnlyCell(ws, value)
                cell._style = style
                if isinstance(value, Decimal):
                    # openpyxl would print a Decimal through a float ("%.16g"); the exact digits go
                    # in instead, so the spreadsheet reads the very number we mean.
                    cell._value = _plain_decimal(value)
                cells.append(cell)
        ws.append(cells)


def _values_to_row(ws, values, row_idx):
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def _safe_xlsx_text(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True
    return cell


# --- csv --------------------------------------------------------------------------------------------
def _csv_text(value: Any, kind: str | None) -> str:
    if value is None:
        return ""
    if kind is not None and kind != "text":
        value = _convert(value, kind, "CSV")
        if value is None:
            return ""
        if kind in ("money_wan", "decimal", "percent"):
            return _plain_decimal(value)
        if kind == "date":
            return value.isoformat()
        if kind == "datetime":
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return _plain_decimal(value) if isinstance(value, Decimal) else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return repr(value)
    if isinstance(value, datetime.datetime):
        return _naive_beijing(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(safe_cell(str(value)))


def _plain_decimal(value: Decimal | int) -> str:
    """Every digit, no exponent: ``Decimal("1.2E+3")`` → ``"1200"``."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def write_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    kinds: Sequence[str] | None = None,
    *,
    bom: bool = True,
) -> bytes:
    """A UTF-8 CSV with a byte-order mark (so Excel on a Chinese Windows reads it as UTF-8; ``bom=False``
    for a pipe to another program), CRLF line ends, formula-like text behind a single quote. With
    ``kinds``, values convert as in the .xlsx (``money_wan`` gives the exact 万元 figure); without, by
    type."""
    headers = [str(h) for h in headers]
    if kinds is not None:
        kinds = list(kinds)
        if len(kinds) != len(headers):
            raise ExportError(f"列类型有{len(kinds)}个，表头有{len(headers)}列")
        for kind in kinds:
            if kind not in KINDS:
                raise ExportError(f"未知的列类型“{kind}”")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for number, row in enumerate(rows, start=1):
        row = list(row)
        if len(row) != len(headers):
            raise ExportError(f"第{number}行有{len(row)}列，表头有{len(headers)}列")
        texts = []
        for c, value in enumerate(row):
            kind = kinds[c] if kinds is not None else None
            text = _csv_text(value, kind)
            if kind == "text":
                text = safe_cell(text)
            texts.append(text)
        writer.writerow(texts)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
