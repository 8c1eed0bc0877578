"""Reads a checked upload (.xlsx or .csv) into sheets of raw rows matched to a table's columns.

What real county spreadsheets look like, and what is done about it:

* a title row or two above the header, and a "单位：万元" line: the header is the row (among the first
  ``HEADER_SCAN_ROWS``) that names the most known columns; a unit line above it sets the money unit;
* a two-row header whose upper cells are merged (投资（万元） over 总投资 / 设备投资): merged ranges
  are read from the sheet XML (read-only openpyxl does not expose them), so the upper text and its unit
  apply to each sub-column; without merge information (CSV) the upper text is carried to the right;
* any column order, header variants and units in the header text;
* a column-number row (1, 2, 3 …) right under the header, blank rows, total rows (合计/总计/小计) and
  signature/notes rows (填报人：…, 注：…) are skipped;
* formula cells are refused (``Formula``); cached values are never read (``data_only=False``).

Rows are streamed: no openpyxl cell objects are kept, only tuples of raw values of known columns.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from jigai.core.said import said_list, say

from .mapping import IGNORE
from .parsers import UNIT_FACTORS, is_blank, normalize_header
from .report import Issue
from .safety import ZIP_ERRORS, CheckedUpload, UploadRefused, require_defusedxml
from .spec import Column, TableSpec
from .xlsx import CellError, Formula, XlsxBook

__all__ = [
    "HEADER_SCAN_ROWS",
    "BoundColumn",
    "CellError",
    "Formula",
    "RawRow",
    "SheetData",
    "Skip",
    "read_upload",
]

HEADER_SCAN_ROWS = 10
HEADER_CELL_CHARS = 256
_UNITS = "|".join(sorted(UNIT_FACTORS, key=len, reverse=True))
_PAREN = re.compile(r"\(([^()]*)\)")
_UNIT_IN_PAREN = re.compile(rf"^(?:单位)?[:：]?({_UNITS})$")
_UNIT_TRAILING = re.compile(rf"[/,、]?(?:单位[:：]?)?({_UNITS})$")
_UNIT_LINE = re.compile(rf"单位\s*[:：]\s*({_UNITS})")
# A total row's first text ends with the word (合计, 恩施市小计, 本页合计：, 合计（万元）); a project
# named 总计量中心改造 is not one.
BLANK_ROW = "空行"  # counted, never listed, so not said
_TOTAL = re.compile(r"^\D{0,10}(合计|总计|小计|共计)[:：]?(\(.*\)|（.*）)?$")
# A group heading such as "一、恩施市（5个）" alone on its row.
_SECTION = re.compile(r"^[一二三四五六七八九十百]+[、.．]")
_NOTE_ROW = re.compile(
    r"^(注|说明|备注|填报人|填表人|审核人|负责人|制表|填报单位|联系电话|填报日期|单位负责人)[:：]"
)
# The year a sheet is for, from its title (2019年技改项目计划表, 2019年度…) or its tab name (2019, 2019年).
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")  # not a date (2020年3月5日)
_NAME_YEAR = re.compile(r"^(?:.*?\D)?((?:19|20)\d{2})(?:年度?)?(?:\D.*)?$")
# 开工时间（计划）, 竣工日期(实际): the bracket's word belongs before the name (计划开工时间).
_STAGE_IN_PAREN = re.compile(r"\((计划|实际|拟)\)")
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)\"")


@dataclass(frozen=True, slots=True)
class BoundColumn:
    """A table column found in a sheet: where, under which header, with which parser and unit."""

    column: Column
    index: int  # 0-based
    header: str
    parser: Any
    unit: str | None = None
    unit_source: str | None = None  # "header", "table" (单位：万元 line) or "default"

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def label(self) -> str:
        return self.column.label


@dataclass(frozen=True, slots=True)
class RawRow:
    sheet: str
    number: int
    cells: tuple  # raw values, aligned with SheetData.columns


@dataclass(frozen=True, slots=True)
class Skip:
    sheet: str
    number: int
    reason: str
    value: str = ""
    blank: bool = False
    count: int = 1  # blank rows stand for this many rows (rows absent from the file are blank too)


@dataclass
class SheetData:
    """One sheet: its header layout, problems found in it, and its rows (an iterator, read once)."""

    sheet: str
    header_rows: tuple[int, ...] = ()
    columns: list[BoundColumn] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows: Iterator[RawRow | Skip] = field(default_factory=lambda: iter(()))
    title_year: int | None = None  # the year of the sheet's title rows or tab name, if one is stated
    # Headers the user may map (mapping.py): those not recognised (for a sheet without a recognised header,
    # the texts of its likeliest header row), and the required columns no header names.
    unrecognised: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "header_rows": list(self.header_rows),
            "title_year": self.title_year,
            "columns": [
                {
                    "key": b.column.key,
                    "label": b.column.label,
                    "letter": b.letter,
                    "header": b.header,
                    "unit": b.unit,
                    "unit_source": b.unit_source,
                }
                for b in self.columns
            ],
        }


# --- header matching ------------------------------------------------------------------------------


class HeaderIndex:
    """Finds the column a header names, and the money unit the header states."""

    def __init__(self, spec: TableSpec, mapping: dict[str, str] | None = None):
        self.spec = spec
        # The user's mapping first (mapping.py): a mapped header is that column, or ignored.
        self.mapping = {normalize_header(h): k for h, k in (mapping or {}).items()}
        self.names: dict[str, Column] = {}
        for column in spec.columns:
            for name in column.names():
                other = self.names.setdefault(name, column)
                if other is not column:
                    raise ValueError(f"header {name!r} names both {other.key} and {column.key}")
        self.ignored = {normalize_header(h) for h in spec.ignore_headers}

    @staticmethod
    def unit_of(text: str) -> str | None:
        h = normalize_header(text)
        for content in _PAREN.findall(h):
            m = _UNIT_IN_PAREN.match(content)
            if m:
                return m.group(1)
        m = _UNIT_TRAILING.search(_PAREN.sub("", h))
        if m and m.start() > 0:
            return m.group(1)
        return None

    def match(self, text: Any) -> tuple[Column | None, str | None]:
        """(column, unit stated in the header) for a header text; (None, unit) when unknown."""
        if is_blank(text):
            return None, None
        h = normalize_header(text)
        unit = self.unit_of(text)
        mapped = self.mapping.get(h)
        if mapped is not None:
            return (None if mapped == IGNORE else self.spec.column(mapped)), unit
        if h.startswith("其中") and len(h) > 2:
            h = h[2:]  # 其中：设备投资
        candidates = [h]
        without_unit = _PAREN.sub(lambda m: "" if _UNIT_IN_PAREN.match(m.group(1)) else m.group(0), h)
        candidates.append(without_unit)
        bare = _PAREN.sub("", h)
        candidates.append(bare)
        m = _UNIT_TRAILING.search(bare)
        if m and m.start() > 0:
            candidates.append(bare[: m.start()])
        stage = _STAGE_IN_PAREN.search(h)
        if stage:
            candidates.insert(0, stage.group(1) + bare)
            if stage.group(1) == "实际":
                # 总投资（实际） is not the planned 总投资: only a column named for the actual figure takes it.
                candidates = candidates[:2]
        for c in candidates:
            column = self.names.get(c)
            if column is not None:
                return column, unit
        return None, unit

    def is_ignored(self, text: Any) -> bool:
        h = normalize_header(text)
        return h in self.ignored or self.mapping.get(h) == IGNORE

    def is_mapped(self, text: Any) -> bool:
        return self.mapping.get(normalize_header(text)) not in (None, IGNORE)


@dataclass
class _Layout:
    score: int
    rows: tuple[int, ...]
    matches: dict[int, tuple[Column, str | None, str]]  # index → (column, unit, header text)
    upper_units: int = 0


def _match_row(index: HeaderIndex, cells: Sequence[Any]) -> dict[int, tuple[Column, str | None, str]]:
    out = {}
    for j, text in enumerate(cells):
        column, unit = index.match(text)
        if column is not None:
            out[j] = (column, unit, str(text).strip())
    return out


def _match_pair(
    index: HeaderIndex, upper: Sequence[Any], lower: Sequence[Any]
) -> tuple[dict[int, tuple[Column, str | None, str]], int]:
    out = {}
    supplied = 0
    width = max(len(upper), len(lower))
    for j in range(width):
        u = upper[j] if j < len(upper) else None
        lo = lower[j] if j < len(lower) else None
        u_text = "" if is_blank(u) else str(u).strip()
        l_text = "" if is_blank(lo) else str(lo).strip()
        if l_text and l_text != u_text:
            column, unit = index.match(l_text)
            header = f"{u_text} {l_text}".strip() if u_text else l_text
            if column is None and u_text:
                column, unit = index.match(normalize_header(u_text) + normalize_header(l_text))
                if column is None:
                    column, unit = index.match(u_text)
                    header = u_text
            if column is not None:
                if unit is None and u_text:
                    unit = HeaderIndex.unit_of(u_text)
                    if unit is not None and column.is_money:
                        supplied += 1
                out[j] = (column, unit, header)
        elif u_text:
            column, unit = index.match(u_text)
            if column is not None:
                out[j] = (column, unit, u_text)
    return out, supplied


def _score(matches: dict[int, tuple[Column, str | None, str]]) -> int:
    return len({m[0].key for m in matches.values()})


def _fill_merges(head: list[list[Any]], merges: list[tuple[int, int, int, int]]) -> None:
    """Copy each merged range's top-left value into the whole range (header area only)."""
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(head):
            continue
        value = head[min_row - 1][min_col - 1] if min_col - 1 < len(head[min_row - 1]) else None
        if is_blank(value):
            continue
        for r in range(min_row, min(max_row, len(head)) + 1):
            row = head[r - 1]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                if is_blank(row[c - 1]):
                    row[c - 1] = value


