"""Dated parameters: loaded from ``parameters/**/*.yaml``, checked when loaded, looked up by date.

A parameter's name is its path under ``parameters/`` with dots: ``parameters/3.1.1/rate.yaml`` is
``3.1.1.rate``. See README.md in this package for the file format and every parameter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .money import FEN, MAX_YUAN, format_yuan, format_yuan_zh, parse_decimal, too_large

DEFAULT_DIR = Path(__file__).resolve().parent / "parameters"


@dataclass(frozen=True)
class Spec:
    unit: str
    options: tuple[str, ...] = ()


#: Every parameter the rules read, with its unit. A file not listed here, or a name listed here with
#: no file, is an error when loading.
SCHEMA: dict[str, Spec] = {
    "3.1.1.rate": Spec("ratio"),
    "3.1.1.threshold_yuan": Spec("yuan"),
    "3.1.1.cap_yuan": Spec("yuan"),
    "3.1.1.max_period_months": Spec("months"),
    "3.1.2.national_awards_yuan": Spec("yuan_by_rank"),
    "3.1.2.provincial_awards_yuan": Spec("yuan_by_rank"),
    "3.1.2.industries": Spec("text_list"),
    "3.2.rate": Spec("ratio"),
    "3.2.threshold_yuan": Spec("yuan"),
    "3.2.cap_yuan": Spec("yuan"),
    "3.2.manufacturing_divisions": Spec("division_range"),
    "3.3.industrial_land_no_extra_price": Spec("flag"),
    "3.2.interest_mode_cap": Spec("choice", ("actual_interest", "one_percent")),
    "3.3.no_extra_land_price": Spec("flag"),
    "3.5.zero_approval_filing": Spec("flag"),
    "stacking": Spec("choice", ("both", "higher_only")),
    "cost_split.prefecture_share": Spec("ratio"),
    # The programme's own figures (targets, the monthly dispatch, the ranking and interviews): read by
    # the assessment and dispatch apps through ``jigai.core.programme``, not by the rules here.
    "programme.years": Spec("year_range"),
    "programme.base_year": Spec("year"),
    "2.1.a.industrial_growth": Spec("ratio"),
    "2.1.a.tech_growth": Spec("ratio"),
    "2.1.b.projects_per_year": Spec("count"),
    "2.1.b.unit_quotas": Spec("count_by_unit"),
    "2.1.c.coverage": Spec("ratio"),
    "2.2.a.champions_per_year": Spec("count"),
    "2.2.b.demonstrations_per_year": Spec("count"),
    "4.2.report_deadline_day": Spec("day_of_month"),
    "4.3.ranking_basis": Spec("choice", ("cumulative", "single")),
    "4.3.bottom_count": Spec("count"),
    "4.3.interview_levels": Spec("level_by_period", ("deputy", "principal")),
    "4.3.library_gap_share": Spec("ratio"),
    # 3.4 finance (docs/programme.md, readings 18 and 19): read by the finance app through
    # ``jigai.core.programme``: the banks' contribution score weights and the compensation ratio.
    "3.4.score_weight_amount": Spec("ratio"),
    "3.4.score_weight_projects": Spec("ratio"),
    "3.4.score_weight_needs": Spec("ratio"),
    "3.4.score_weight_intentions": Spec("ratio"),
    "3.4.compensation_ratio": Spec("ratio"),
}

#: ``4.3.interview_levels``: the two kinds of ranking period a level is set for.
PERIOD_KINDS = ("quarter", "half_year")

#: The parameters a clause needs; the clause is "in force" on a date only when all of them are.
CLAUSE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "3.1.1": (
        "3.1.1.rate",
        "3.1.1.threshold_yuan",
        "3.1.1.cap_yuan",
        "3.1.1.max_period_months",
        "cost_split.prefecture_share",
    ),
    "3.1.2": (
        "3.1.2.national_awards_yuan",
        "3.1.2.provincial_awards_yuan",
        "3.1.2.industries",
        "cost_split.prefecture_share",
    ),
    "3.2": (
        "3.2.rate",
        "3.2.threshold_yuan",
        "3.2.cap_yuan",
        "3.2.manufacturing_divisions",
        "3.2.interest_mode_cap",
        "stacking",
        "cost_split.prefecture_share",
    ),
    "3.3": ("3.3.industrial_land_no_extra_price", "3.3.no_extra_land_price"),
    "3.5": ("3.5.zero_approval_filing",),
}

_TOP_REQUIRED = ("description", "unit", "reference", "values")
_TOP_OPTIONAL = ("documentation",)
_REF_REQUIRED = ("clause", "text")
_REF_OPTIONAL = ("reading", "note")
_CLAUSE_ID = re.compile(r"^\d+(\.\d+)*(\.[a-z])?$")


class ParameterError(ValueError):
    """One or more problems in parameter files; each names the file and the key."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {m}" for f, k, m in problems))


