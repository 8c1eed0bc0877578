"""Region figures from a file (.csv or .xlsx), so anyone can check a ranking's arithmetic offline:
``jigai assess rank 2019Q2 --stats figures.csv``. Columns: ``region_code`` (the unit's code, or its name),
``month`` (YYYY-MM), ``tech_investment_ytd_yuan`` (January-to-month, yuan). Read through the shared
import engine (upload safety, header matching, cell parsing, duplicates); nothing touches the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jigai.core import reference
from jigai.core.said import say
from jigai.imports import Column, ImportContext, Issue, Money, ParseError, Row, TableSpec, run
from jigai.imports.reference import reporting_unit_choice

from .ranking import RegionFigures

__all__ = ["StatsFileError", "read_stats_file"]

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


class StatsFileError(Exception):
    """The file cannot be used; ``issues`` lists every problem (sheet, row, column, reason)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("；".join(i.as_text() for i in issues))


def parse_month(raw: Any) -> tuple[int, int]:
    """``2019-06`` (also ``2019-6``, ``2019/06``, ``2019年6月``, or a spreadsheet date) → (2019, 6)."""
    if isinstance(raw, dt.datetime | dt.date):
        return raw.year, raw.month
    match = _MONTH.match(str(raw))
    if not match:
        raise ParseError(say("月份应写作 YYYY-MM，如 2019-06"))
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ParseError(say("月份 %(month)s 不在 1—12 之间", month=month))
    if not 1900 <= year <= 2100:
        raise ParseError(say("年份 %(year)s 不合理", year=year))
    return year, month


parse_month.describe = lambda: "年月，YYYY-MM"  # type: ignore[attr-defined]


@dataclass
class _Collector:
    rows: list[Row] = field(default_factory=list)

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        if "region_code" not in values or "month" not in values:
            return None
        return (values["region_code"], values["month"])

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict:
        return {}

    def check_row(self, row: Row, context: ImportContext):
        return ()

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        self.rows.extend(new_rows)


def _spec(collector: _Collector) -> TableSpec:
    return TableSpec(
        name="region_statistics",
        title="各单位技改投资累计数",
        columns=[
            Column("region_code", "region_code", reporting_unit_choice(), required=True,
                   variants=("单位代码", "单位", "报送单位", "地区")),
            Column("month", "month", parse_month, required=True, variants=("月份", "年月")),
            Column("tech_investment_ytd_yuan", "tech_investment_ytd_yuan", Money(unit="元"), required=True,
                   variants=("技改投资累计", "技改投资")),
        ],
        adapter=collector,
        describe_key=lambda key: f"{key[0]} {key[1][0]}-{key[1][1]:02d}",
    )  # fmt: skip


def read_stats_file(file: Any, *, filename: str | None = None) -> list[RegionFigures]:
    """The nine units' figures from the file (a unit absent from it has no figures: it ranks as not
    reported). Raises :class:`StatsFileError` listing every problem; nothing is partly read."""
    collector = _Collector()
    report = run(_spec(collector), file, ImportContext(), mode="all", filename=filename,
                 atomic=contextlib.nullcontext)  # fmt: skip
    issues = list(report.file_errors)
    for outcome in report.rows:
        issues.extend(i for i in outcome.issues if i.severity == "error")
    if issues:
        raise StatsFileError(issues)
    ytd: dict[str, dict[tuple[int, int], Decimal]] = {code: {} for code, *_ in reference.REPORTING_UNITS}
    for row in collector.rows:
        ytd[row.values["region_code"]][row.values["month"]] = row.values["tech_investment_ytd_yuan"]
    return [RegionFigures(code, name, ytd[code]) for code, name, *_ in reference.REPORTING_UNITS]
