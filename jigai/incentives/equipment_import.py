"""The equipment list (设备清单) of an application through the shared import engine (jigai/imports).

One table, built per application (the rows belong to it): 设备名称, 规格型号, 数量, 供应商, 发票号码, 金额,
with the headers enterprises write for them. A row is identified by (发票号码, 设备名称, 规格型号): the same
file imported twice changes nothing; a row that matches a stored line with other figures updates it.
Writes go through ``services.equipment_lines_save`` (the same checks as a line added by hand); the
engine rejects the whole file when any row is refused (``mode="all"``), naming the row and column.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

from jigai.imports import Column, ImportContext, Integer, Money, Row, RowError, TableSpec, Text

from . import services
from .models import Application

COLUMNS = [
    Column(
        "name",
        "设备名称",
        Text(max_length=100),
        required=True,
        variants=("名称", "设备（仪器）名称", "设备名", "品名"),
        example="数控加工中心",
    ),
    Column(
        "model",
        "规格型号",
        Text(max_length=100),
        variants=("型号", "规格", "型号规格", "规格及型号"),
        example="VMC-850",
    ),
    Column(
        "quantity",
        "数量",
        Integer(min_value=1, max_value=1_000_000, suffixes=("台", "套", "件", "个", "台套")),
        required=True,
        variants=("台数", "数量（台套）", "台（套）数"),
        example=2,
    ),
    Column(
        "supplier",
        "供应商",
        Text(max_length=100),
        required=True,
        variants=("供货单位", "供货商", "生产厂家", "销售单位", "供应单位"),
        example="湖北某机床有限公司",
    ),
    Column(
        "invoice_number",
        "发票号码",
        Text(max_length=40, halfwidth=True),
        required=True,
        variants=("发票号", "发票编号", "增值税发票号码"),
        example="04512345",
    ),
    Column(
        "amount_yuan",
        "金额",
        Money(unit="元"),
        required=True,
        variants=("设备金额", "价款", "发票金额", "合计金额", "设备价款", "价税合计"),
        example="1200000.00",
    ),
]


def _key(values: Mapping[str, Any]) -> Hashable | None:
    if "invoice_number" not in values or "name" not in values:
        return None
    return (values["invoice_number"], values["name"], values.get("model", ""))


class EquipmentAdapter:
    def __init__(self, application: Application):
        self.application = application

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        return _key(values)

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict[Hashable, dict]:
        out = {}
        for line in self.application.equipment_lines.order_by("id"):
            values = {
                "id": line.pk,
                "name": line.name,
                "model": line.model,
                "quantity": line.quantity,
                "supplier": line.supplier,
                "invoice_number": line.invoice_number,
                "amount_yuan": line.amount_yuan,
            }
            out[_key(values)] = values
        return {k: v for k, v in out.items() if k in keys}

    def check_row(self, row: Row, context: ImportContext) -> Iterable[RowError | str]:
        return []

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        services.equipment_lines_save(
            user=context.user,
            application=self.application,
            new_rows=[{"model": "", **r.values} for r in new_rows],
            changed=[
                (r.existing["id"], {k: new for k, (_old, new) in r.changes.items()}) for r in changed_rows
            ],
            source=context.source,
        )


def equipment_import_spec(application: Application) -> TableSpec:
    return TableSpec(
        name="equipment",
        title="设备清单",
        columns=COLUMNS,
        adapter=EquipmentAdapter(application),
        notes=(
            "每行一台（套）或同一发票的同类设备；金额按发票填写，单位为元。",
            "设备清单合计须等于申报设备投资。",
        ),
    )