def _carry_right(upper: list[Any], lower: list[Any]) -> list[Any]:
    """Without merge information: an upper header spans the empty upper cells to its right that
    have a lower header (投资（万元）, , over 总投资, 设备投资)."""
    out = list(upper) + [None] * max(0, len(lower) - len(upper))
    last = None
    for j in range(len(out)):
        lo = lower[j] if j < len(lower) else None
        if not is_blank(out[j]):
            last = out[j] if not is_blank(lo) else None
        elif last is not None and not is_blank(lo):
            out[j] = last
        else:
            last = None
    return out


def _distinct_texts(cells: Sequence[Any]) -> int:
    return len({normalize_header(c) for c in cells if not is_blank(c)})


def find_header(index: HeaderIndex, head: list[list[Any]], merged: bool) -> tuple[_Layout | None, str | None]:
    """The header layout among the first rows, and the table unit from a "单位：万元" line above it."""
    singles = [_match_row(index, row) for row in head]
    scores = [_score(m) for m in singles]
    if not scores or max(scores) == 0:
        return None, None
    best = scores.index(max(scores))
    layout = _Layout(scores[best], (best,), singles[best])

    def pair(r: int) -> tuple[dict, int]:
        upper, lower = head[r], head[r + 1]
        if not merged:
            upper = _carry_right(upper, lower)
        return _match_pair(index, upper, lower)

    # Two-row header with the best row below: the upper row adds columns, or units to money columns.
    if best > 0 and _distinct_texts(head[best - 1]) > 1:
        matches, supplied = pair(best - 1)
        s = _score(matches)
        if s > layout.score or (s == layout.score and supplied > 0):
            layout = _Layout(s, (best - 1, best), matches, supplied)
    # Two-row header with the best row above (sub-headers that alone name nothing).
    if len(layout.rows) == 1 and best + 1 < len(head):
        matches, supplied = pair(best)
        s = _score(matches)
        if s > layout.score:
            layout = _Layout(s, (best, best + 1), matches, supplied)
    table_unit = None
    for row in head[: layout.rows[0]]:
        for cell in row:
            if isinstance(cell, str):
                m = _UNIT_LINE.search(unicodedata.normalize("NFKC", cell))
                if m:
                    table_unit = m.group(1)
    return layout, table_unit


