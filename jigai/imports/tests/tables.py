"""A project-like table for the engine's tests: its adapter keeps records in a dict."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from typing import Any

from jigai.core.codes import CodeError, credit_check_char, validate_credit_code
from jigai.imports.parsers import Boolean, Checked, Date, Money, Text, Year
from jigai.imports.reference import industry_choice, reporting_unit_choice
from jigai.imports.spec import Column, ImportContext, Row, RowError, TableSpec

credit_code = Checked(
    validate_credit_code,
    CodeError,
    Text(max_length=40, halfwidth=True, upper=True),
    "18 位统一社会信用代码",
)

VALID_CODE = "91110000101623741K"
VALID_CODE_2 = "911101066976941872"


def make_code(seed: int) -> str:
    body = f"914228{seed:011d}"
    return body + credit_check_char(body)


class DictAdapter:
    """Keeps records in ``store`` keyed by (credit code, project name); logs each write."""

    def __init__(self, store: dict | None = None, fail_after: int | None = None):
        self.store: dict[Hashable, dict[str, Any]] = store if store is not None else {}
        self.fail_after = fail_after
        self.audit: list[dict[str, Any]] = []
        self.load_calls: list[int] = []
        self.apply_calls = 0

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        if "credit_code" not in values or "name" not in values:
            return None
        return (values["credit_code"], values["name"])

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict:
        self.load_calls.append(len(keys))
        return {k: dict(self.store[k]) for k in keys if k in self.store}

    def check_row(self, row: Row, context: ImportContext) -> list[RowError]:
        problems = []
        values = {**(row.existing or {}), **row.values}
        total, equipment = values.get("total"), values.get("equipment")
        if total is not None and equipment is not None and equipment > total:
            problems.append(RowError("设备投资不能大于总投资", "equipment"))
        return problems

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        self.apply_calls += 1
        written = 0
        for row in new_rows:
            self._tick(written)
            record = dict(row.values)
            record.setdefault("unit", context.unit)
            self.store[row.key] = record
            self.audit.append({"event": "create", "key": row.key, "source": context.source})
            written += 1
        for row in changed_rows:
            self._tick(written)
            self.store[row.key].update({k: new for k, (_old, new) in row.changes.items()})
            self.audit.append(
                {"event": "update", "key": row.key, "changes": dict(row.changes), "source": context.source}
            )
            written += 1

    def _tick(self, written: int) -> None:
        if self.fail_after is not None and written >= self.fail_after:
            raise RuntimeError("disk full (simulated)")

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """A stand-in for a database transaction: restores the store if the block raises."""
        snapshot = copy.deepcopy(self.store)
        audit = list(self.audit)
        try:
            yield
        except BaseException:
            self.store.clear()
            self.store.update(snapshot)
            self.audit[:] = audit
            raise


def project_columns() -> list[Column]:
    return [
        Column(
            "name",
            "项目名称",
            Text(max_length=100),
            required=True,
            variants=("项目名", "项目"),
            help="项目的全称",
            example="年产5万吨硒茶加工技术改造项目",
        ),
        Column(
            "unit",
            "所属县市",
            reporting_unit_choice(),
            required=True,
            variants=("填报单位", "县市", "县市区", "地区"),
            help="项目所在的县市或州高新区",
            example="恩施市",
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            credit_code,
            required=True,
            variants=("信用代码", "社会信用代码"),
            help="企业的18位统一社会信用代码",
            example=VALID_CODE,
        ),
        Column(
            "total",
            "总投资",
            Money(),
            required=True,
            variants=("计划总投资", "项目总投资"),
            help="项目计划总投资",
            example="1200",
        ),
        Column(
            "equipment", "设备投资", Money(), variants=("技改设备投资",), help="其中设备投资", example="350.5"
        ),
        Column(
            "completed",
            "累计完成投资",
            Money(),
            variants=("完成投资", "已完成投资"),
            help="截至上月末累计完成的投资",
            example="600",
        ),
        Column(
            "start_date",
            "开工日期",
            Date(),
            variants=("开工时间", "计划开工时间"),
            help="开工日期",
            example="2018-03-15",
        ),
        Column(
            "key_project",
            "是否重点项目",
            Boolean(),
            variants=("重点项目",),
            help="是否列为重点项目",
            example="是",
        ),
        Column(
            "industry",
            "所属行业",
            industry_choice(),
            variants=("行业", "行业分类"),
            help="国民经济行业分类（GB/T 4754-2017）大类",
            example="13 农副食品加工业",
        ),
        Column("year", "计划年度", Year(), variants=("年度",), help="列入技改计划的年度", example="2018"),
    ]


def project_spec(adapter: DictAdapter | None = None) -> TableSpec:
    return TableSpec(
        name="projects",
        title="技改项目",
        columns=project_columns(),
        adapter=adapter or DictAdapter(),
        scope_column="unit",
    )
