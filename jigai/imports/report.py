"""The result of validating or running an import: per-row outcomes, every problem, the counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from jigai.core.said import say

__all__ = ["MODES", "OUTCOMES", "ImportReport", "Issue", "RowOutcome"]

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"
# In Chinese for the CLI's report and the JSON; the pages show them in their language (``translated``).
OUTCOMES = {
    NEW: gettext_noop("新增"),
    UPDATED: gettext_noop("更新"),
    UNCHANGED: gettext_noop("未变化"),
    REJECTED: gettext_noop("拒绝"),
}
MODES = {"all": gettext_noop("全部或不导入"), "good": gettext_noop("只导入无误的行")}
SEVERITIES = {"error": gettext_noop("错误"), "warning": gettext_noop("提示"), "info": gettext_noop("跳过")}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where (sheet, Excel row, column label), the value as found, why: a sentence said in
    the language active when the file was read (``jigai.core.said``), so it can be said again."""

    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"
    cell: str | None = None  # e.g. "E7"

    def where(self) -> str:
        """Where, said in the active language: 工作表“明细”第 7 行“总投资”列（E7）."""
        parts = []
        if self.sheet:
            parts.append(say("工作表“%(sheet)s”", sheet=self.sheet))
        if self.row is not None:
            parts.append(say("第 %(row)s 行", row=self.row))
        if self.column:
            parts.append(say("“%(column)s”列", column=self.column))
        if self.cell:
            parts.append(say("（%(cell)s）", cell=self.cell))
        place: str = parts[0] if parts else ""
        for part in parts[1:]:
            # Translators: one part of a cell's place after another (Chinese: no separator).
            place = say("%(place)s%(part)s", place=place, part=part)
        return place

    def as_text(self) -> str:
        """The problem as one line, said in the active language (a said reason is said again in it), so
        a record of it (a background import's result) can be said again in another."""
        where, reason = self.where(), self.reason
        if self.value not in (None, ""):
            if where:
                return say(
                    "%(where)s，值“%(value)s”：%(reason)s", where=where, value=self.value, reason=reason
                )
            return say("值“%(value)s”：%(reason)s", value=self.value, reason=reason)
        return say("%(where)s：%(reason)s", where=where, reason=reason) if where else reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
            "cell": self.cell,
        }