def bind_columns(
    spec: TableSpec,
    index: HeaderIndex,
    sheet: str,
    layout: _Layout,
    header_cells: list[list[Any]],
    table_unit: str | None,
    unmapped: tuple[list[str], list[str]] | None = None,
) -> tuple[list[BoundColumn], list[Issue], list[Issue]]:
    """The sheet's columns, its errors and warnings; ``unmapped`` (unrecognised header texts, missing
    required column keys) is filled in when given."""
    errors: list[Issue] = []
    warns: list[Issue] = []
    unrecognised, missing_keys = unmapped if unmapped is not None else ([], [])
    header_row = layout.rows[-1] + 1
    by_key: dict[str, list[int]] = {}
    for j, (column, _unit, _text) in sorted(layout.matches.items()):
        by_key.setdefault(column.key, []).append(j)
    bound: list[BoundColumn] = []
    for key, positions in by_key.items():
        column = spec.column(key)
        if len(positions) > 1:
            letters = said_list(get_column_letter(j + 1) for j in positions)
            errors.append(
                Issue(
                    say(
                        "“%(column)s”列出现了 %(n)s 次（%(letters)s 列），无法确定使用哪一列",
                        column=column.label,
                        n=len(positions),
                        letters=letters,
                    ),
                    sheet,
                    header_row,
                    column.label,
                )
            )
            continue
        j = positions[0]
        _, unit, text = layout.matches[j]
        parser = column.parser
        source = None
        if column.is_money:
            if unit is not None:
                source = "header"
            elif table_unit is not None:
                unit, source = table_unit, "table"
            else:
                unit, source = parser.unit, "default"
                warns.append(
                    Issue(
                        say("表头未注明金额单位，按%(unit)s处理", unit=say(unit)),
                        sheet,
                        header_row,
                        column.label,
                        text,
                        severity="warning",
                    )
                )
            parser = parser.with_unit(unit)
        else:
            unit = None
        bound.append(BoundColumn(column, j, text, parser, unit, source))
        if index.is_mapped(text):
            warns.append(
                Issue(
                    say("按设置的列对应读作“%(column)s”", column=column.label),
                    sheet,
                    header_row,
                    get_column_letter(j + 1),
                    text,
                    "warning",
                )
            )
    bound.sort(key=lambda b: b.index)
    found = {b.column.key for b in bound} | set(by_key)
    missing = [c for c in spec.columns if c.required and c.key not in found]
    missing_keys.extend(c.key for c in missing)
    if missing:
        errors.append(
            Issue(
                say(
                    "缺少必填列：%(columns)s（请核对表头名称）", columns=said_list(c.header for c in missing)
                ),
                sheet,
                header_row,
            )
        )
    known = set(layout.matches)
    for r in layout.rows:
        for j, text in enumerate(header_cells[r]):
            if j in known or is_blank(text) or index.is_ignored(text):
                continue
            if len(layout.rows) == 2 and r == layout.rows[0]:
                continue  # group headers such as 投资（万元）
            known.add(j)
            unrecognised.append(str(text).strip())
            warns.append(
                Issue(
                    say("无法识别的列，已忽略"),
                    sheet,
                    header_row,
                    get_column_letter(j + 1),
                    str(text).strip(),
                    "warning",
                )
            )
    return bound, errors, warns