class OverrideError(ValueError):
    """A ``--set PARAM=VALUE`` that names no parameter or carries a bad value."""


# --- YAML: no floats (numbers with a point stay text and become Decimal), no duplicate keys ----------


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int):
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --- values -----------------------------------------------------------------------------------------


def convert_value(unit: str, raw: Any, options: tuple[str, ...] = (), *, lenient: bool = False) -> Any:
    """Check and convert a raw value (from YAML, or a ``--set`` string when ``lenient``) for ``unit``."""
    if unit == "ratio":
        text = raw.strip() if isinstance(raw, str) else raw
        if lenient and isinstance(text, str) and text.endswith("%"):
            d = parse_decimal(text[:-1]) / 100
        else:
            d = parse_decimal(text)
        if not Decimal(0) <= d <= Decimal(1):
            raise ValueError(f"ratio must be between 0 and 1, got {raw}")
        return d.normalize() if d != 0 else Decimal(0)
    if unit == "yuan":
        d = parse_decimal(raw)
        if d < 0:
            raise ValueError(f"amount must not be negative, got {raw}")
        if d > MAX_YUAN:  # the platform's one bound (money.MAX_YUAN); keeps the batch path's fen in int64
            raise ValueError(too_large())
        if d.quantize(FEN) != d:
            raise ValueError(f"amount must be whole fen (2 decimals), got {raw}")
        return d.quantize(FEN)
    if unit == "months":
        if isinstance(raw, str) and lenient and raw.strip().isdigit():
            raw = int(raw.strip())
        if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
            raise ValueError(f"months must be a positive whole number, got {raw!r}")
        return raw
    if unit == "yuan_by_rank":
        if lenient and isinstance(raw, str):
            parts = [p for p in re.split(r"[,，/、]", raw) if p.strip()]
            raw = {i + 1: p.strip() for i, p in enumerate(parts)}
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError("expected a mapping rank → yuan, e.g. {1: 200000, 2: 100000, 3: 50000}")
        out = {}
        for rank, amount in raw.items():
            if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
                raise ValueError(f"rank must be a whole number ≥ 1, got {rank!r}")
            out[rank] = convert_value("yuan", amount)
        return dict(sorted(out.items()))
    if unit == "text_list":
        if lenient and isinstance(raw, str):
            raw = [p.strip() for p in re.split(r"[,，、]", raw) if p.strip()]
        if not isinstance(raw, list) or not raw or not all(isinstance(x, str) and x.strip() for x in raw):
            raise ValueError("expected a non-empty list of names")
        return tuple(x.strip() for x in raw)
    if unit == "division_range":
        if lenient and isinstance(raw, str) and re.match(r"^\s*\d+\s*-\s*\d+\s*$", raw):
            a, b = raw.split("-")
            raw = {"from": int(a), "to": int(b)}
        if not isinstance(raw, Mapping) or set(raw) != {"from", "to"}:
            raise ValueError("expected {from: 13, to: 43}")
        lo, hi = raw["from"], raw["to"]
        if not all(isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 99 for x in (lo, hi)):
            raise ValueError("division codes must be whole numbers 01–99")
        if lo > hi:
            raise ValueError(f"from {lo} is after to {hi}")
        return (lo, hi)
    if unit in ("count", "day_of_month", "year"):
        if isinstance(raw, str) and lenient and raw.strip().isdigit():
            raw = int(raw.strip())
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ValueError(f"expected a whole number, got {raw!r}")
        low, high = {"count": (0, 10**6), "day_of_month": (1, 28), "year": (1900, 2999)}[unit]
        if not low <= raw <= high:
            raise ValueError(f"expected a whole number {low}–{high}, got {raw}")
        return raw
    if unit == "year_range":
        if lenient and isinstance(raw, str) and re.match(r"^\s*\d{4}\s*-\s*\d{4}\s*$", raw):
            a, b = raw.split("-")
            raw = {"from": int(a), "to": int(b)}
        if not isinstance(raw, Mapping) or set(raw) != {"from", "to"}:
            raise ValueError("expected {from: 2018, to: 2020}")
        lo, hi = convert_value("year", raw["from"]), convert_value("year", raw["to"])
        if lo > hi:
            raise ValueError(f"from {lo} is after to {hi}")
        return tuple(range(lo, hi + 1))
    if unit == "count_by_unit":
        if lenient and isinstance(raw, str):
            pairs = [p.split(":") for p in re.split(r"[,，、]", raw) if p.strip()]
            if not all(len(p) == 2 for p in pairs):
                raise ValueError("expected CODE:COUNT, e.g. 422801:15,GXQ:15")
            raw = {a.strip(): b.strip() for a, b in pairs}
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError('expected a mapping unit code → count, e.g. {"422801": 15}')
        out_counts: dict[str, int] = {}
        for code, count in raw.items():
            if not isinstance(code, str) or not re.match(r"^[0-9A-Z]{2,12}$", code):
                raise ValueError(f'unit code must be text such as "422801" or "GXQ", got {code!r}')
            out_counts[code] = convert_value("count", count, lenient=lenient)
        return out_counts
    if unit == "level_by_period":
        if lenient and isinstance(raw, str):
            pairs = [p.split(":") for p in re.split(r"[,，、]", raw) if p.strip()]
            if not all(len(p) == 2 for p in pairs):
                raise ValueError("expected quarter:deputy,half_year:principal")
            raw = {a.strip(): b.strip() for a, b in pairs}
        if not isinstance(raw, Mapping) or set(raw) != set(PERIOD_KINDS):
            raise ValueError("expected {quarter: deputy, half_year: principal}")
        return {k: convert_value("choice", raw[k], options) for k in PERIOD_KINDS}
    if unit == "flag":
        if lenient and isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
            raw = raw.strip().lower() == "true"
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw
    if unit == "choice":
        if isinstance(raw, str):
            raw = raw.strip()
        if raw not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {raw!r}")
        return raw
    raise ValueError(f"unknown unit {unit!r}")


