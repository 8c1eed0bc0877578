"""Files in and out for ``jigai policy``: .csv (UTF-8, UTF-8 with BOM, GBK), .xlsx and .json tables,
English or Chinese column headers, every problem with its row, column and reason. Output goes through
``jigai.documents.spreadsheets`` (formula-safe .xlsx and .csv), written with ``write_atomically``.

No Django: the command runs without a database.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jigai.policy import AWARD_FIELDS, FILING_FIELDS, LAND_FIELDS, PROJECT_FIELDS, parse_yuan
from jigai.policy.inputs import Field

# --- headers ----------------------------------------------------------------------------------------

#: Accepted Chinese headers per field, besides the field's English name and its template label.
EXTRA_HEADERS: dict[str, tuple[str, ...]] = {
    "project_id": ("编号",),
    "registered_in_prefecture": ("是否州内注册", "在州内注册"),
    "conforms_industrial_policy": ("符合国家产业政策", "是否符合国家产业政策", "是否符合产业政策"),
    "plan_year": ("列入计划年度", "技改计划年度", "年度计划"),
    "industry_division": ("行业大类代码", "国民经济行业代码", "行业大类"),
    "key_project": ("是否重点项目", "重点技术改造项目"),
    "start_date": ("开工时间",),
    "completion_date": ("竣工时间", "计划竣工日期", "竣工（计划）日期"),
    "in_production": ("是否投产", "建成投产", "是否建成投产"),
    "equipment_investment_yuan": ("设备投资额（元）", "技改设备投资（元）", "计划设备投资（元）"),
    "fixed_asset_investment_yuan": ("固定资产投资额（元）", "计划固定资产投资（元）"),
    "verified_equipment_investment_yuan": ("验收核定设备投资（元）",),
    "verified_fixed_asset_investment_yuan": ("验收核定固定资产投资（元）",),
    "region_code": ("县市代码", "区划代码", "填报单位代码", "报送单位"),
    "enterprise_id": ("统一社会信用代码", "企业代码"),
    "technology": ("技术名称", "单项技术名称"),
    "year": ("获奖年度",),
    "industry": ("所属行业",),
    "level": ("排名级别", "获奖级别"),
    "rank": ("排名",),
    "approved": ("经批准", "是否经批准", "已批准", "提高容积率已批准", "容积率调整已批准"),
    "priority": ("优先保障", "优先规划报批供应", "用地优先措施"),
    "acquisition": ("取得方式", "土地取得方式", "供地方式"),
    "energy_review_required": ("能评", "需能评", "是否需节能审查", "节能审查"),
}

KINDS: dict[str, tuple[Field, ...]] = {
    "projects": PROJECT_FIELDS,
    "awards": AWARD_FIELDS,
    "land": LAND_FIELDS,
    "filings": FILING_FIELDS,
}


def normalise_header(text: str) -> str:
    """Full-width to half-width, no spaces, case-folded: ``设备投资（元）`` and ``设备投资 (元)`` match."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


def header_aliases(fields: Sequence[Field]) -> dict[str, tuple[str, int]]:
    """Normalised header → (field name, scale); scale 10000 for a 万元 column of a yuan field."""
    out: dict[str, tuple[str, int]] = {}
    for f in fields:
        names = [f.name, f.label, *EXTRA_HEADERS.get(f.name, ())]
        for name in names:
            if not name:
                continue
            out[normalise_header(name)] = (f.name, 1)
            if f.name.endswith("_yuan") and "（元）" in name:
                out[normalise_header(name.replace("（元）", "（万元）"))] = (f.name, 10000)
        if f.name.endswith("_yuan"):
            out[normalise_header(f.name[: -len("_yuan")] + "_wan")] = (f.name, 10000)
    return out


# --- columns the rules need (issue 13 point 7) -------------------------------------------------------

