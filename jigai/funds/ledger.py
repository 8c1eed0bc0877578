"""The ledger (台账) of one year: every budget with what is committed and paid, every item with what was
entitled, approved and paid, and the check that the two reconcile.

Built with a fixed number of queries whatever the number of units, items and payments (aggregates in
the database, rows streamed with ``values()``), so a province-scale year builds in well under a second
(benchmarks/ledger.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from jigai.core import reference
from jigai.core.money import ZERO
from jigai.core.money_fields import MoneySum

from .models import COMMITTED_STATES, STATE_TONE, UNAPPROVED_STATES, Budget, Clause, ItemState, Level, Payment
from .selectors import budget_queryset, item_queryset


@dataclass
class BudgetRow:
    year: int
    level: str
    unit_code: str
    unit_name: str
    allocated_yuan: Decimal
    committed_yuan: Decimal
    paid_yuan: Decimal
    # What the items say the budget holds: equal to the two above when the ledger reconciles.
    items_committed_yuan: Decimal = ZERO
    items_paid_yuan: Decimal = ZERO

    @property
    def remaining_yuan(self) -> Decimal:
        return self.allocated_yuan - self.committed_yuan - self.paid_yuan

    @property
    def reconciled(self) -> bool:
        return (self.committed_yuan, self.paid_yuan) == (self.items_committed_yuan, self.items_paid_yuan)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "level": LEVEL_SHORT[self.level],
            "unit": self.unit_code,
            "allocated_yuan": f"{self.allocated_yuan:.2f}",
            "committed_yuan": f"{self.committed_yuan:.2f}",
            "paid_yuan": f"{self.paid_yuan:.2f}",
            "remaining_yuan": f"{self.remaining_yuan:.2f}",
        }


ITEM_FIELDS = (
    "pk",
    "source",
    "seq",
    "project_id",
    "project__name",
    "enterprise_id",
    "enterprise__name",
    "region__code",
    "region__name",
    "clause",
    "entitled_yuan",
    "proposed_yuan",
    "approved_yuan",
    "paid_yuan",
    "recover_yuan",
    "state",
    "paid_on",
)


def labelled(rows):
    """The item rows with their state's and clause's labels in the active language (``state_label``,
    ``clause_label``: Chinese in the exports, which run under ``translation.override("zh-hans")``) and the
    state's tag colour (``state_tone``), and whether no approved amount stands (``unapproved``: not decided yet, or refused)."""
    states = {k: str(v) for k, v in ItemState.choices}
    clauses = {k: str(v) for k, v in Clause.choices}
    for r in rows:
        r["state_label"] = states.get(r["state"], r["state"])
        r["clause_label"] = clauses.get(r["clause"], r["clause"])
        r["state_tone"] = STATE_TONE.get(r["state"], "")
        r["unapproved"] = r["state"] in UNAPPROVED_STATES
        yield r


@dataclass
class Ledger:
    year: int
    budgets: list[BudgetRow]
    item_values: object  # the filtered items as a values() query: paged by the page, streamed by exports
    totals: dict = field(default_factory=dict)

    @cached_property
    def items(self) -> list[dict]:
        return list(labelled(self.item_values.iterator(chunk_size=5000)))

    @property
    def reconciled(self) -> bool:
        return all(b.reconciled for b in self.budgets)


PREFECTURE_CODE = reference.PREFECTURE[0]  # the prefecture's own division code, 422800
# The unit of the prefecture's own budget: its name (恩施州), not its level again (州级 · 州级).
PREFECTURE_NAME = reference.PREFECTURE[2]
LEVEL_SHORT = {Level.PREFECTURE: "州", Level.COUNTY: "县市"}


def _key(level: str, region_id):
    return (level, None if level == Level.PREFECTURE else region_id)