def jsonable(unit: str, value: Any) -> Any:
    if unit == "ratio":
        return format(value, "f")
    if unit == "yuan":
        return format_yuan(value)
    if unit == "yuan_by_rank":
        return {str(k): format_yuan(v) for k, v in value.items()}
    if unit == "text_list":
        return list(value)
    if unit == "division_range":
        return [value[0], value[1]]
    if unit == "year_range":
        return [value[0], value[-1]]
    if unit in ("count_by_unit", "level_by_period"):
        return dict(value)
    return value


def display(unit: str, value: Any) -> str:
    """Chinese display of a value, for explanations."""
    if unit == "ratio":
        return f"{(value * 100).normalize():f}%"
    if unit == "yuan":
        return f"{format_yuan_zh(value)}元"
    if unit == "months":
        return f"{value}个月"
    if unit == "yuan_by_rank":
        return "、".join(f"第{k}名{format_yuan_zh(v)}元" for k, v in value.items())
    if unit == "text_list":
        return "、".join(value)
    if unit == "division_range":
        return f"{value[0]:02d}–{value[1]:02d}大类"
    if unit == "flag":
        return "实行" if value else "不实行"
    if unit == "choice":
        return CHOICE_LABELS.get(value, str(value))
    if unit == "count":
        return str(value)
    if unit == "day_of_month":
        return f"{value}日"
    if unit == "year":
        return f"{value}年"
    if unit == "year_range":
        return f"{value[0]}—{value[-1]}年"
    if unit == "count_by_unit":
        return "、".join(f"{code} {n}" for code, n in value.items())
    if unit == "level_by_period":
        return "；".join(f"{CHOICE_LABELS[k]}→{CHOICE_LABELS[v]}" for k, v in value.items())
    return str(value)


CHOICE_LABELS = {
    "both": "可同时享受",
    "higher_only": "就高不重复",
    "cumulative": "累计同比",
    "single": "当期同比",
    "deputy": "分管领导",
    "principal": "主要领导",
    "quarter": "季度",
    "half_year": "半年度",
}