# --- row classification ---------------------------------------------------------------------------


def _first_text(values: Sequence[Any]) -> str | None:
    for v in values:
        if isinstance(v, str) and not isinstance(v, (Formula, CellError)) and v.strip():
            return v
    return None


def _column_number_row(values: Sequence[Any]) -> bool:
    """1, 2, 3 … (or 甲, 乙, 丙 …) under the header, as in statistical forms."""
    items = [v for v in values if not is_blank(v)]
    if len(items) < 2:
        return False
    if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return items == list(range(items[0], items[0] + len(items)))
    texts = ["".join(str(v).split()) for v in items]
    if all(t.isdigit() for t in texts):
        ints = [int(t) for t in texts]
        return ints == list(range(ints[0], ints[0] + len(ints)))
    return all(t in "甲乙丙丁戊己庚辛壬癸" and len(t) == 1 for t in texts)


def _rows(
    sheet: str,
    source: Iterator[tuple[int, Sequence[Any]]],
    columns: list[BoundColumn],
    first_data_row: int,
) -> Iterator[RawRow | Skip]:
    indexes = [b.index for b in columns]
    # A row as long as the last column's index (most rows) is cut with one C call.
    width = max(indexes) + 1 if indexes else 0
    pick = itemgetter(*indexes) if len(indexes) > 1 else None
    first = True
    previous = first_data_row - 1
    for number, values in source:
        if number < first_data_row:
            continue
        if number > previous + 1:
            yield Skip(sheet, previous + 1, BLANK_ROW, blank=True, count=number - previous - 1)
        previous = number
        n = len(values)
        if pick is not None and n >= width:
            cells = pick(values)
        else:
            cells = tuple(values[i] if i < n else None for i in indexes)
        if all(c is None or (type(c) is str and is_blank(c)) for c in cells):
            yield Skip(sheet, number, BLANK_ROW, blank=True)
            continue
        if first:
            first = False
            if _column_number_row(values):
                yield Skip(sheet, number, say("表头下的栏次行，已跳过"))
                continue
        text = _first_text(values)
        if text is not None:
            t = "".join(text.split())
            if len(t) <= 16 and _TOTAL.match(t):
                yield Skip(sheet, number, say("合计行，已跳过"), text.strip())
                continue
            if _NOTE_ROW.match(t):
                yield Skip(sheet, number, say("说明或落款行，已跳过"), text.strip()[:40])
                continue
            if _SECTION.match(t) and sum(1 for v in values if not is_blank(v)) == 1:
                yield Skip(sheet, number, say("分组标题行，已跳过"), text.strip()[:40])
                continue
        yield RawRow(sheet, number, cells)


