"""The ledger as .xlsx (the shared writer: formula-safe, exact amounts)."""

from __future__ import annotations

from jigai.documents.spreadsheets import Sheet, write_xlsx

from .ledger import labelled


def ledger_xlsx(book) -> bytes:
    budgets = Sheet(
        title="预算执行",
        caption=f"{book.year}年奖补资金预算执行情况（单位：元）",
        headers=["年度", "级次", "单位", "预算安排", "已批准待拨付", "已拨付", "结余", "与事项核对"],
        kinds=["int", "text", "text", "decimal", "decimal", "decimal", "decimal", "text"],
        rows=[
            (
                b.year,
                b.level_label,
                b.unit_name,
                b.allocated_yuan,
                b.committed_yuan,
                b.paid_yuan,
                b.remaining_yuan,
                "相符" if b.reconciled else "不符",
            )
            for b in book.budgets
        ],
    )
    items = Sheet(
        title="奖补事项",
        caption=f"{book.year}年奖补资金台账（单位：元）",
        headers=[
            "事项编号", "来源", "企业", "项目", "报送单位", "条款", "应得", "报批", "批准", "已拨付", "应追回", "状态", "拨付日期",
        ],
        kinds=[
            "int", "text", "text", "text", "text", "text", "decimal", "decimal", "decimal", "decimal", "decimal", "text", "date",
        ],
        rows=(
            (
                r["pk"],
                r["source"],
                r["enterprise__name"],
                r["project__name"] or "",
                r["region__name"],
                r["clause"],
                r["entitled_yuan"],
                r["proposed_yuan"],
                r["approved_yuan"],
                r["paid_yuan"],
                r["recover_yuan"],
                r["state_label"],
                r["paid_on"],
            )
            for r in labelled(book.item_values.iterator(chunk_size=5000))
        ),
    )  # fmt: skip
    return write_xlsx([budgets, items])
