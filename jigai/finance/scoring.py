"""The banks' yearly contribution score to tech renovation (3.4 将银行对技改工程的贡献度纳入银行机构绩效评价考核),
as a pure calculation (standard library only), tested as tables.

docs/programme.md, reading 20: the text gives no formula. A bank's score for a year is
``100 × Σ weight × component`` over four components, each between 0 and 1:

- ``amount``: its loans to tech-renovation projects issued in the year, as a share of all banks' total;
- ``projects``: the number of distinct projects it lent to, as a share of the sum over banks;
- ``needs``: its loans issued against the platform's financing needs (应贷尽贷), as a share of all banks';
- ``intentions``: of the intentions it signed at matchmaking meetings that year, the part it lent on
  (its loans to those projects in the year ÷ the intentions' amount, at most 1; 0 without intentions).

The weights are the dated parameters ``3.4.score_weight_*``; they must add up to 1. Exact: fractions,
rounded half-up to 2 places once at the end. Ties rank by amount lent, then by the bank's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

COMPONENTS = ("amount", "projects", "needs", "intentions")
LABELS = {
    "amount": "技改贷款额占比",
    "projects": "支持项目数占比",
    "needs": "满足融资需求贷款额占比",
    "intentions": "对接会意向履约率",
}


@dataclass(frozen=True, kw_only=True)
class BankFacts:
    bank_id: int
    name: str
    amount: Decimal = Decimal(0)  # loans issued in the year (yuan)
    projects: int = 0  # distinct projects lent to in the year
    needs_amount: Decimal = Decimal(0)  # of which against financing needs
    intention_amount: Decimal = Decimal(0)  # intentions signed in the year
    intention_lent: Decimal = Decimal(0)  # its loans in the year to the projects of those intentions


@dataclass(frozen=True, kw_only=True)
class Score:
    bank_id: int
    name: str
    rank: int
    score: Decimal
    components: dict[str, Decimal]  # each 0–1, 4 places
    points: dict[str, Decimal]  # weight × component × 100, 2 places
    facts: BankFacts
    weights: dict[str, Decimal] = field(default_factory=dict)

    @property
    def parts(self) -> list[dict]:
        """The score's components for a page or the API: label, share and weight in %, points."""
        return [
            {
                "component": c,
                "label": LABELS[c],
                "share_percent": (self.components[c] * 100).quantize(Decimal("0.01")),
                "weight_percent": (self.weights[c] * 100).quantize(Decimal("0.01")),
                "points": self.points[c],
            }
            for c in COMPONENTS
        ]


class WeightsError(ValueError):
    pass


def _share(part, total) -> Fraction:
    total = Fraction(total)
    return Fraction(part) / total if total > 0 else Fraction(0)


def _q(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def check_weights(weights: dict[str, Decimal]) -> None:
    missing = [c for c in COMPONENTS if c not in weights]
    if missing:
        raise WeightsError(f"缺少评分权重：{'、'.join(LABELS[c] for c in missing)}")
    total = sum((Fraction(weights[c]) for c in COMPONENTS), Fraction(0))
    if total != 1:
        raise WeightsError(f"贡献度评分的四项权重之和应为1，现为 {float(total):g}")


def score_banks(facts: list[BankFacts], weights: dict[str, Decimal]) -> list[Score]:
    """Score and rank every bank in ``facts`` (docs/programme.md, reading 20)."""
    check_weights(weights)
    totals = {
        "amount": sum((f.amount for f in facts), Decimal(0)),
        "projects": sum(f.projects for f in facts),
        "needs": sum((f.needs_amount for f in facts), Decimal(0)),
    }
    rows = []
    for f in facts:
        comp = {
            "amount": _share(f.amount, totals["amount"]),
            "projects": _share(f.projects, totals["projects"]),
            "needs": _share(f.needs_amount, totals["needs"]),
            "intentions": min(Fraction(1), _share(f.intention_lent, f.intention_amount)),
        }
        exact = sum((Fraction(weights[c]) * comp[c] * 100 for c in COMPONENTS), Fraction(0))
        rows.append((exact, f, comp))
    rows.sort(key=lambda r: (-r[0], -r[1].amount, r[1].bank_id))
    out = []
    for i, (exact, f, comp) in enumerate(rows, start=1):
        out.append(
            Score(
                bank_id=f.bank_id,
                name=f.name,
                rank=i,
                score=_q(exact, "0.01"),
                components={c: _q(comp[c], "0.0001") for c in COMPONENTS},
                points={c: _q(Fraction(weights[c]) * comp[c] * 100, "0.01") for c in COMPONENTS},
                facts=f,
                weights={c: Decimal(weights[c]) for c in COMPONENTS},
            )
        )
    return out
