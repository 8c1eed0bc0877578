"""The downloadable .xlsx template of a table, and an export in the same layout that re-imports as
"unchanged" (the round trip).

Data sheet: Chinese headers (bold, required ones shaded, units in the header), frozen header row,
column widths, drop-down lists for yes/no and choice columns (from a hidden 选项 sheet when a list is
too long for Excel's 255-character inline limit). 说明 sheet: each column's meaning, unit, whether it
is required, format and an example.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import Column, TableSpec

__all__ = ["build_export", "build_template", "write_text_cell"]

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
LIST_SHEET = "选项"
HELP_SHEET = "说明"
INLINE_LIST_LIMIT = 255
VALIDATION_ROWS = 10000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _width(column: Column) -> int:
    if column.width:
        return column.width
    longest = max(len(column.header), len(str(column.example or "")), 4)
    return min(max(int(longest * 2.2) + 2, 10), 50)


def _data_sheet(wb: Workbook, spec: TableSpec):
    ws = wb.active
    ws.title = spec.sheet_title or spec.title[:31]
    for j, column in enumerate(spec.template_columns, start=1):
        cell = ws.cell(row=1, column=j, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = _width(column)
        if column.parser.__class__.__name__ == "Date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    return ws


def _add_dropdowns(wb: Workbook, ws: Any, spec: TableSpec) -> None:
    list_ws = None
    list_col = 0
    for j, column in enumerate(spec.template_columns, start=1):
        options = column.dropdown
        if not options:
            continue
        letter = get_column_letter(j)
        inline = ",".join(options)
        if len(inline) + 2 <= INLINE_LIST_LIMIT and not any("," in o or '"' in o for o in options):
            formula = f'"{inline}"'
        else:
            if list_ws is None:
                list_ws = wb.create_sheet(LIST_SHEET)
                list_ws.sheet_state = "hidden"
            list_col += 1
            list_letter = get_column_letter(list_col)
            list_ws.cell(row=1, column=list_col, value=column.label)
            for i, option in enumerate(options, start=2):
                write_text_cell(list_ws.cell(row=i, column=list_col), option)
            formula = f"{quote_sheetname(LIST_SHEET)}!${list_letter}$2:${list_letter}${len(options) + 1}"
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showDropDown=False,  # (sic) False shows the in-cell arrow
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="请从列表中选择",
            error=f"“{column.label}”请从下拉列表中选择",
            promptTitle=column.label,
            prompt=(column.help or column.describe())[:250],
            showInputMessage=bool(column.help),
        )
        dv.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
        ws.add_data_validation(dv)


def _help_sheet(wb: Workbook, spec: TableSpec) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws.append([f"{spec.title}导入模板 填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        f"1. 在“{spec.sheet_title or spec.title[:31]}”工作表第 2 行起逐行填写，一行一条记录；请勿修改表头文字。",
        "2. 橙色表头为必填列，蓝色表头为选填列。选填列留空表示“不修改”，不会清除已有数据。",
        "3. 金额按表头所注单位填写（默认万元，最多 6 位小数，即精确到分），不要带公式，请“粘贴为数值”。",
        "4. 日期可填 2018-03-15、2018/3/15、2018年3月15日；只知道月份可填 2018-03（按当月1日记录）。",
        "5. 是/否 列可填 是、否（也可填 √、×）。带下拉箭头的列请从列表中选择。",
        "6. 合计行、空行会被自动跳过；导入前系统会检查整个文件并列出所有问题。",
        *spec.notes,
    ]
    for note in notes:
        ws.append([note])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["列名", "含义", "单位", "是否必填", "填写格式", "示例"])
    for cell in ws[header_row]:
        cell.font = HEADER_FONT
        cell.fill = OPTIONAL_FILL
    for column in spec.template_columns:
        example = column.example
        if isinstance(example, (dt.date, dt.datetime)):
            example = example.isoformat()
        ws.append(
            [
                column.header,
                column.help,
                column.display_unit or "",
                "必填" if column.required else "选填",
                column.describe(),
                "" if example is None else str(example),
            ]
        )
    for letter, width in zip("ABCDEF", (24, 40, 8, 10, 44, 24), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_template(spec: TableSpec) -> bytes:
    """The .xlsx import template of a table."""
    wb = Workbook()
    ws = _data_sheet(wb, spec)
    _add_dropdowns(wb, ws, spec)
    _help_sheet(wb, spec)
    return _save(wb)


def write_text_cell(cell: Any, value: str) -> None:
    """Write text that is never taken for a formula (formula injection, docs/security.md "Exports")."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def build_export(spec: TableSpec, records: Iterable[Mapping[str, Any]]) -> bytes:
    """Records (column key → value, as the parsers produce them) in the template layout.

    Re-importing the result changes nothing: money is written in the header's unit (a number when
    exact, else text), choices by label, yes/no as 是/否, dates as dates.
    """
    wb = Workbook()
    ws = _data_sheet(wb, spec)
    _add_dropdowns(wb, ws, spec)
    for i, record in enumerate(records, start=2):
        for j, column in enumerate(spec.template_columns, start=1):
            value = record.get(column.key)
            if value is None:
                continue
            value = column.to_cell(value)
            cell = ws.cell(row=i, column=j)
            if isinstance(value, str):
                write_text_cell(cell, value)
            else:
                cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    _help_sheet(wb, spec)
    return _save(wb)