#: Optional columns a rule decides on: absent, every row would get the same refusal and the command would
#: still succeed. Absent, they are an error unless ``--assume COLUMN=VALUE`` says what every row holds.
DECISIVE: dict[str, dict[str, str]] = {
    "projects": {
        "plan_year": "3.1.1 以列入年度技改计划为条件，缺少此列则所有项目的 3.1.1 都将判为“未列入年度计划”"
        "（NOT_IN_PLAN）",
        "industry_division": "3.2 只支持加工制造业，缺少此列则所有项目的 3.2 都将判为“非加工制造业”"
        "（NOT_MANUFACTURING）",
    },
}
#: Optional columns whose absence costs detail, not a decision: a warning saying what.
OPTIONAL_COST: dict[str, dict[str, str]] = {
    "projects": {
        "verified_equipment_investment_yuan": "3.1.1 按计划设备投资计算，结果为测算数（未按验收核定数）",
        "verified_fixed_asset_investment_yuan": "3.2 按计划固定资产投资计算，结果为测算数（未按验收核定数）",
        "region_code": "不能按填报单位汇总",
    },
    "land": {
        "measures": "不记录改造方式",
        "approved": "提高容积率均按尚待批准处理，符合其他条件的用地判为需人工审核（待批准）",
        "priority": "不记录优先规划、优先报批、优先供应",
        "acquisition": "不记录用地取得方式（先租后让、租让结合等）",
    },
    "filings": {
        "changes_pollutant_discharge": "按不改变污染物排放处理",
        "involves_major_hazard": "按不涉及危险化学品或重大危险源处理",
        "new_buildings": "按不新建建筑物处理",
        "energy_review_required": "按无需节能审查（能评）处理",
    },
}


def parse_assumptions(items: Sequence[str], kind: str) -> tuple[dict[str, str], list[Problem]]:
    """``--assume COLUMN=VALUE`` (COLUMN by English name or Chinese header) → {field name: value}."""
    aliases = header_aliases(KINDS[kind])
    out: dict[str, str] = {}
    problems = []
    for item in items:
        column, sep, value = item.partition("=")
        hit = aliases.get(normalise_header(column)) if sep else None
        if hit is None or hit[1] != 1:
            problems.append(
                Problem(None, "--assume", f"“{item}”应为 列名=取值，列名为本表的列（如 计划年度=2019）")
            )
            continue
        out[hit[0]] = value.strip()
    return out, problems


# --- problems ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: not tied to a row (an option such as --set)
    column: str
    message: str
    unit: str = "行"  # "行" for a sheet row, "条记录" for a JSON object

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}：{self.message}"
        where = f"第{self.row}{self.unit}"
        if (
            self.row == 1
            and self.unit == "行"
            and self.column
            and self.message.startswith(("未知列", "列重复", "缺少"))
        ):
            where += "（表头）"
        return f"{where}，列「{self.column}」：{self.message}"


class InputProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class Table:
    """Raw rows of a file: ``rows`` are (row number, {header: value}); ``unit`` names what a row is."""

    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unit: str = "行"


