"""Validate a whole file, then write it in one transaction.

``validate(spec, file, context)`` reads, parses and classifies every row (new / updated / unchanged /
rejected) and writes nothing. ``run(spec, file, context, mode=…)`` does the same and then, inside one
``transaction.atomic()``, loads the stored records again, classifies against them and calls the
adapter's ``apply`` with the new and changed rows:

* ``mode="all"`` (全部或不导入): any rejected row, and nothing is written;
* ``mode="good"`` (只导入无误的行): rejected rows are left out, the others are written;
* unchanged rows are never passed to ``apply``, so importing the same file twice changes nothing;
* a file-level problem (unsafe file, no header, a missing required column) means nothing is written.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.utils.translation import gettext_noop

from jigai.core.said import quoted_list, said_list, say

from .parsers import _INVISIBLE, Noted, ParseError, display_raw, is_blank
from .reader import BoundColumn, CellError, Formula, RawRow, read_upload
from .report import NEW, REJECTED, UNCHANGED, UPDATED, ImportReport, Issue, RowOutcome
from .safety import CheckedUpload, UploadLimits, UploadRefused, check_upload
from .safety import _setting as setting
from .spec import ImportContext, Row, RowError, TableSpec

__all__ = ["ALL_SHEETS", "DEFAULT_MAX_ROWS", "ImportWriteError", "run", "validate"]

# ``sheets=ALL_SHEETS``: read every sheet whose header matches, as one file (rows of all of them).
ALL_SHEETS = "*"

# Rows per file (setting JIGAI_IMPORT_MAX_ROWS). What an import holds grows with its rows: the project
# library's 22 columns take about 4 KB a row through validate and write, so 50,000 rows (the size the
# import is benchmarked at, benchmarks/import.py) stay under 500 MB; 200,000 rows, the former limit,
# took a worker past 1 GB (issue 11, point 4). A larger table is imported in several files.
DEFAULT_MAX_ROWS = 50_000
# Memory is bounded by what a file makes the engine keep, not by its size on disk (issue 11, point 4):
# every problem is an object, and a hostile file can make every cell of every row one. Problems are
# listed in full up to LISTED_PROBLEMS; beyond, a rejected row keeps only its first problem (it is
# still rejected, and mode="good" still writes the others). More than LISTED_PROBLEMS skipped rows
# (totals, notes) is not a county's table: the file is refused.
LISTED_PROBLEMS = 10_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
MODES = ("all", "good")
# Catalogue entries (said again in the page's language: jigai.core.said).
FORMULA_REASON = gettext_noop("单元格含公式，请复制后“粘贴为数值”再导入")
REQUIRED_REASON = gettext_noop("必填项未填写")


PROGRESS_EVERY = 500  # rows between two progress reports (ImportContext.progress)


def row_limit() -> int:
    """Rows one file may hold: the setting JIGAI_IMPORT_MAX_ROWS, else DEFAULT_MAX_ROWS."""
    return setting("JIGAI_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


class ImportWriteError(Exception):
    """Writing failed and the transaction was rolled back; ``report`` says what was attempted."""

    def __init__(self, report: ImportReport, cause: BaseException):
        super().__init__(say("写入失败，已全部撤销：%(cause)s", cause=str(cause)))
        self.report = report
        self.cause = cause


# --- parsing --------------------------------------------------------------------------------------


# Cell parsers are pure functions of the cell, so a column's repeated values (units, industries, 是/否,
# dates, an enterprise's credit code on each of its projects) are parsed once. Each column remembers at
# most CACHE_LIMIT distinct values, which bounds the memory a column of unique names could take.
CACHE_LIMIT = 4096
_ERROR = object()


def _parse_cell(bound: BoundColumn, value: Any, cache: dict) -> Any:
    """One cell through its column's parser, remembered in ``cache`` (``_parse_row`` inlines this)."""
    key = value if type(value) is str else (type(value), value)
    hit = cache.get(key)
    if hit is not None:
        if hit[0] is _ERROR:
            raise ParseError(hit[1])
        return hit[0]
    try:
        parsed = bound.parser(value)
    except ParseError as exc:
        if len(cache) < CACHE_LIMIT:
            cache[key] = (_ERROR, exc.reason)
        raise
    if len(cache) < CACHE_LIMIT:
        cache[key] = (parsed,)
    return parsed