@dataclass(slots=True)
class RowOutcome:
    """What happens (or happened) to one data row."""

    sheet: str
    row: int
    outcome: str
    key: str | None = None
    issues: list[Issue] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column label → (old, new)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "outcome": self.outcome,
            "outcome_label": OUTCOMES[self.outcome],
            "key": self.key,
            "issues": [i.as_dict() for i in self.issues],
            "changes": {k: [_json(old), _json(new)] for k, (old, new) in self.changes.items()},
        }


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _show(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(_json(value))


@dataclass
class ImportReport:
    """The whole report. ``as_text()`` for the CLI, ``as_dict()`` for JSON and the preview page."""

    table: str
    title: str
    filename: str = ""
    sha256: str = ""
    mode: str = "all"
    dry_run: bool = True
    file_errors: list[Issue] = field(default_factory=list)
    file_warnings: list[Issue] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    blank_rows: int = 0
    sheets: list[dict[str, Any]] = field(default_factory=list)
    # Names of the workbook's sheets whose header matches the table (issue 13 point 14); when there are
    # several and none was chosen, the file is refused with ``needs_sheet`` set, asking which to import.
    candidate_sheets: list[str] = field(default_factory=list)
    needs_sheet: bool = False
    # What the user may map (mapping.py): headers not recognised, required columns no header names.
    unrecognised: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # the mapping this report was read with
    written: bool = False
    validated_only: bool = True
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    # -- counts ------------------------------------------------------------------------------------

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.outcome for r in self.rows)
        return {
            NEW: c[NEW],
            UPDATED: c[UPDATED],
            UNCHANGED: c[UNCHANGED],
            REJECTED: c[REJECTED],
            "skipped": len(self.skipped),
            "total": len(self.rows),
        }

    @property
    def refused(self) -> bool:
        """The file as a whole could not be imported (unsafe, unreadable, no header, missing column)."""
        return bool(self.file_errors)

    @property
    def has_rejections(self) -> bool:
        return any(r.outcome == REJECTED for r in self.rows)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.has_rejections

    @property
    def exit_code(self) -> int:
        """0: fine; 2: nothing was (or would be) written because of the file or of rejected rows."""
        if self.refused:
            return 2
        if self.mode == "all" and self.has_rejections:
            return 2
        return 0

    @property
    def issues(self) -> list[Issue]:
        out = list(self.file_errors) + list(self.file_warnings)
        for r in self.rows:
            out.extend(r.issues)
        return out

    def row(self, number: int, sheet: str | None = None) -> RowOutcome:
        """The outcome of an Excel row (for tests and the preview page)."""
        for r in self.rows:
            if r.row == number and (sheet is None or r.sheet == sheet):
                return r
        raise KeyError(number)

    # -- rendering ---------------------------------------------------------------------------------

    def as_text(self, limit: int | None = None) -> str:
        lines = [f"导入报告：{self.title}（{self.table}）"]
        if self.filename:
            digest = f"，SHA-256 {self.sha256[:16]}" if self.sha256 else ""
            lines.append(f"文件：{self.filename}{digest}")
        lines.append(
            f"方式：{MODES.get(self.mode, self.mode)}" + ("（试运行，不写入）" if self.dry_run else "")
        )
        for sheet in self.sheets:
            header = "、".join(str(n) for n in sheet.get("header_rows", []))
            lines.append(
                f"工作表“{sheet['sheet']}”：表头在第 {header} 行，识别 {len(sheet.get('columns', []))} 列"
            )
        c = self.counts
        lines.append(
            f"统计：新增 {c[NEW]} 行，更新 {c[UPDATED]} 行，未变化 {c[UNCHANGED]} 行，拒绝 {c[REJECTED]} 行"
            f"；跳过合计/说明行 {c['skipped']} 行，空行 {self.blank_rows} 行"
        )
        errors = list(self.file_errors) + [i for r in self.rows for i in r.issues if i.severity == "error"]
        if errors:
            lines.append(f"问题（共 {len(errors)} 条）：")
            shown = errors if limit is None else errors[:limit]
            lines.extend(f"  {i.as_text()}" for i in shown)
            if len(shown) < len(errors):
                lines.append(f"  ……另有 {len(errors) - len(shown)} 条未显示")
        warnings = list(self.file_warnings) + [
            i for r in self.rows for i in r.issues if i.severity == "warning"
        ]
        if warnings:
            lines.append(f"提示（共 {len(warnings)} 条）：")
            lines.extend(f"  {text}" for text in _group_warnings(warnings))
        if self.skipped:
            lines.append("跳过的行：")
            shown_skips = self.skipped if limit is None else self.skipped[:limit]
            lines.extend(f"  {i.as_text()}" for i in shown_skips)
        updated = [r for r in self.rows if r.outcome == UPDATED]
        if updated:
            lines.append("更新内容：")
            shown_rows = updated if limit is None else updated[:limit]
            for r in shown_rows:
                changes = "；".join(f"{k}：{_show(a)} → {_show(b)}" for k, (a, b) in r.changes.items())
                lines.append(f"  工作表“{r.sheet}”第 {r.row} 行（{r.key}）：{changes}")
            if len(shown_rows) < len(updated):
                lines.append(f"  ……另有 {len(updated) - len(shown_rows)} 行未显示")
        if self.unrecognised or self.missing_columns:
            hint = "列对应：可用 --map '表头=字段' 指定（可重复；字段写 忽略 则不导入该列）"
            if self.unrecognised:
                hint += "；未识别的表头：" + "、".join(f"“{h}”" for h in self.unrecognised)
            if self.missing_columns:
                hint += "；缺少的必填字段：" + "、".join(self.missing_columns)
            lines.append(hint)
        if self.message:
            lines.append(f"结果：{self.message}")
        return "\n".join(lines)

    def as_dict(self, include_rows: bool = True) -> dict[str, Any]:
        return {
            "table": self.table,
            "title": self.title,
            "filename": self.filename,
            "sha256": self.sha256,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "written": self.written,
            "ok": self.ok,
            "refused": self.refused,
            "exit_code": self.exit_code,
            "message": self.message,
            "counts": {**self.counts, "blank": self.blank_rows},
            "sheets": self.sheets,
            "candidate_sheets": self.candidate_sheets,
            "needs_sheet": self.needs_sheet,
            "unrecognised": self.unrecognised,
            "missing_columns": self.missing_columns,
            "mapping": self.mapping,
            "file_errors": [i.as_dict() for i in self.file_errors],
            "file_warnings": [i.as_dict() for i in self.file_warnings],
            "skipped": [i.as_dict() for i in self.skipped],
            "rows": [r.as_dict() for r in self.rows] if include_rows else None,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _group_warnings(warnings: list[Issue], max_rows: int = 10) -> list[str]:
    """Same column and reason on many rows → one line listing the rows."""
    groups: dict[tuple, list[Issue]] = defaultdict(list)
    for w in warnings:
        groups[(w.sheet, w.column, w.reason)].append(w)
    out = []
    for (sheet, column, reason), items in groups.items():
        if len(items) == 1:
            out.append(items[0].as_text())
            continue
        rows = [str(i.row) for i in items if i.row is not None]
        shown = "、".join(rows[:max_rows]) + (f" 等 {len(rows)} 行" if len(rows) > max_rows else "")
        where = f"工作表“{sheet}”" if sheet else ""
        col = f"“{column}”列" if column else ""
        out.append(f"{where}{col}第 {shown} 行：{reason}")
    return out