# --- xlsx -----------------------------------------------------------------------------------------


MAX_MERGES = 100_000
Merge = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row (1-based)


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[Merge]:
    """Merged ranges of a sheet, found by scanning its XML (they follow the cell data)."""
    out: list[Merge] = []
    seen: set[bytes] = set()
    try:
        fh = archive.open(path.lstrip("/"))
    except ZIP_ERRORS:
        return out
    tail = b""
    with fh:
        while chunk := _read_chunk(fh, path):
            data = tail + chunk
            if b"mergeCell" in data:
                for m in _MERGE.finditer(data):
                    ref = m.group(1)
                    if ref in seen:
                        continue
                    seen.add(ref)
                    try:
                        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
                    except (ValueError, TypeError):
                        continue
                    if min_col and min_row:
                        out.append((min_col, min_row, max_col or min_col, max_row or min_row))
                    if len(out) >= MAX_MERGES:
                        return out
            tail = data[-512:]
    return out


def _read_chunk(fh: Any, path: str) -> bytes:
    try:
        return fh.read(1 << 20)
    except ZIP_ERRORS as exc:
        raise UploadRefused(say("工作表 %(path)s 已损坏，无法读取", path=path), "corrupt") from exc


def _fill_vertical_merges(
    source: Iterator[tuple[int, tuple]], merges: list[Merge], first_data_row: int
) -> Iterator[tuple[int, tuple]]:
    """In the data area, a cell merged down a column (所属县市 over several projects) holds the value
    of its top cell on every row. Merges across columns are left alone there."""
    starts: dict[int, list[tuple[int, int]]] = {}
    for min_col, min_row, max_col, max_row in merges:
        if min_col == max_col and max_row > min_row and min_row >= first_data_row:
            starts.setdefault(min_row, []).append((min_col - 1, max_row))
    if not starts:
        yield from source
        return
    active: dict[int, tuple[Any, int]] = {}  # column → (value, last row)
    for number, values in source:
        if active:
            filled = None
            for col, (value, last) in list(active.items()):
                if number > last:
                    del active[col]
                    continue
                if col >= len(values) or is_blank(values[col]):
                    if filled is None:
                        filled = list(values)
                    if col >= len(filled):
                        filled.extend([None] * (col + 1 - len(filled)))
                    filled[col] = value
            if filled is not None:
                values = tuple(filled)
        for col, last in starts.get(number, ()):
            if col < len(values) and not is_blank(values[col]):
                active[col] = (values[col], last)
        yield number, values


def _openpyxl_values(ws: Any) -> Iterator[tuple[int, tuple]]:
    for number, row in enumerate(ws.iter_rows(), start=1):
        values = []
        for cell in row:
            value = cell.value
            if value is not None:
                data_type = cell.data_type
                if data_type == "f":
                    value = Formula(value if isinstance(value, str) else getattr(value, "text", "") or "=")
                elif data_type == "e":
                    value = CellError(value)
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        yield number, tuple(values)