class _Plan:
    """What ``_parse_row`` needs of a sheet's columns, looked up once per sheet instead of once per cell:
    (column, parser, key, cache) for each, and the required ones."""

    __slots__ = ("cells", "formula", "required", "required_reason")

    def __init__(self, columns: list[BoundColumn], caches: list[dict] | None = None):
        caches = caches if caches is not None else [{} for _ in columns]
        self.cells = [(b, b.parser, b.column.key, c) for b, c in zip(columns, caches, strict=True)]
        self.required = [b for b in columns if b.column.required]
        # Said once per sheet, not once per cell: a file can leave every required cell blank.
        self.required_reason = say(REQUIRED_REASON)
        self.formula = say(FORMULA_REASON)


def _cell_issue(reason: str, raw: RawRow, bound: BoundColumn, value: Any, severity: str = "error") -> Issue:
    return Issue(
        reason,
        raw.sheet,
        raw.number,
        bound.label,
        display_raw(value),
        severity=severity,
        cell=f"{bound.letter}{raw.number}",
    )


def _parse_row(
    raw: RawRow, columns: list[BoundColumn], caches: list[dict] | None = None, plan: _Plan | None = None
) -> Row:
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    if plan is None:
        plan = _Plan(columns, caches)
    # A cell's parsed value (or its ParseError's reason) is remembered per column and raw value: the key
    # is the text itself for a str cell, (type, value) otherwise (1, 1.0 and True are equal in a dict).
    for (bound, parser, key, cache), value in zip(plan.cells, raw.cells, strict=True):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if len(value) > MAX_CELL_CHARS:
                # Refused before any parser copies it (a 20 MB cell took 30 s and 300 MB to parse).
                issues.append(
                    _cell_issue(
                        say("单元格超过 %(n)s 个字符（Excel 单元格的上限），请检查文件", n=MAX_CELL_CHARS),
                        raw,
                        bound,
                        value[:100],
                    )
                )
                continue
            # Most cells start with a visible character: only the others can be blank.
            if (not value or value[0].isspace() or value[0] in _INVISIBLE) and is_blank(value):
                continue
            hit = cache.get(value)
            ckey: Any = value
        elif kind is Formula or kind is CellError:
            reason = (
                plan.formula
                if kind is Formula
                else say("单元格是错误值 %(value)s，请改为正确的数值", value=str(value))
            )
            issues.append(_cell_issue(reason, raw, bound, value))
            continue
        else:
            ckey = (kind, value)
            hit = cache.get(ckey)
        if hit is None:
            try:
                parsed = parser(value)
            except ParseError as exc:
                if len(cache) < CACHE_LIMIT:
                    cache[ckey] = (_ERROR, exc.reason)
                issues.append(_cell_issue(exc.reason, raw, bound, value))
                continue
            if len(cache) < CACHE_LIMIT:
                cache[ckey] = (parsed,)
        elif hit[0] is _ERROR:
            issues.append(_cell_issue(hit[1], raw, bound, value))
            continue
        else:
            parsed = hit[0]
        if type(parsed) is Noted:
            issues.append(_cell_issue(parsed.note, raw, bound, value, severity="warning"))
            parsed = parsed.value
        values[key] = parsed
    for bound in plan.required:
        if bound.column.key not in values and not any(i.column == bound.label for i in issues):
            issues.append(
                Issue(
                    plan.required_reason,
                    raw.sheet,
                    raw.number,
                    bound.label,
                    cell=f"{bound.letter}{raw.number}",
                )
            )
    return Row(raw.sheet, raw.number, values, issues=issues, cells=raw.cells, columns=columns)


class _Parsed:
    def __init__(self, report: ImportReport, rows: list[Row], upload: CheckedUpload | None):
        self.report = report
        self.rows = rows
        self.upload = upload


