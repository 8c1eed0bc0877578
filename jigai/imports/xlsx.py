"""A streaming .xlsx cell reader on expat, for large uploads.

openpyxl's read-only mode builds an ElementTree element and a dict per cell, loads shared strings
as rich-text objects, and, when a sheet has no ``<dimension>`` near its top, parses the whole sheet
once more just to size it: about 13 s for 50,000 rows × 11 columns. This reader feeds the sheet XML
to expat and keeps only the values, several times faster, with the same guarantees:

* XML is parsed with the protections defusedxml applies to expat: a DOCTYPE is refused outright
  (so no entity declaration, internal or external, is ever read), and external entity references
  and parameter entities are refused too;
* formula cells come back as :class:`Formula` (their text), never as their cached value;
* error cells come back as :class:`CellError`;
* number cells styled as dates come back as ``datetime`` (1900 or 1904 date system), as openpyxl does;
* cells beyond column ``MAX_COLUMNS`` are ignored, so a hostile cell at XFD1 cannot make every row
  16,384 wide.

Its output is the same as the openpyxl path in ``reader.py`` (tests compare the two).

The sheet is parsed in the request's own process. (A forked child reader that overlapped the XML
parsing with the cell checks saved about a second on 50,000 rows, but forked threaded web workers for
files that county clerks never send; it was removed: jigai/imports/README.md, "Reader choice".)
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from jigai.core.said import say

from .safety import UNSAFE_XML, ZIP_ERRORS, UploadRefused

__all__ = ["MAX_COLUMNS", "CellError", "Formula", "SheetInfo", "XlsxBook"]

MAX_COLUMNS = 512
CHUNK = 256 * 1024
REL_OFFICE_DOCUMENT = "/officeDocument"
REL_WORKSHEET = "/worksheet"
REL_SHARED_STRINGS = "/sharedStrings"
REL_STYLES = "/styles"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class Formula(str):
    """A formula cell (its text, e.g. "=SUM(C3:C9)"): refused, because cached values are not trusted."""

    __slots__ = ()


class CellError(str):
    """An error cell (#DIV/0!, #N/A …)."""

    __slots__ = ()


@dataclass(frozen=True)
class SheetInfo:
    name: str
    path: str | None  # None for a chart sheet or a dangling relationship
    state: str = "visible"


def _refuse_dtd(*_args: Any) -> None:
    raise UploadRefused(say(UNSAFE_XML), "xml_entities")


def _refuse_entity(*_args: Any) -> None:
    raise UploadRefused(say("工作簿含有不安全的 XML 内容（实体声明或外部引用），已拒绝"), "xml_entities")


def make_parser() -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entities (defusedxml's expat protections, forbid_dtd)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 65536
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _column_index(ref: str, cache: dict[str, int]) -> int:
    """0-based column of a cell reference such as "AB12"."""
    letters = ref.rstrip("0123456789")
    index = cache.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            if not "A" <= ch <= "Z":
                raise ValueError(ref)
            index = index * 26 + ord(ch) - 64
        index -= 1
        cache[letters] = index
    return index


class XlsxBook:
    """The sheets of a workbook (already checked by ``safety.check_upload``) and their cell values."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())
        try:
            self._load()
        except UploadRefused:
            raise
        except (expat.ExpatError, IndexError, OverflowError, *ZIP_ERRORS) as exc:
            raise UploadRefused(
                say(
                    "文件已损坏或不是有效的 Excel 工作簿（%(error)s），请用 Excel 另存为 .xlsx 后再导入",
                    error=type(exc).__name__,
                ),
                "corrupt",
            ) from exc

    # -- workbook structure ------------------------------------------------------------------------

    def _parse_part(self, name: str, start: Any, end: Any = None, text: Any = None) -> None:
        parser = make_parser()
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        with self.archive.open(name) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: Id → (type, resolved target path)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if rels_name not in self.names:
            return out

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                out[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        self._parse_part(rels_name, start)
        return out

    def _load(self) -> None:
        root = self._rels("")
        workbook = next((p for t, p in root.values() if t.endswith(REL_OFFICE_DOCUMENT)), "xl/workbook.xml")
        rels = self._rels(workbook)
        sheets: list[tuple[str, str, str]] = []
        flags = {"date1904": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id" and k != "sheetId"), "")
                sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "0").lower() in ("1", "true")

        self._parse_part(workbook, start)
        self.epoch = CALENDAR_MAC_1904 if flags["date1904"] else CALENDAR_WINDOWS_1900
        self.sheets: list[SheetInfo] = []
        for name, state, rid in sheets:
            kind, path = rels.get(rid, ("", ""))
            is_sheet = kind.endswith(REL_WORKSHEET) and path in self.names
            self.sheets.append(SheetInfo(name, path if is_sheet else None, state))
        strings = next((p for t, p in rels.values() if t.endswith(REL_SHARED_STRINGS)), None)
        self.shared_strings = self._shared_strings(strings) if strings in self.names else []
        styles = next((p for t, p in rels.values() if t.endswith(REL_STYLES)), None)
        self.date_styles, self.timedelta_styles = (
            self._date_styles(styles) if styles in self.names else (set(), set())
        )

    def _shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        state = {"in_t": False, "phonetic": 0}

        def start(tag: str, _attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "t":
                state["in_t"] = state["phonetic"] == 0
            elif local == "si":
                parts.clear()
            elif local == "rPh":
                state["phonetic"] += 1

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "t":
                state["in_t"] = False
            elif local == "si":
                strings.append(_unescape("".join(parts)))
            elif local == "rPh":
                state["phonetic"] -= 1

        def text(data: str) -> None:
            if state["in_t"]:
                parts.append(data)

        self._parse_part(name, start, end, text)
        return strings

    def _date_styles(self, name: str) -> tuple[set[int], set[int]]:
        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = {"cellXfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
                except ValueError:
                    pass
            elif local == "cellXfs":
                depth["cellXfs"] = True
            elif local == "xf" and depth["cellXfs"]:
                try:
                    formats.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    formats.append(0)

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                depth["cellXfs"] = False

        self._parse_part(name, start, end)
        dates, durations = set(), set()
        for style_id, fmt_id in enumerate(formats):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
            if is_date_format(code):
                dates.add(style_id)
                if is_timedelta_format(code):
                    durations.add(style_id)
        return dates, durations

    # -- cells -------------------------------------------------------------------------------------

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, tuple]]:
        """(Excel row number, cell values) for each row present in the sheet XML, in order."""
        if sheet.path is None:
            return
        shared = self.shared_strings
        dates, durations, epoch = self.date_styles, self.timedelta_styles, self.epoch
        columns: dict[str, int] = {}
        locals_: dict[str, str] = {}
        done: list[tuple[int, tuple]] = []
        row: dict[int, Any] = {}
        text: list[str] = []
        formula: list[str] = []
        # The current row and cell; expat calls the handlers below for every element.
        row_number = 0
        col = -1
        cell_type = "n"
        style = 0
        collect = False
        in_formula = False
        has_formula = False
        phonetic = 0

        def local_name(tag: str) -> str:
            name = locals_.get(tag)
            if name is None:
                name = locals_[tag] = tag.rpartition(":")[2]
            return name

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row_number, col, cell_type, style, collect, in_formula, has_formula, phonetic
            local = tag if tag in _PLAIN else local_name(tag)
            if local == "c":
                ref = attrs.get("r")
                col = _column_index(ref, columns) if ref else col + 1
                cell_type = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s else 0
                has_formula = False
                text.clear()
            elif local == "v":
                text.clear()
                collect = True
            elif local == "f":
                formula.clear()
                has_formula = in_formula = collect = True
            elif local == "t":
                collect = phonetic == 0
            elif local == "rPh":
                phonetic += 1
            elif local == "row":
                r = attrs.get("r")
                row_number = int(float(r)) if r else row_number + 1
                col = -1
                row.clear()

        def chars(data: str) -> None:
            if collect:
                (formula if in_formula else text).append(data)

        def end(tag: str) -> None:
            nonlocal collect, in_formula, phonetic
            local = tag if tag in _PLAIN else local_name(tag)
            if local == "c":
                if col < MAX_COLUMNS:
                    if has_formula:
                        row[col] = Formula("=" + "".join(formula))
                    elif text:
                        row[col] = _value(cell_type, "".join(text), style, shared, dates, durations, epoch)
            elif local == "v" or local == "t":
                collect = False
            elif local == "f":
                collect = in_formula = False
            elif local == "rPh":
                phonetic -= 1
            elif local == "row":
                if row:
                    values = [None] * (max(row) + 1)
                    for k, v in row.items():
                        values[k] = v
                    done.append((row_number, tuple(values)))
                else:
                    done.append((row_number, ()))

        parser = make_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            with self.archive.open(sheet.path) as fh:
                while chunk := fh.read(CHUNK):
                    parser.Parse(chunk, False)
                    if done:
                        yield from done
                        done.clear()
                parser.Parse(b"", True)
        except UploadRefused:
            raise
        except (expat.ExpatError, IndexError, OverflowError, *ZIP_ERRORS) as exc:
            raise UploadRefused(
                say(
                    "工作表“%(sheet)s”已损坏，无法读取（%(error)s），请用 Excel 另存为 .xlsx 后再导入",
                    sheet=sheet.name,
                    error=type(exc).__name__,
                ),
                "corrupt",
            ) from exc
        yield from done


_PLAIN = frozenset({"c", "v", "f", "t", "row", "is", "r", "rPh", "sheetData", "rPr"})


def _value(
    cell_type: str, raw: str, style: int, shared: list[str], dates: set, durations: set, epoch: Any
) -> Any:
    if cell_type == "n":
        value: Any = int(raw) if raw.isdigit() or (raw[:1] == "-" and raw[1:].isdigit()) else float(raw)
        if style in dates:
            try:
                return from_excel(value, epoch, timedelta=style in durations)
            except (OverflowError, ValueError):
                return CellError("#VALUE!")
        return value
    if cell_type == "s":
        return shared[int(raw)]
    if cell_type == "inlineStr" or cell_type == "str":
        return _unescape(raw)
    if cell_type == "b":
        return raw.strip() not in ("0", "false", "")
    if cell_type == "e":
        return CellError(raw)
    if cell_type == "d":
        return from_ISO8601(raw)
    return raw