def build(
    user,
    year: int,
    *,
    unit: str | None = None,
    clause: str | None = None,
    state: str | None = None,
) -> Ledger:
    """The ledger of ``year`` as ``user`` may see it (a clerk: their unit only), optionally for one unit
    (a reporting unit's code; its county budget, and the items it shares the cost of)."""
    budgets = budget_queryset(user).filter(year=year)
    items = item_queryset(user).filter(year=year)
    if unit:
        budgets = budgets.filter(level=Level.COUNTY, region__code=unit)
        items = items.filter(region__code=unit)
    # What the items hold, per budget: paid = active payments; committed = committed items' shares not paid.
    paid = {}
    for row in (
        Payment.objects.filter(item__in=items.values("pk"), reversed_at__isnull=True)
        .values("level", "item__region_id")
        .annotate(total=MoneySum("amount_yuan"))
    ):
        k = _key(row["level"], row["item__region_id"])
        paid[k] = paid.get(k, ZERO) + row["total"]
    committed_items = items.filter(state__in=COMMITTED_STATES)
    committed = {}
    for row in committed_items.values("region_id").annotate(
        pref=MoneySum("prefecture_share_yuan"), county=MoneySum("county_share_yuan")
    ):
        committed[(Level.PREFECTURE, None)] = committed.get((Level.PREFECTURE, None), ZERO) + row["pref"]
        k = (Level.COUNTY, row["region_id"])
        committed[k] = committed.get(k, ZERO) + row["county"]
    for row in (
        Payment.objects.filter(item__in=committed_items.values("pk"), reversed_at__isnull=True)
        .values("level", "item__region_id")
        .annotate(total=MoneySum("amount_yuan"))
    ):
        k = _key(row["level"], row["item__region_id"])
        committed[k] = committed.get(k, ZERO) - row["total"]

    rows = [
        BudgetRow(
            year=b.year,
            level=b.level,
            unit_code=b.region.code if b.region_id else PREFECTURE_CODE,
            unit_name=b.region.name if b.region_id else PREFECTURE_NAME,
            allocated_yuan=b.allocated_yuan,
            committed_yuan=b.committed_yuan,
            paid_yuan=b.paid_yuan,
            items_committed_yuan=committed.get((b.level, b.region_id), ZERO),
            items_paid_yuan=paid.get((b.level, b.region_id), ZERO),
        )
        for b in budgets.order_by("-level", "region__sort_order", "region__code")
    ]
    listed = items
    if clause:
        listed = listed.filter(clause=clause)
    if state:
        listed = listed.filter(state=state)
    item_values = listed.order_by("region__sort_order", "enterprise__name", "source", "seq").values(
        *ITEM_FIELDS
    )
    totals = {
        "allocated_yuan": sum((r.allocated_yuan for r in rows), ZERO),
        "committed_yuan": sum((r.committed_yuan for r in rows), ZERO),
        "paid_yuan": sum((r.paid_yuan for r in rows), ZERO),
        "remaining_yuan": sum((r.remaining_yuan for r in rows), ZERO),
    }
    return Ledger(year=year, budgets=rows, item_values=item_values, totals=totals)


def item_dict(r: dict) -> dict:
    """One item of the CLI's and the API's ledger: amounts as strings with two decimals."""
    out = {"project_id": r["project_id"]} if r["project_id"] else {"enterprise_id": r["enterprise_id"]}
    out.update(
        {
            "clause": r["clause"],
            "entitled_yuan": f"{r['entitled_yuan']:.2f}",
            "approved_yuan": f"{r['approved_yuan']:.2f}",
            "paid_yuan": f"{r['paid_yuan']:.2f}",
            "state": r["state_label"],
        }
    )
    return out


def statement(user, enterprise_id: int) -> list[dict]:
    """Every item of one enterprise across years (its statement, 对账单), oldest first."""
    return list(
        item_queryset(user)
        .filter(enterprise_id=enterprise_id)
        .prefetch_related("payments")
        .order_by("year", "source", "seq")
    )


def budget_years(user) -> list[int]:
    return sorted(
        set(budget_queryset(user).values_list("year", flat=True))
        | set(item_queryset(user).values_list("year", flat=True).distinct())
    )


__all__ = ["Budget", "BudgetRow", "Ledger", "budget_years", "build", "item_dict", "statement"]