def _xlsx_sources(upload: CheckedUpload, engine: str) -> Iterator[tuple[str, str, Any, Any]]:
    """(sheet name, state, numbered row source, path) for each sheet of the workbook."""
    archive = zipfile.ZipFile(io.BytesIO(upload.data))
    try:
        if engine == "expat":
            book = XlsxBook(archive)
            for info in book.sheets:
                yield info.name, info.state, (book.rows(info) if info.path else None), info.path
        else:
            require_defusedxml()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    wb = openpyxl.load_workbook(
                        io.BytesIO(upload.data), read_only=True, data_only=False, keep_links=False
                    )
            except UploadRefused:
                raise
            except Exception as exc:
                raise _refusal(exc) from exc
            try:
                for ws in wb.worksheets:
                    if not hasattr(ws, "iter_rows"):
                        continue  # chartsheet
                    ws.reset_dimensions()  # dimensions written by other programs are often wrong
                    path = getattr(ws, "_worksheet_path", None)
                    yield ws.title, getattr(ws, "sheet_state", "visible"), _guard(_openpyxl_values(ws)), path
            finally:
                wb.close()
    finally:
        archive.close()


def _read_xlsx(
    upload: CheckedUpload, spec: TableSpec, index: HeaderIndex, engine: str
) -> Iterator[SheetData]:
    archive = zipfile.ZipFile(io.BytesIO(upload.data))
    with archive:
        for title, state, source, path in _xlsx_sources(upload, engine):
            if state != "visible":
                yield SheetData(
                    title, warnings=[Issue(say("隐藏的工作表，已跳过"), title, severity="warning")]
                )
                continue
            if source is None:
                continue  # chart sheet
            merges = _merged_ranges(archive, path) if path else []
            yield _sheet(spec, index, title, source, merges, merged_known=bool(path))


def _head(source: Iterator[tuple[int, tuple]], n: int) -> tuple[list[list[Any]], Iterator[tuple[int, tuple]]]:
    """Rows 1..n as lists (missing rows empty), and the rest of the source."""
    head: list[list[Any]] = [[] for _ in range(n)]
    pending: list[tuple[int, tuple]] = []
    for number, values in source:
        if number > n:
            pending.append((number, values))
            break
        if number >= 1:
            head[number - 1] = list(values)
    return head, _chain(pending, source)


def _sheet(
    spec: TableSpec,
    index: HeaderIndex,
    title: str,
    source: Iterator[tuple[int, tuple]],
    merges: list[Merge],
    merged_known: bool,
) -> SheetData:
    n = HEADER_SCAN_ROWS + 1
    head, rest = _head(source, n)
    raw_head = [tuple(r) for r in head]
    # The header is looked for in short texts: a hostile 100 MB cell among the first rows took minutes
    # and gigabytes in the header's regular expressions (issue 11, point 4). Data rows keep the whole cell.
    head = [[v[:HEADER_CELL_CHARS] if type(v) is str else v for v in row] for row in head]
    header_merges = [m for m in merges if m[1] <= n]
    if header_merges:
        _fill_merges(head, header_merges)
    sheet = _layout_sheet(spec, index, title, head, merged_known and bool(merges))
    if sheet.columns or sheet.errors:
        data_start = sheet.header_rows[-1] + 1 if sheet.header_rows else 1
        buffered = [(i + 1, raw_head[i]) for i in range(n) if raw_head[i]]
        numbered = _fill_vertical_merges(_chain(buffered, rest), merges, data_start)
        sheet.rows = _rows(title, numbered, sheet.columns, data_start)
    return sheet


def _chain(
    buffered: list[tuple[int, tuple]], rest: Iterator[tuple[int, tuple]]
) -> Iterator[tuple[int, tuple]]:
    yield from buffered
    yield from rest