# --- model ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # inclusive; None = open-ended
    value: Any

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, kw_only=True)
class Parameter:
    name: str
    description: str
    unit: str
    clause: str
    text: str
    periods: tuple[Period, ...]
    source: str = ""
    options: tuple[str, ...] = ()
    note: str = ""  # reference.note: where the value is the platform's, not the text's

    def period_on(self, on: date) -> Period | None:
        for p in self.periods:
            if p.covers(on):
                return p
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParameterUsed:
    """A parameter value a decision used, with the period it is in force and the clause it comes from."""

    name: str
    value: Any  # JSON-able
    start: date
    end: date | None
    clause: str
    display: str
    raw: Any = field(default=None, compare=False)  # the value itself (Decimal, int, tuple …)
    text: str = field(default="", compare=False)  # the 原文 the parameter comes from (reference.text)
    note: str = field(default="", compare=False)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "clause": self.clause,
        }


@dataclass(frozen=True, kw_only=True)
class ClauseParams:
    """The values of one clause's parameters in force on ``on``."""

    clause: str
    on: date
    in_force: bool
    values: dict[str, Any]
    used: tuple[ParameterUsed, ...]
    missing: tuple[str, ...]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass(frozen=True)
class Override:
    """``name=value`` for every period, or ``name@YEAR=value`` for calendar year YEAR only."""

    name: str
    raw: str
    year: int | None = None

    def __str__(self) -> str:
        return f"{self.name}{'' if self.year is None else '@' + str(self.year)}={self.raw}"


def parse_override(text: str) -> Override:
    m = re.match(r"^\s*([A-Za-z0-9_.]+?)(?:@(\d{4}))?\s*=\s*(.*?)\s*$", text)
    if not m or not m.group(3):
        raise OverrideError(f"--set 应为 PARAM=VALUE 或 PARAM@YEAR=VALUE：{text!r}")
    year = int(m.group(2)) if m.group(2) else None
    if year is not None and not 1900 <= year <= 2999:
        raise OverrideError(f"--set 中的年度应在 1900–2999 之间：{text!r}")
    return Override(m.group(1), m.group(3), year)


class ParameterSet:
    """All parameters, immutable; lookups by (clause, date) are cached."""

    def __init__(self, parameters: Mapping[str, Parameter]):
        self._parameters = dict(parameters)
        self._cache: dict[tuple[str, date], ClauseParams] = {}

    def __getitem__(self, name: str) -> Parameter:
        return self._parameters[name]

    def __iter__(self):
        return iter(self._parameters.values())

    @property
    def names(self) -> list[str]:
        return sorted(self._parameters)

    def value_on(self, name: str, on: date) -> Any:
        p = self._parameters[name].period_on(on)
        return None if p is None else p.value

    def latest_on(self, name: str, on: date) -> ParameterUsed:
        """The value of ``name`` in force on ``on`` or, outside every period, that of the nearest period
        (the latest before ``on``, else the first): for the programme's own figures, which keep applying
        until a new programme's values are added (a rule of ``CLAUSE_PARAMETERS`` never uses this)."""
        param = self._parameters[name]
        period = param.period_on(on)
        if period is None:
            earlier = [p for p in param.periods if p.start <= on]
            period = (
                max(earlier, key=lambda p: p.start) if earlier else min(param.periods, key=lambda p: p.start)
            )
        return ParameterUsed(
            name=name,
            value=jsonable(param.unit, period.value),
            start=period.start,
            end=period.end,
            clause=param.clause,
            display=display(param.unit, period.value),
            raw=period.value,
            text=param.text,
            note=param.note,
        )

    def clause(self, clause: str, year: int) -> ClauseParams:
        """Parameters of ``clause`` for a year: those in force on 1 January of that year."""
        return self.clause_on(clause, date(year, 1, 1))

    def clause_on(self, clause: str, on: date) -> ClauseParams:
        key = (clause, on)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        values: dict[str, Any] = {}
        used: list[ParameterUsed] = []
        missing: list[str] = []
        for name in CLAUSE_PARAMETERS[clause]:
            param = self._parameters[name]
            period = param.period_on(on)
            if period is None:
                missing.append(name)
                continue
            values[name] = period.value
            used.append(
                ParameterUsed(
                    name=name,
                    value=jsonable(param.unit, period.value),
                    start=period.start,
                    end=period.end,
                    clause=param.clause,
                    display=display(param.unit, period.value),
                    raw=period.value,
                    text=param.text,
                    note=param.note,
                )
            )
        cp = ClauseParams(
            clause=clause,
            on=on,
            in_force=not missing,
            values=values,
            used=tuple(used),
            missing=tuple(missing),
        )
        self._cache[key] = cp
        return cp

    def clause_text(self, clause: str) -> str:
        """The 原文 a clause's decisions quote: the reference text of its own parameters (issue 13,
        point 4), whatever their periods."""
        for name in CLAUSE_PARAMETERS.get(clause, ()):
            param = self._parameters.get(name)
            if param is not None and param.clause == clause:
                return param.text
        return ""

    def years(self) -> list[int]:
        """Every calendar year touched by some period (open ends count as their start year)."""
        years: set[int] = set()
        for p in self._parameters.values():
            for period in p.periods:
                end = period.end or period.start
                years.update(range(period.start.year, end.year + 1))
        return sorted(years)

    def with_overrides(self, overrides: Iterable[Override | str]) -> ParameterSet:
        params = dict(self._parameters)
        for ov in overrides:
            if isinstance(ov, str):
                ov = parse_override(ov)
            if ov.name not in params:
                known = "、".join(sorted(params))
                raise OverrideError(f"未知参数 {ov.name!r}；可用参数：{known}")
            param = params[ov.name]
            try:
                value = convert_value(param.unit, ov.raw, param.options, lenient=True)
            except ValueError as exc:
                raise OverrideError(f"参数 {ov.name} 的取值无效：{exc}") from exc
            if ov.year is None:
                if not param.periods:
                    raise OverrideError(f"参数 {ov.name} 没有任何期间；请用 {ov.name}@YEAR=VALUE 指定年度")
                periods = tuple(Period(p.start, p.end, value) for p in param.periods)
            else:
                periods = _insert_period(param.periods, date(ov.year, 1, 1), date(ov.year, 12, 31), value)
            params[ov.name] = replace(param, periods=periods)
        return ParameterSet(params)

    def carried_forward(self, year: int) -> ParameterSet:
        """Every parameter with no value in force on 1 January ``year`` gets, for that calendar year, the
        value of its latest period before it (a what-if for extending the programme by a year)."""
        params = dict(self._parameters)
        first = date(year, 1, 1)
        for name, p in self._parameters.items():
            if p.period_on(first) is not None:
                continue
            earlier = [q for q in p.periods if q.start < first]
            if not earlier:
                continue
            latest = max(earlier, key=lambda q: q.start)
            periods = _insert_period(p.periods, first, date(year, 12, 31), latest.value)
            params[name] = replace(p, periods=periods)
        return ParameterSet(params)

    def describe(self) -> list[dict]:
        """Every parameter with its periods, JSON-able (for a page listing the parameters in force)."""
        out = []
        for name in self.names:
            p = self._parameters[name]
            out.append(
                {
                    "name": name,
                    "description": p.description,
                    "unit": p.unit,
                    "clause": p.clause,
                    "text": p.text,
                    "periods": [
                        {
                            "start": q.start.isoformat(),
                            "end": q.end.isoformat() if q.end else None,
                            "value": jsonable(p.unit, q.value),
                            "display": display(p.unit, q.value),
                        }
                        for q in p.periods
                    ],
                }
            )
        return out