def _blank_row(values: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise InputProblems([Problem(None, "文件", "无法识别的文本编码（应为 UTF-8 或 GBK）")])
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = list(reader)
    if not lines:
        return Table([])
    headers = [h.strip() for h in lines[0]]
    table = Table(headers)
    for n, values in enumerate(lines[1:], start=2):
        if _blank_row(values):
            continue
        row = {headers[i] if i < len(headers) else f"第{i + 1}列": v for i, v in enumerate(values)}
        table.rows.append((n, row))
    return table


def _data_sheet(wb: Any, sheet: str | None, kind: str | None) -> Any:
    """The sheet to read (issue 13 point 14): the one named; else the only visible sheet whose first row
    names at least two of the kind's columns (a 说明 sheet is not one); several such sheets are refused
    asking for ``--sheet``. Without a kind (or a match) the first visible sheet, as before."""
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if sheet is not None:
        for ws in wb.worksheets:
            if ws.title.strip() == sheet.strip():
                return ws
        names = "、".join(f"“{ws.title}”" for ws in visible)
        raise InputProblems([Problem(None, "--sheet", f"工作簿中没有名为“{sheet}”的工作表；可选：{names}")])
    if not visible:
        raise InputProblems([Problem(None, "文件", "工作簿中没有可见的工作表")])
    if kind is None:
        return visible[0]
    aliases = header_aliases(KINDS[kind])
    candidates = []
    for ws in visible:
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        if sum(1 for h in first if h is not None and normalise_header(str(h)) in aliases) >= 2:
            candidates.append(ws)
    if len(candidates) > 1:
        names = "、".join(f"“{ws.title}”" for ws in candidates)
        raise InputProblems(
            [
                Problem(
                    None,
                    "文件",
                    f"工作簿中有 {len(candidates)} 张数据表（{names}），请用 --sheet 工作表名 指定要计算的一张",
                )
            ]
        )
    return candidates[0] if candidates else visible[0]


def read_xlsx(path: Path, *, sheet: str | None = None, kind: str | None = None) -> Table:
    from openpyxl import load_workbook  # only when needed: the JSON/CSV paths stay light

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputProblems([Problem(None, "文件", f"无法读取 .xlsx 文件：{exc}")]) from exc
    try:
        ws = _data_sheet(wb, sheet, kind)
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return Table([])
        headers = ["" if h is None else str(h).strip() for h in first]
        while headers and not headers[-1]:
            headers.pop()
        table = Table(headers)
        for n, values in enumerate(rows, start=2):
            if _blank_row(values):
                continue
            row: dict[str, Any] = {}
            for i, v in enumerate(values):
                if i < len(headers) and headers[i]:
                    row[headers[i]] = v
                elif v is not None and not (isinstance(v, str) and not v.strip()):
                    row[f"第{i + 1}列"] = v
            table.rows.append((n, row))
        return table
    finally:
        wb.close()


def read_json(data: bytes) -> Table:
    try:
        items = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputProblems([Problem(None, "文件", f"不是有效的 JSON：{exc}")]) from exc
    if not isinstance(items, list):
        raise InputProblems([Problem(None, "文件", "JSON 文件应为对象列表：[{…}, {…}]")])
    headers: list[str] = []
    table = Table(headers, unit="条记录")
    problems = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(n, "-", "每条记录应为一个对象（字段: 值）", "条记录"))
            continue
        for k in item:
            if k not in headers:
                headers.append(k)
        table.rows.append((n, item))
    if problems:
        raise InputProblems(problems)
    return table


def read_table(path: str | Path, *, sheet: str | None = None, kind: str | None = None) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".json"):
        raise InputProblems(
            [Problem(None, "文件", f"不支持的文件类型 {suffix or '（无扩展名）'}：应为 .csv、.xlsx 或 .json")]
        )
    if not path.is_file():
        raise InputProblems([Problem(None, "文件", f"文件不存在：{path}")])
    if suffix == ".xlsx":
        return read_xlsx(path, sheet=sheet, kind=kind)
    if sheet is not None:
        raise InputProblems([Problem(None, "--sheet", f"{suffix} 文件没有工作表，--sheet 只用于 .xlsx")])
    data = path.read_bytes()
    return read_csv(data) if suffix == ".csv" else read_json(data)


# --- mapping to records -----------------------------------------------------------------------------


@dataclass
class Records:
    """Rows as records keyed by field name, ready for ``jigai.policy.*_records``."""

    records: list[dict[str, Any]]
    rows: list[int]  # the file's row number of each record
    labels: dict[str, str]  # field name → the header in the file, for messages
    unit: str
    missing: set[str] = field(default_factory=set)  # required fields with no column
    warnings: list[Problem] = field(default_factory=list)  # optional columns absent, and what they cost