def _parse(
    spec: TableSpec,
    file: Any,
    *,
    filename: str | None,
    limits: UploadLimits | None,
    mode: str,
    dry_run: bool,
    max_rows: int,
    sheets: str | Sequence[str] | None = None,
    mapping: dict[str, str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> _Parsed:
    started = time.perf_counter()
    report = ImportReport(table=spec.name, title=spec.title, mode=mode, dry_run=dry_run)
    report.mapping = dict(mapping or {})
    rows: list[Row] = []
    try:
        upload = check_upload(file, filename=filename, limits=limits)
    except UploadRefused as exc:
        report.filename = filename or getattr(file, "name", "") or ""
        report.file_errors.append(Issue(exc.message))
        report.timings["check"] = time.perf_counter() - started
        return _Parsed(report, rows, None)
    report.filename, report.sha256 = upload.filename, upload.sha256
    report.timings["check"] = time.perf_counter() - started
    found_header = False
    listed, trimmed = 0, False
    guess: list[str] = []  # a headerless sheet's likeliest header texts, for the user to map
    # Which sheets (issue 13 point 14): a workbook of one sheet per year or per county is several tables,
    # and reading them together mixed years. None: the only sheet with a matching header, else the file
    # is refused asking which; names: those; ALL_SHEETS: every one, as before.
    every = sheets == ALL_SHEETS
    chosen = (
        None
        if sheets is None or every
        else {str(s).strip() for s in ([sheets] if isinstance(sheets, str) else sheets)}
    )
    try:
        for sheet in read_upload(upload, spec, mapping=mapping):
            candidate = bool(sheet.columns or sheet.errors)
            if not candidate and not guess and (chosen is None or sheet.sheet.strip() in chosen):
                guess = list(sheet.unrecognised)
            if candidate:
                report.candidate_sheets.append(sheet.sheet)
            if chosen is not None and sheet.sheet.strip() not in chosen:
                if candidate:
                    report.file_warnings.append(
                        Issue(say("未选择导入此工作表，已跳过"), sheet.sheet, severity="warning")
                    )
                continue
            if chosen is None and not every and len(report.candidate_sheets) > 1:
                report.needs_sheet = True
                continue  # only the names of the others are wanted now
            report.file_errors.extend(sheet.errors)
            report.file_warnings.extend(sheet.warnings)
            for header in sheet.unrecognised:
                if header not in report.unrecognised:
                    report.unrecognised.append(header)
            for key in sheet.missing:
                if key not in report.missing_columns:
                    report.missing_columns.append(key)
            if not sheet.columns:
                continue
            found_header = True
            report.sheets.append(sheet.describe())
            if sheet.errors:
                continue  # a sheet that cannot be read as a whole is not read row by row
            columns = sheet.columns
            plan = _Plan(columns)
            for item in sheet.rows:
                if type(item) is RawRow:
                    if len(rows) >= max_rows:
                        report.file_errors.append(
                            Issue(
                                say("数据超过 %(n)s 行的上限，请拆分文件后分批导入", n=max_rows),
                                sheet.sheet,
                                item.number,
                            )
                        )
                        return _Parsed(report, rows, upload)
                    row = _parse_row(item, columns, plan=plan)
                    row.sheet_year = sheet.title_year
                    listed += len(row.issues)
                    if listed > LISTED_PROBLEMS and row.issues:
                        row.issues[:] = _first_problem(row.issues)
                        if not trimmed:
                            trimmed = True
                            report.file_warnings.append(
                                Issue(
                                    say("问题超过 %(n)s 处，自本行起每行只列出第一处问题", n=LISTED_PROBLEMS),
                                    sheet.sheet,
                                    item.number,
                                    severity="warning",
                                )
                            )
                    rows.append(row)
                    if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                        progress("read", len(rows))
                elif item.blank:
                    report.blank_rows += item.count
                else:
                    if len(report.skipped) >= LISTED_PROBLEMS:
                        report.file_errors.append(
                            Issue(
                                say(
                                    "跳过的合计、说明行超过 %(n)s 行，不像是一张数据表，已拒绝",
                                    n=LISTED_PROBLEMS,
                                ),
                                item.sheet,
                                item.number,
                            )
                        )
                        return _Parsed(report, rows, upload)
                    report.skipped.append(
                        Issue(item.reason, item.sheet, item.number, value=item.value or None, severity="info")
                    )
    except UploadRefused as exc:
        report.file_errors.append(Issue(exc.message))
        rows.clear()
        return _Parsed(report, rows, upload)
    finally:
        report.timings["read"] = time.perf_counter() - started - report.timings["check"]
    if report.needs_sheet:
        rows.clear()
        report.skipped.clear()
        report.blank_rows = 0
        report.sheets.clear()
        report.file_errors[:] = [
            Issue(
                say(
                    "工作簿中有 %(n)s 张数据表（%(names)s），请选择要导入的工作表"
                    "（命令行用 --sheet 工作表名；--sheet '*' 合并导入全部）",
                    n=len(report.candidate_sheets),
                    names=quoted_list(report.candidate_sheets),
                )
            )
        ]
        return _Parsed(report, rows, upload)
    if chosen is not None:
        unknown = sorted(chosen - {n.strip() for n in report.candidate_sheets})
        if unknown:
            report.file_errors.append(
                Issue(
                    say(
                        "工作簿中没有名为%(unknown)s的数据表；可选的工作表：%(names)s",
                        unknown=quoted_list(unknown),
                        names=quoted_list(report.candidate_sheets) or say("无"),
                    )
                )
            )
    if not found_header and not report.file_errors:
        report.unrecognised = guess
        report.missing_columns = [c.key for c in spec.columns if c.required]
        names = said_list([c.header for c in spec.columns if c.required] or [c.header for c in spec.columns])
        report.file_errors.append(
            Issue(
                say(
                    "未找到表头：前 10 行中没有与“%(title)s”列名（%(names)s）匹配的行，请使用导入模板的表头",
                    title=say(spec.title),
                    names=names,
                )
            )
        )
    _keys_and_duplicates(spec, rows)
    return _Parsed(report, rows, upload)


def _first_problem(issues: list[Issue]) -> list[Issue]:
    errors = [i for i in issues if i.severity == "error"]
    return errors[:1] if errors else []


def _keys_and_duplicates(spec: TableSpec, rows: list[Row]) -> None:
    natural_key = spec.adapter.natural_key
    groups: dict[Hashable, list[Row]] = {}
    for row in rows:
        try:
            key = natural_key(row.values)
        except (KeyError, TypeError, ValueError):
            key = None
        row.key = key
        if key is None:
            if not row.rejected:
                row.issues.append(
                    Issue(say("缺少能确定这条记录的内容（关键列未填写）"), row.sheet, row.number)
                )
            continue
        groups.setdefault(key, []).append(row)
    for key, group in groups.items():
        if len(group) < 2:
            continue
        for row in group:
            others = said_list(
                [
                    say("第 %(row)s 行", row=o.number)
                    if o.sheet == row.sheet
                    else say("工作表“%(sheet)s”第 %(row)s 行", sheet=o.sheet, row=o.number)
                    for o in group
                    if o is not row
                ]
            )
            row.issues.append(
                Issue(
                    say(
                        "与%(others)s重复（%(key)s），同一记录只能出现一次",
                        others=others,
                        key=spec.key_text(key),
                    ),
                    row.sheet,
                    row.number,
                )
            )


# --- classification -------------------------------------------------------------------------------


def _classify(spec: TableSpec, rows: list[Row], context: ImportContext) -> None:
    adapter = spec.adapter
    candidates = [r for r in rows if r.key is not None and not r.rejected]
    keys = list(dict.fromkeys(r.key for r in candidates))
    existing = adapter.load_existing(keys, context) if keys else {}
    scope = spec.scope_column
    scope_label = spec.column(scope).label if scope else ""
    scope_parser = spec.column(scope).parser if scope else None
    labels = {c.key: c.label for c in spec.columns}

    def unit_name(code: Any) -> str:
        label = getattr(scope_parser, "label", None)
        return label(code) if callable(label) else str(code)

    for row in candidates:
        stored = existing.get(row.key)
        row.existing = stored
        if scope and context.unit is not None:
            mine = context.unit
            theirs = row.values.get(scope)
            if theirs is not None and theirs != mine:
                row.issues.append(
                    Issue(
                        say(
                            "只能导入本单位（%(mine)s）的数据，这一行属于%(theirs)s",
                            mine=unit_name(mine),
                            theirs=unit_name(theirs),
                        ),
                        row.sheet,
                        row.number,
                        scope_label,
                        display_raw(row.raw(scope)),
                        cell=_cell_ref(row, scope),
                    )
                )
                continue
            if stored is not None and stored.get(scope) not in (None, mine):
                row.issues.append(
                    Issue(
                        # Not whose it is: a clerk learns nothing about another unit (issue 11, point 12).
                        say("只能导入本单位（%(mine)s）的数据，该记录不在本单位", mine=unit_name(mine)),
                        row.sheet,
                        row.number,
                    )
                )
                continue
        for problem in adapter.check_row(row, context) or ():
            if isinstance(problem, RowError):
                label = labels.get(problem.column) if problem.column else None
                value = display_raw(row.raw(problem.column)) if problem.column else None
                row.issues.append(
                    Issue(
                        problem.reason,
                        row.sheet,
                        row.number,
                        label,
                        value or None,
                        cell=_cell_ref(row, problem.column) if problem.column else None,
                    )
                )
            else:
                row.issues.append(
                    Issue(problem if isinstance(problem, str) else str(problem), row.sheet, row.number)
                )
        if row.rejected or stored is None:
            continue
        changes = {}
        for key, value in row.values.items():
            old = stored.get(key)
            if not _same(old, value):
                changes[key] = (old, value)
        row.changes = changes


def _cell_ref(row: Row, key: str) -> str | None:
    for bound in row.columns:
        if bound.column.key == key:
            return f"{bound.letter}{row.number}"
    return None


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if type(old) is not type(new) and isinstance(old, str) != isinstance(new, str):
        return False
    try:
        return bool(old == new)
    except Exception:
        return False


def _outcome(row: Row) -> str:
    if row.rejected:
        return REJECTED
    if row.existing is None:
        return NEW
    return UPDATED if row.changes else UNCHANGED


def _fill_report(spec: TableSpec, report: ImportReport, rows: list[Row]) -> None:
    labels = {c.key: c.label for c in spec.columns}
    outcomes = []
    for row in rows:
        outcome = _outcome(row)
        outcomes.append(
            RowOutcome(
                row.sheet,
                row.number,
                outcome,
                spec.key_text(row.key) if row.key is not None else None,
                row.issues,
                {labels[k]: v for k, v in row.changes.items()} if outcome == UPDATED else {},
            )
        )
    report.rows = outcomes


# --- public API -----------------------------------------------------------------------------------


def validate(
    spec: TableSpec,
    file: Any,
    context: ImportContext | None = None,
    *,
    mode: str = "all",
    filename: str | None = None,
    limits: UploadLimits | None = None,
    max_rows: int | None = None,
    sheets: str | Sequence[str] | None = None,
) -> ImportReport:
    """Check the whole file and say what an import would do. Writes nothing.

    ``sheets``: the sheet(s) to read by name; None reads the only sheet whose header matches (several
    such sheets: the file is refused with ``report.needs_sheet``); ``ALL_SHEETS`` reads them all."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    max_rows = max_rows or row_limit()
    context = context or ImportContext()
    parsed = _parse(
        spec,
        file,
        filename=filename,
        limits=limits,
        mode=mode,
        dry_run=True,
        max_rows=max_rows,
        sheets=sheets,
        mapping=context.mapping,
    )
    report = parsed.report
    if not report.refused:
        started = time.perf_counter()
        _set_source(context, parsed.upload)
        _classify(spec, parsed.rows, context)
        report.timings["classify"] = time.perf_counter() - started
    _fill_report(spec, report, parsed.rows)
    report.validated_only = True
    report.message = _preview_message(report)
    return report


def run(
    spec: TableSpec,
    file: Any,
    context: ImportContext | None = None,
    *,
    mode: str = "all",
    dry_run: bool = False,
    filename: str | None = None,
    limits: UploadLimits | None = None,
    max_rows: int | None = None,
    atomic: Callable[[], AbstractContextManager[Any]] | None = None,
    sheets: str | Sequence[str] | None = None,
) -> ImportReport:
    """Validate, then write new and changed rows in one transaction (unless ``dry_run``).

    ``atomic`` makes the transaction (default: ``django.db.transaction.atomic(using=spec.using)``).
    Raises :class:`ImportWriteError` when ``apply`` fails; the transaction is then rolled back.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    max_rows = max_rows or row_limit()
    if dry_run:
        report = validate(
            spec, file, context, mode=mode, filename=filename, limits=limits, max_rows=max_rows, sheets=sheets
        )
        report.dry_run = True
        return report
    context = context or ImportContext()
    parsed = _parse(
        spec,
        file,
        filename=filename,
        limits=limits,
        mode=mode,
        dry_run=False,
        max_rows=max_rows,
        sheets=sheets,
        mapping=context.mapping,
        progress=context.progress,
    )
    report = parsed.report
    report.validated_only = False
    rows = parsed.rows
    if report.refused:
        _fill_report(spec, report, rows)
        report.message = say("文件未通过检查，未写入任何数据")
        return report
    _set_source(context, parsed.upload)
    if context.progress is not None:
        context.progress("write", len(rows))  # outside the transaction, so a poller sees it
    make_atomic = atomic or _django_atomic(spec.using)
    started = time.perf_counter()
    try:
        with make_atomic():
            # Classify again inside the transaction, against what is stored now.
            _classify(spec, rows, context)
            report.timings["classify"] = time.perf_counter() - started
            rejected = sum(1 for r in rows if r.rejected)
            new_rows = [r for r in rows if not r.rejected and r.existing is None]
            changed_rows = [r for r in rows if not r.rejected and r.existing is not None and r.changes]
            if mode == "all" and rejected:
                report.message = say(
                    "有 %(n)s 行被拒绝，按“全部或不导入”方式本次未写入任何数据。"
                    "请修改后重新导入，或选择“只导入无误的行”",
                    n=rejected,
                )
            elif new_rows or changed_rows:
                write_started = time.perf_counter()
                spec.adapter.apply(new_rows, changed_rows, context)
                report.timings["write"] = time.perf_counter() - write_started
                report.written = True
    except Exception as exc:
        _fill_report(spec, report, rows)
        report.written = False
        report.message = say(
            "写入时出错，已全部撤销，数据库保持导入前的状态：%(error)s", error=type(exc).__name__
        )
        raise ImportWriteError(report, exc) from exc
    _fill_report(spec, report, rows)
    if not report.message:
        c = report.counts
        if report.written:
            figures = {
                "new": c[NEW],
                "updated": c[UPDATED],
                "unchanged": c[UNCHANGED],
                "rejected": c[REJECTED],
            }
            report.message = (
                say(
                    "已写入：新增 %(new)s 行，更新 %(updated)s 行；%(unchanged)s 行未变化；%(rejected)s 行被拒绝，未导入",
                    **figures,
                )
                if c[REJECTED]
                else say("已写入：新增 %(new)s 行，更新 %(updated)s 行；%(unchanged)s 行未变化", **figures)
            )
        else:
            report.message = (
                say("没有需要写入的变化（%(n)s 行被拒绝）", n=c[REJECTED])
                if c[REJECTED]
                else say("没有需要写入的变化")
            )
    return report


def _set_source(context: ImportContext, upload: CheckedUpload | None) -> None:
    if upload is not None:
        context.filename = upload.filename
        context.sha256 = upload.sha256
        context.source = upload.source


def _django_atomic(using: str) -> Callable[[], AbstractContextManager[Any]]:
    def factory() -> AbstractContextManager[Any]:
        from django.db import transaction

        return transaction.atomic(using=using)

    return factory


def _preview_message(report: ImportReport) -> str:
    if report.refused:
        return say("文件未通过检查，不能导入")
    c = report.counts
    would = say(
        "将新增 %(new)s 行、更新 %(updated)s 行，%(unchanged)s 行未变化",
        new=c[NEW],
        updated=c[UPDATED],
        unchanged=c[UNCHANGED],
    )
    if not c[REJECTED]:
        return say("检查通过：%(would)s", would=would)
    if report.mode == "all":
        return say(
            "有 %(n)s 行被拒绝：按“全部或不导入”方式将不会写入任何数据；按“只导入无误的行”方式%(would)s",
            n=c[REJECTED],
            would=would,
        )
    return say("有 %(n)s 行被拒绝，不会导入；其余%(would)s", n=c[REJECTED], would=would)


no_transaction = contextlib.nullcontext