def _insert_period(periods: tuple[Period, ...], start: date, end: date, value: Any) -> tuple[Period, ...]:
    out: list[Period] = []
    for p in periods:
        p_end = p.end or date.max
        if p_end < start or p.start > end:
            out.append(p)
            continue
        if p.start < start:
            out.append(Period(p.start, start - timedelta(days=1), p.value))
        if p_end > end:
            out.append(Period(end + timedelta(days=1), p.end, p.value))
    out.append(Period(start, end, value))
    return tuple(sorted(out, key=lambda q: q.start))


# --- loading ----------------------------------------------------------------------------------------


def _load_file(path: Path, name: str, spec: Spec, problems: list[tuple[str, str, str]]) -> Parameter | None:
    src = str(path)
    n_before = len(problems)

    def problem(key: str, message: str) -> None:
        problems.append((src, key, message))

    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader subclass
    except _DuplicateKey as exc:
        problem(str(exc.key), f"duplicate key on line {exc.line} (two values for one date overlap)")
        return None
    except yaml.YAMLError as exc:
        problem("(file)", f"invalid YAML: {exc}")
        return None
    if not isinstance(data, dict):
        problem("(file)", "expected a mapping with description, unit, reference, values")
        return None
    for key in data:
        if key not in _TOP_REQUIRED and key not in _TOP_OPTIONAL:
            problem(str(key), "unknown key")
    for key in _TOP_REQUIRED:
        if key not in data:
            problem(key, "missing key")
    if len(problems) > n_before:
        return None

    if not isinstance(data["description"], str) or not data["description"].strip():
        problem("description", "must be non-empty text")
    if data["unit"] != spec.unit:
        problem("unit", f"must be {spec.unit!r} for {name}, got {data['unit']!r}")
    ref = data["reference"]
    clause = text = note = ""
    if not isinstance(ref, dict):
        problem("reference", "missing reference: expected {clause, text}")
    else:
        for key in ref:
            if key not in _REF_REQUIRED and key not in _REF_OPTIONAL:
                problem(f"reference.{key}", "unknown key")
        for key in _REF_REQUIRED:
            if not isinstance(ref.get(key), str) or not ref.get(key, "").strip():
                problem(
                    f"reference.{key}", "missing reference " + ("clause id" if key == "clause" else "原文")
                )
        clause, text = str(ref.get("clause", "")).strip(), str(ref.get("text", "")).strip()
        note = str(ref.get("note", "") or "").strip()
        if clause and not _CLAUSE_ID.match(clause):
            problem("reference.clause", f"not a clause id: {clause!r}")

    values = data["values"]
    periods: list[Period] = []
    if not isinstance(values, dict) or not values:
        problem("values", "expected a mapping of dates to {value: …} entries")
    else:
        entries = []
        for key, entry in values.items():
            label = f"values.{key}"
            if not isinstance(key, date):
                problem(label, "key must be a date YYYY-MM-DD")
                continue
            if not isinstance(entry, dict):
                problem(label, "expected {value: …, end: …} or {expired: true}")
                continue
            unknown = set(entry) - {"value", "end", "expired"}
            for k in sorted(map(str, unknown)):
                problem(f"{label}.{k}", "unknown key")
            if entry.get("expired") is True:
                if set(entry) != {"expired"}:
                    problem(label, "an expired entry takes no value or end")
                entries.append((key, None, None, True))
                continue
            if "expired" in entry:
                problem(f"{label}.expired", "must be true when present")
                continue
            if "value" not in entry:
                problem(f"{label}.value", "missing key")
                continue
            try:
                value = convert_value(spec.unit, entry["value"], spec.options)
            except ValueError as exc:
                problem(f"{label}.value", str(exc))
                continue
            end = entry.get("end")
            if end is not None and not isinstance(end, date):
                problem(f"{label}.end", "must be a date YYYY-MM-DD")
                continue
            if end is not None and end < key:
                problem(f"{label}.end", f"ends {end} before it starts {key}")
                continue
            entries.append((key, end, value, False))
        entries.sort(key=lambda e: e[0])
        for i, (start, end, value, expired) in enumerate(entries):
            nxt = entries[i + 1][0] if i + 1 < len(entries) else None
            if expired:
                continue
            if end is not None and nxt is not None and end >= nxt:
                problem(f"values.{start}", f"period {start}–{end} overlaps the period starting {nxt}")
                continue
            if end is None and nxt is not None:
                end = nxt - timedelta(days=1)
            periods.append(Period(start, end, value))
    if len(problems) > n_before:
        return None
    return Parameter(
        name=name,
        description=data["description"].strip(),
        unit=spec.unit,
        clause=clause,
        text=text,
        periods=tuple(periods),
        source=src,
        options=spec.options,
        note=note,
    )