def to_records(
    table: Table, kind: str, assume: Mapping[str, str] | None = None
) -> tuple[Records, list[Problem]]:
    """Map headers to fields (every unknown, duplicate or missing column is a problem) and convert 万元
    columns to yuan. Rows are checked later by ``jigai.policy``.

    A column a rule decides on (``DECISIVE``) that is absent is a problem unless ``assume`` gives every
    row's value for it; another absent optional column is a warning naming what it costs."""
    assume = dict(assume or {})
    fields = KINDS[kind]
    aliases = header_aliases(fields)
    problems: list[Problem] = []
    header_row = 1
    mapping: dict[str, tuple[str, int]] = {}
    labels: dict[str, str] = {}
    for header in table.headers:
        if not header:
            continue
        hit = aliases.get(normalise_header(header))
        if hit is None:
            first = (
                next((n for n, r in table.rows if header in r), header_row)
                if table.unit != "行"
                else header_row
            )
            problems.append(Problem(first, header, _unknown_message(header, fields), table.unit))
            continue
        name, _ = hit
        if name in labels:
            problems.append(
                Problem(header_row, header, f"列重复：与「{labels[name]}」是同一字段", table.unit)
            )
            continue
        mapping[header] = hit
        labels[name] = header
    missing_required = [f for f in fields if f.required and f.name not in labels]
    for f in missing_required:
        problems.append(Problem(header_row, f.label, f"缺少必填列（英文名 {f.name}）", table.unit))
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    for n, raw in table.rows:
        record: dict[str, Any] = {}
        for header, value in raw.items():
            hit = mapping.get(header)
            if hit is None:
                if header not in table.headers and value not in (None, ""):
                    problems.append(Problem(n, header, "数据超出表头范围（该列没有列名）", table.unit))
                continue
            name, scale = hit
            if scale != 1 and value is not None and not (isinstance(value, str) and not value.strip()):
                try:
                    value = parse_yuan(value, scale=scale)
                except ValueError as exc:
                    problems.append(Problem(n, header, str(exc), table.unit))
                    value = None
            record[name] = value
        records.append(record)
        rows.append(n)
    missing = {f.name for f in missing_required}
    warns: list[Problem] = []
    by_name = {f.name: f for f in fields}
    for name, value in assume.items():
        if name in labels:
            problems.append(
                Problem(
                    None,
                    "--assume",
                    f"文件中已有「{labels[name]}」列，不能再假定 {by_name[name].label}={value}",
                )
            )
            continue
        for record in records:
            record[name] = value
        labels[name] = f"{by_name[name].label}（--assume）"
        shown = value or "空"
        warns.append(Problem(None, by_name[name].label, f"文件中没有此列，按 --assume 对每一行取“{shown}”"))
    if table.rows or table.headers:
        for name, cost in DECISIVE.get(kind, {}).items():
            if name not in labels:
                f = by_name[name]
                problems.append(
                    Problem(
                        header_row,
                        f.label,
                        f"缺少此列（英文名 {f.name}）：{cost}。请补上此列，或用 --assume {f.label}=取值 "
                        "指定每一行的取值",
                        table.unit,
                    )
                )
        for name, cost in OPTIONAL_COST.get(kind, {}).items():
            if name not in labels:
                warns.append(Problem(None, by_name[name].label, f"文件中没有此列：{cost}"))
    return Records(records, rows, labels, table.unit, missing, warns), problems


def _unknown_message(header: str, fields: Sequence[Field]) -> str:
    h = normalise_header(header)
    for f in fields:
        if f.name.endswith("_yuan") and f.label:
            base = normalise_header(f.label.replace("（元）", ""))
            if h == base or h == normalise_header(f.name[: -len("_yuan")]):
                return (
                    f"未知列：未注明金额单位，请用「{f.label}」或「{f.label.replace('（元）', '（万元）')}」"
                )
    return "未知列"


def record_problems(errors: Sequence[Mapping[str, Any]], records: Records) -> list[Problem]:
    """``jigai.policy`` errors → problems; a required column missing altogether was reported once already,
    so its per-row "必填项为空" is dropped."""
    out = []
    for e in errors:
        row, column, message = e.get("row"), str(e.get("column")), str(e.get("message"))
        if row is None:
            out.append(Problem(None, column, message))
        elif not (message == "必填项为空" and column in records.missing):
            out.append(Problem(int(row), column, message, records.unit))
    return out


# --- writing ----------------------------------------------------------------------------------------


def write_atomically(path: str | Path, data: bytes) -> None:
    """All or nothing: a temporary file in the same folder, then renamed over the target."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
