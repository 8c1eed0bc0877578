"""Which interviews (约谈) a round of rankings opens (4.3; docs/programme.md, reading 12). Standard library only.

Bottom group of a quarter → the unit's deputy leader in charge (分管领导); of a half-year → its principal
leader (主要领导). June closes Q2 and H1, December Q4 and H2: a unit in both bottom groups has one
interview, with the principal leader and the deputy leader attending. A unit in the half-year's bottom
group only is interviewed at the principal level without the deputy being required to attend.

Which leader each kind of period calls is the dated parameter ``4.3.interview_levels``
(``jigai/policy/parameters/4.3/``): the apps pass the installation's value; without one the shipped value
for the round's year applies. When the two periods of a round call different levels, the higher
(principal) holds the one interview and the other attends; when they call the same level, that level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .ranking import RankingResult, RankRow, shipped

__all__ = ["DEPUTY", "LEVELS", "PRINCIPAL", "CaseDraft", "cases_for_round"]

DEPUTY = "deputy"
PRINCIPAL = "principal"
LEVELS = {DEPUTY: "分管领导", PRINCIPAL: "主要领导"}
_COUNT = {1: "一", 2: "两", 3: "三"}


@dataclass(frozen=True)
class CaseDraft:
    region_code: str
    name: str
    level: str
    deputy_attends: bool
    periods: tuple[str, ...]  # the periods whose bottom group the unit is in, quarter first
    rows: dict[str, RankRow]  # period code → the unit's row in that ranking
    explanation: str

    @property
    def level_label(self) -> str:
        return LEVELS[self.level] + ("（分管领导参加）" if self.deputy_attends else "")

    def as_dict(self) -> dict:
        return {
            "region_code": self.region_code,
            "name": self.name,
            "level": self.level,
            "level_label": self.level_label,
            "deputy_attends": self.deputy_attends,
            "periods": list(self.periods),
            "figures": {p: self.rows[p].as_dict() for p in self.periods},
            "explanation": self.explanation,
        }


def _level_of(res: RankingResult, levels: Mapping[str, str]) -> str:
    return levels["quarter" if res.period.is_quarter else "half_year"]


def cases_for_round(
    results: Sequence[RankingResult], *, levels: Mapping[str, str] | None = None
) -> list[CaseDraft]:
    """The cases opened by the rankings of one period end (one or two results, each with a period).
    Principal-level cases first, then the lowest ranked first. ``levels``: ``4.3.interview_levels``."""
    periods = [r.period for r in results]
    if any(p is None for p in periods):
        raise ValueError("every ranking of a round needs its period")
    ends = {(p.year, p.end_month) for p in periods}
    if len(ends) > 1:
        raise ValueError("the rankings of a round end in the same month")
    if levels is None and periods:
        levels = shipped("4.3.interview_levels", periods[0].year)
    results = sorted(results, key=lambda r: (not r.period.is_quarter, r.period.index))
    hits: dict[str, list[tuple[RankingResult, RankRow]]] = {}
    for result in results:
        for row in result.rows:
            if row.bottom:
                hits.setdefault(row.region_code, []).append((result, row))
    cases = []
    for code, found in hits.items():
        called = {_level_of(res, levels) for res, _row in found}
        level = PRINCIPAL if PRINCIPAL in called else DEPUTY
        deputy_attends = called == {PRINCIPAL, DEPUTY}
        parts = []
        for res, row in found:
            who = LEVELS[_level_of(res, levels)]
            parts.append(
                f"{res.period.label}技改投入增幅排名第 {row.rank} 位（后{_COUNT.get(res.bottom_count, res.bottom_count)}位）→ 约谈{who}"
            )
        if deputy_attends:
            parts.append("同一期末两项均触发，按解读12合并为一次约谈：约谈主要领导，分管领导参加")
        name = found[0][1].name
        cases.append(
            CaseDraft(
                region_code=code,
                name=name,
                level=level,
                deputy_attends=deputy_attends,
                periods=tuple(str(res.period) for res, _ in found),
                rows={str(res.period): row for res, row in found},
                explanation="；".join(parts) + "（4.3，解读12）。",
            )
        )
    cases.sort(key=lambda c: (c.level != PRINCIPAL, -max(r.rank for r in c.rows.values()), c.region_code))
    return cases