def load_parameters(directory: str | Path | None = None) -> ParameterSet:
    """Load and check every parameter file; raise ``ParameterError`` listing every problem."""
    root = Path(directory) if directory is not None else DEFAULT_DIR
    if not root.is_dir():
        raise ParameterError([(str(root), "(directory)", "parameter directory not found")])
    problems: list[tuple[str, str, str]] = []
    found: dict[str, Parameter] = {}
    seen: set[str] = set()
    for path in sorted(root.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(root)
        if path.suffix not in (".yaml", ".yml"):
            if path.name.lower() not in ("readme.md",):
                problems.append((str(path), "(file)", "not a .yaml parameter file"))
            continue
        name = ".".join((*rel.parts[:-1], path.stem))
        if name in seen:
            problems.append((str(path), "(file)", f"second file for parameter {name}"))
            continue
        seen.add(name)
        spec = SCHEMA.get(name)
        if spec is None:
            problems.append((str(path), "(file)", f"unknown parameter {name!r}"))
            continue
        param = _load_file(path, name, spec, problems)
        if param is not None:
            found[name] = param
    for name in SCHEMA:
        if name not in seen:
            problems.append((str(root), name, "missing parameter file"))
    if problems:
        raise ParameterError(problems)
    return ParameterSet(found)


@functools.lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """The parameters shipped with the package (loaded once)."""
    return load_parameters()