def _guard(source: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    """openpyxl errors while streaming (a corrupt or hostile sheet) become a refusal."""
    try:
        yield from source
    except UploadRefused:
        raise
    except Exception as exc:
        raise _refusal(exc) from exc


def _refusal(exc: Exception) -> UploadRefused:
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps parser errors in ValueError
        if isinstance(cause, DefusedXmlException):
            break
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return UploadRefused(say("工作簿含有不安全的 XML 内容（实体声明或外部引用），已拒绝"), "xml_entities")
    if isinstance(exc, MemoryError):
        return UploadRefused(say("工作簿过大，无法读取"), "too_large")
    return UploadRefused(
        say(
            "文件已损坏或不是有效的 Excel 工作簿（%(error)s），请用 Excel 另存为 .xlsx 后再导入",
            error=type(exc).__name__,
        ),
        "corrupt",
    )


def _layout_sheet(
    spec: TableSpec, index: HeaderIndex, title: str, head: list[list[Any]], merged: bool
) -> SheetData:
    layout, table_unit = find_header(index, head, merged)
    needed = min(2, len(spec.columns))
    if layout is None or layout.score < needed:
        return SheetData(
            title,
            warnings=[Issue(say("未找到与本表列名匹配的表头，已跳过该工作表"), title, severity="warning")],
            unrecognised=_likely_header(index, head),
            missing=[c.key for c in spec.columns if c.required],
        )
    unrecognised: list[str] = []
    missing: list[str] = []
    columns, errors, warns = bind_columns(
        spec, index, title, layout, head, table_unit, (unrecognised, missing)
    )
    return SheetData(
        title,
        header_rows=tuple(r + 1 for r in layout.rows),
        columns=columns,
        errors=errors,
        warnings=warns,
        title_year=_title_year(title, head[: layout.rows[0]]),
        unrecognised=unrecognised,
        missing=missing,
    )


def _likely_header(index: HeaderIndex, head: list[list[Any]]) -> list[str]:
    """A sheet whose header names too few known columns: the texts of the first row with the most
    distinct short texts (a title row has one), for the user to map."""
    best: list[str] = []
    for row in head:
        texts = [
            str(c).strip()
            for c in row
            if isinstance(c, str) and not is_blank(c) and not isinstance(c, (Formula, CellError))
        ]
        texts = [t for t in dict.fromkeys(texts) if not index.is_ignored(t) and len(t) <= 64]
        if len(texts) >= 2 and len(texts) > len(best):
            best = texts
    return [t for t in best if index.match(t)[0] is None]


def _title_year(name: str, above: list[list[Any]]) -> int | None:
    """The year stated in the rows above the header (2019年技改项目计划表), else in the tab's name."""
    for row in above:
        for cell in row:
            if isinstance(cell, str) and not isinstance(cell, (Formula, CellError)):
                m = _TITLE_YEAR.search(unicodedata.normalize("NFKC", cell))
                if m:
                    return int(m.group(1))
    m = _NAME_YEAR.match(unicodedata.normalize("NFKC", name or "").strip())
    return int(m.group(1)) if m else None


# --- csv ------------------------------------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (⊇ GBK, GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UploadRefused(say("无法识别文件编码，请用 Excel 另存为 .xlsx 或 UTF-8 编码的 CSV"), "encoding")


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    sample = "\n".join(lines)
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_csv(upload: CheckedUpload, spec: TableSpec, index: HeaderIndex) -> Iterator[SheetData]:
    text, _encoding = decode_csv(upload.data)
    delimiter = _sniff_delimiter(text)
    title = upload.filename.rsplit("/", 1)[-1] or "CSV"

    def source() -> Iterator[tuple[int, tuple]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, record in enumerate(reader, start=1):
                yield number, tuple(v if v != "" else None for v in record)
        except csv.Error as exc:
            raise UploadRefused(say("CSV 文件格式错误：%(error)s", error=str(exc)), "csv") from exc

    yield _sheet(spec, index, title, source(), [], merged_known=False)


def read_upload(
    upload: CheckedUpload, spec: TableSpec, *, engine: str = "expat", mapping: dict[str, str] | None = None
) -> Iterator[SheetData]:
    """Sheets of a checked upload. A sheet without a matching header has no columns (and a warning).
    Iterate each sheet's ``rows`` before moving to the next sheet.

    ``engine`` reads .xlsx with the streaming expat reader (``xlsx.py``, default) or with openpyxl's
    read-only mode (slower; kept as a reference the tests compare against). ``mapping`` is the user's
    column mapping (``mapping.py``)."""
    if engine not in ("expat", "openpyxl"):
        raise ValueError("engine must be 'expat' or 'openpyxl'")
    index = HeaderIndex(spec, mapping)
    if upload.kind == "xlsx":
        yield from _read_xlsx(upload, spec, index, engine)
    elif upload.kind == "csv":
        yield from _read_csv(upload, spec, index)
    else:  # pragma: no cover - check_upload only returns these kinds
        raise UploadRefused(say("不支持的文件类型"))
