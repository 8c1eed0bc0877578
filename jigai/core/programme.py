"""The programme's own figures, as this installation uses them: targets (2.1, 2.2), the monthly dispatch's
deadline (4.2), the ranking and its interviews (4.3), the programme's years.

They are dated parameters of ``jigai.policy`` (``jigai/policy/parameters/{programme,2.1.*,2.2.*,4.2,4.3}/``,
each with its clause and 原文), loaded by the same loader as the incentive rules: a new programme is new
values in those files, not new code. An installation may override any of them with the policy's own
``PARAM=VALUE`` / ``PARAM@YEAR=VALUE`` syntax in the setting ``JIGAI_PROGRAMME_OVERRIDES`` (a list).

A figure of a year is the value in force on 1 January of that year; a year outside every period (the
platform still runs after 2020) uses the nearest period's value, so the last programme's figures keep
applying until a new programme's are added (``ParameterSet.latest_on``). Every reader gets the
``ParameterUsed`` record beside the value, so a page or a published bulletin can show what it used.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings

from jigai.policy.params import ParameterSet, ParameterUsed, default_parameters

__all__ = [
    "ProgrammeTargets",
    "RankingRules",
    "deadline_day",
    "figure",
    "parameters",
    "ranking_rules",
    "targets",
    "value",
]


def parameters() -> ParameterSet:
    """The shipped parameters with this installation's ``JIGAI_PROGRAMME_OVERRIDES`` applied."""
    return _with_overrides(tuple(getattr(settings, "JIGAI_PROGRAMME_OVERRIDES", ()) or ()))


@functools.lru_cache(maxsize=8)
def _with_overrides(overrides: tuple[str, ...]) -> ParameterSet:
    base = default_parameters()
    return base.with_overrides(overrides) if overrides else base


def figure(name: str, year: int) -> ParameterUsed:
    """The figure ``name`` for ``year``, with its period and clause (``.raw`` is the value itself)."""
    return parameters().latest_on(name, dt.date(year, 1, 1))


def value(name: str, year: int) -> Any:
    return figure(name, year).raw


def deadline_day(year: int) -> int:
    """4.2: a month's report is due on this day of the following month."""
    return value("4.2.report_deadline_day", year)


@dataclass(frozen=True, kw_only=True)
class ProgrammeTargets:
    """2.1.a–c and 2.2.a–b for one year, exact, with the records of the values used."""

    industrial_growth: Fraction
    tech_growth: Fraction
    projects_per_year: int
    unit_quotas: dict[str, int]
    coverage: Fraction
    champions_per_year: int
    demonstrations_per_year: int
    years: tuple[int, ...]
    base_year: int
    used: tuple[ParameterUsed, ...]

    def quota(self, unit_code: str) -> int:
        """2.1.b: the unit's yearly quota (0 for a unit the programme gives none)."""
        return self.unit_quotas.get(unit_code, 0)


TARGET_PARAMETERS = (
    "2.1.a.industrial_growth",
    "2.1.a.tech_growth",
    "2.1.b.projects_per_year",
    "2.1.b.unit_quotas",
    "2.1.c.coverage",
    "2.2.a.champions_per_year",
    "2.2.b.demonstrations_per_year",
    "programme.years",
    "programme.base_year",
)


def targets(year: int) -> ProgrammeTargets:
    used = {name: figure(name, year) for name in TARGET_PARAMETERS}
    raw = {name: u.raw for name, u in used.items()}
    return ProgrammeTargets(
        industrial_growth=Fraction(raw["2.1.a.industrial_growth"]),
        tech_growth=Fraction(raw["2.1.a.tech_growth"]),
        projects_per_year=raw["2.1.b.projects_per_year"],
        unit_quotas=dict(raw["2.1.b.unit_quotas"]),
        coverage=Fraction(raw["2.1.c.coverage"]),
        champions_per_year=raw["2.2.a.champions_per_year"],
        demonstrations_per_year=raw["2.2.b.demonstrations_per_year"],
        years=tuple(raw["programme.years"]),
        base_year=raw["programme.base_year"],
        used=tuple(used.values()),
    )


@dataclass(frozen=True, kw_only=True)
class RankingRules:
    """4.3 for one year: the growth basis, the size of the bottom group, who is interviewed, and the
    library-vs-official gap that is flagged (docs/programme.md, reading 10)."""

    basis: str
    bottom_count: int
    interview_levels: dict[str, str]  # "quarter" / "half_year" → "deputy" / "principal"
    library_gap: Fraction
    used: tuple[ParameterUsed, ...]


RANKING_PARAMETERS = (
    "4.3.ranking_basis",
    "4.3.bottom_count",
    "4.3.interview_levels",
    "4.3.library_gap_share",
)


def ranking_rules(year: int) -> RankingRules:
    used = {name: figure(name, year) for name in RANKING_PARAMETERS}
    raw = {name: u.raw for name, u in used.items()}
    return RankingRules(
        basis=raw["4.3.ranking_basis"],
        bottom_count=raw["4.3.bottom_count"],
        interview_levels=dict(raw["4.3.interview_levels"]),
        library_gap=Fraction(raw["4.3.library_gap_share"]),
        used=tuple(used.values()),
    )


#: Settings that held programme figures before they became parameters, with the parameter now in charge.
FORMER_SETTINGS = {
    "JIGAI_REPORT_DEADLINE_DAY": "4.2.report_deadline_day",
    "JIGAI_DISPATCH_LIBRARY_GAP": "4.3.library_gap_share",
    "JIGAI_TARGET_INDUSTRIAL_GROWTH": "2.1.a.industrial_growth",
    "JIGAI_TARGET_TECH_GROWTH": "2.1.a.tech_growth",
    "JIGAI_TARGET_PROJECTS_PER_YEAR": "2.1.b.projects_per_year",
}


def check_settings(app_configs=None, **kwargs) -> list:
    """Django system check: the overrides parse, and no former setting is silently ignored."""
    from django.core.checks import Error, Warning

    out = []
    try:
        parameters()
    except ValueError as exc:
        out.append(Error(f"JIGAI_PROGRAMME_OVERRIDES 无效：{exc}", id="jigai.E101"))
    for old, name in FORMER_SETTINGS.items():
        if hasattr(settings, old):
            out.append(
                Warning(
                    f"设置 {old} 已不再使用：该数字现为方案参数 {name}",
                    hint=f'改用 JIGAI_PROGRAMME_OVERRIDES = ["{name}=…"]（docs/operator-guide.md）',
                    id="jigai.W101",
                )
            )
    return out
