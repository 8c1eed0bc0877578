"""The batch path: the same rules as ``rules.py`` (3.1.1, 3.2, stacking) over NumPy columns.

Money is int64 fen and every rate a fraction num/den taken exactly from its ``Decimal``, so
``amount_fen = (base_fen * num * 2 + den) // (2 * den)`` is the scalar path's half-up rounding, exactly.
No floats touch money. Each clause's result carries the same reason codes as the scalar decision, as a
bitmask (``decision.BIT``). Tests and ``benchmarks/policy.py`` prove batch == one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from .decision import BIT, OUTCOMES, REASON_CODES
from .inputs import Project
from .money import ZERO, fen_to_yuan, yuan_to_fen
from .params import ParameterSet, default_parameters

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_U = np.uint64
#: Every intermediate of the int64 fast path stays below this (issue 13, point 1): a year whose
#: parameters would take ``base * num * 2 + den`` (or the cost split's) past it is computed with exact
#: Python integers instead, so the batch path equals the Decimal path under any parameter the loader
#: accepts (ratios up to 40 digits, amounts up to ``money.MAX_YUAN``).
_INT64_LIMIT = 2**62


@dataclass
class ProjectColumns:
    """Projects as columns. ``plan_year`` 0 = not listed; ``division`` 0 = unknown; verified amounts -1
    = none yet. Dates are ``datetime64[D]``; amounts int64 fen."""

    registered: np.ndarray
    conforming: np.ndarray
    plan_year: np.ndarray
    division: np.ndarray
    key_project: np.ndarray
    start: np.ndarray
    completion: np.ndarray
    in_production: np.ndarray
    equipment_fen: np.ndarray
    fixed_asset_fen: np.ndarray
    verified_equipment_fen: np.ndarray
    verified_fixed_asset_fen: np.ndarray
    project_id: np.ndarray | None = None
    region_code: np.ndarray | None = None
    # 3.2 as 贷款贴息 (docs/programme.md, reading 15): interest paid in fen; -1 or no column = 项目奖补
    interest_fen: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.registered)

    def take(self, index: slice | np.ndarray) -> ProjectColumns:
        """A subset of the rows (a slice is a view: no copy)."""
        return ProjectColumns(
            **{
                f: (None if getattr(self, f) is None else getattr(self, f)[index])
                for f in self.__dataclass_fields__
            }
        )

    @classmethod
    def from_projects(cls, projects: Sequence[Project]) -> ProjectColumns:
        def fen(d: Decimal | None) -> int:
            return -1 if d is None else yuan_to_fen(d)

        def days(values: list[date]) -> np.ndarray:
            return (np.array([d.toordinal() for d in values], dtype=np.int64) - _EPOCH_ORDINAL).astype(
                "datetime64[D]"
            )

        ps = list(projects)
        return cls(
            registered=np.array([p.registered_in_prefecture for p in ps], dtype=bool),
            conforming=np.array([p.conforms_industrial_policy for p in ps], dtype=bool),
            plan_year=np.array([p.plan_year or 0 for p in ps], dtype=np.int32),
            division=np.array([int(p.industry_division or 0) for p in ps], dtype=np.int16),
            key_project=np.array([p.key_project for p in ps], dtype=bool),
            start=days([p.start_date for p in ps]),
            completion=days([p.completion_date for p in ps]),
            in_production=np.array([p.in_production for p in ps], dtype=bool),
            equipment_fen=np.array([fen(p.equipment_investment_yuan) for p in ps], dtype=np.int64),
            fixed_asset_fen=np.array([fen(p.fixed_asset_investment_yuan) for p in ps], dtype=np.int64),
            verified_equipment_fen=np.array(
                [fen(p.verified_equipment_investment_yuan) for p in ps], dtype=np.int64
            ),
            verified_fixed_asset_fen=np.array(
                [fen(p.verified_fixed_asset_investment_yuan) for p in ps], dtype=np.int64
            ),
            project_id=np.array([p.project_id for p in ps], dtype=object),
            region_code=np.array([p.region_code or "" for p in ps], dtype=object),
            interest_fen=np.array(
                [
                    fen(p.interest_paid_yuan if p.interest_paid_yuan is not None else ZERO)
                    if p.support_mode == "loan_interest"
                    else -1
                    for p in ps
                ],
                dtype=np.int64,
            ),
        )

    def to_projects(self) -> list[Project]:
        """Back to ``Project`` objects (for the one-by-one path in tests and the benchmark)."""
        start = self.start.astype(np.int64).tolist()
        completion = self.completion.astype(np.int64).tolist()
        epoch = date(1970, 1, 1)
        ids = self.project_id.tolist() if self.project_id is not None else [str(i) for i in range(len(self))]
        regions = self.region_code.tolist() if self.region_code is not None else [""] * len(self)
        interest = self.interest_fen.tolist() if self.interest_fen is not None else [-1] * len(self)

        def yuan(f: int) -> Decimal | None:
            return None if f < 0 else fen_to_yuan(f)

        return [
            Project(
                project_id=ids[i],
                registered_in_prefecture=reg,
                conforms_industrial_policy=conf,
                plan_year=py or None,
                industry_division=f"{div:02d}" if div else None,
                key_project=key,
                start_date=epoch + timedelta(days=s),
                completion_date=epoch + timedelta(days=c),
                in_production=prod,
                equipment_investment_yuan=fen_to_yuan(eq),
                fixed_asset_investment_yuan=fen_to_yuan(fa),
                verified_equipment_investment_yuan=yuan(veq),
                verified_fixed_asset_investment_yuan=yuan(vfa),
                region_code=regions[i] or None,
                support_mode="loan_interest" if interest[i] >= 0 else None,
                interest_paid_yuan=yuan(interest[i]),
            )
            for i, (reg, conf, py, div, key, s, c, prod, eq, fa, veq, vfa) in enumerate(
                zip(
                    self.registered.tolist(),
                    self.conforming.tolist(),
                    self.plan_year.tolist(),
                    self.division.tolist(),
                    self.key_project.tolist(),
                    start,
                    completion,
                    self.in_production.tolist(),
                    self.equipment_fen.tolist(),
                    self.fixed_asset_fen.tolist(),
                    self.verified_equipment_fen.tolist(),
                    self.verified_fixed_asset_fen.tolist(),
                    strict=True,
                )
            )
        ]


@dataclass
class ClauseResult:
    """One clause over all projects: outcome index into ``decision.OUTCOMES`` (0 ineligible, 1 eligible,
    2 review), amount in fen, flags, reason bitmask, the parameter year, and the cost split in fen."""

    clause: str
    outcome: np.ndarray
    amount_fen: np.ndarray
    capped: np.ndarray
    estimate: np.ndarray
    reasons: np.ndarray
    year: np.ndarray
    prefecture_fen: np.ndarray
    county_fen: np.ndarray

    def total_fen(self) -> int:
        return exact_sum(self.amount_fen)

    def row(self, i: int) -> dict:
        bits = int(self.reasons[i])
        return {
            "clause": self.clause,
            "decision": OUTCOMES[int(self.outcome[i])],
            "amount_fen": int(self.amount_fen[i]),
            "capped": bool(self.capped[i]),
            "estimate": bool(self.estimate[i]),
            "reason_codes": frozenset(c for c in REASON_CODES if bits & BIT[c]),
            "year": int(self.year[i]) or None,
        }


@dataclass
class BatchResult:
    equipment: ClauseResult  # 3.1.1
    large: ClauseResult  # 3.2

    def __getitem__(self, clause: str) -> ClauseResult:
        return {"3.1.1": self.equipment, "3.2": self.large}[clause]

    def total_fen(self) -> int:
        return self.equipment.total_fen() + self.large.total_fen()


def exact_sum(values: np.ndarray) -> int:
    """The exact sum of int64 fen: in int64 when it cannot overflow (every amount at most a cap below
    ``money.MAX_YUAN``, but 10^6 of them can pass 2^63), else as Python integers."""
    if values.size == 0:
        return 0
    bound = max(abs(int(values.max())), abs(int(values.min())))
    if bound * values.size < _INT64_LIMIT:
        return int(values.sum(dtype=np.int64))
    return sum(values.tolist())


def _frac(d: Decimal) -> tuple[int, int]:
    num, den = d.as_integer_ratio()
    return num, den


class _Tables:
    """Per-year parameter arrays for one clause, indexed by ``year - y0``.

    ``cols`` are int64; ``exact`` holds the same values as Python integers, and ``fast[k]`` says whether
    year k's money arithmetic fits int64 (see ``_int64_safe``). For a year that does not, the int64
    ratio columns hold 0/1 and its rows are computed from ``exact`` (``_amount``, ``_split``)."""

    def __init__(self, params: ParameterSet, clause: str, years: np.ndarray, *, zero_unlisted: bool = False):
        """``years`` of the rows; with ``zero_unlisted`` (3.1.1) year 0 marks a row with no year."""
        y0 = y1 = 2018
        if years.size:
            lo, hi = int(years.min()), int(years.max())
            if zero_unlisted and lo == 0 and hi > 0:
                # The first listed year by a short histogram of the (non-negative) years rather than a
                # masked reduction over every row.
                if hi < 10_000:
                    lo = 1 + int(np.flatnonzero(np.bincount(years)[1:])[0])
                else:
                    lo = int(np.min(years, where=years != 0, initial=hi))
            if not (zero_unlisted and hi == 0):
                y0, y1 = lo, hi
        y0, y1 = max(y0, 1), min(max(y1, y0), 9998)
        self.y0 = y0
        n = y1 - y0 + 1
        self.in_force = np.zeros(n, dtype=bool)
        self.fast = np.ones(n, dtype=bool)
        self.cols: dict[str, np.ndarray] = {}
        self.exact: dict[str, list[int]] = {}
        for k in range(n):
            cp = params.clause(clause, y0 + k)
            if not cp.in_force:
                continue
            self.in_force[k] = True
            flat = dict(kv for name, value in cp.values.items() for kv in _flatten(name, value))
            self.fast[k] = _int64_safe(flat)
            for key, v in flat.items():
                col = self.cols.get(key)
                if col is None:
                    col = self.cols[key] = np.zeros(n, dtype=np.int64)
                    self.exact[key] = [0] * n
                self.exact[key][k] = v
                if self.fast[k] or not (key.endswith("_num") or key.endswith("_den")):
                    col[k] = v
        for key, col in self.cols.items():
            if key.endswith("_den"):
                col[col == 0] = 1  # years not in force or computed exactly: any divisor, masked out
        # A key whose value is the same in every year in force (the programme's one period, or a what-if
        # that changes one year) is a scalar: no per-row lookup, and NumPy divides by a scalar far faster
        # than by an array. Only rows of years in force use these values.
        years_in_force = np.flatnonzero(self.in_force)
        self.scalars: dict[str, np.int64] = {}
        if years_in_force.size and self.all_fast:
            for key, col in self.cols.items():
                values = col[years_in_force]
                if (values == values[0]).all():
                    self.scalars[key] = np.int64(values[0])
        self.uniform = bool(self.cols) and len(self.scalars) == len(self.cols)
        # Years in force as one range [lo, hi] when they are contiguous: a row is in force by two
        # comparisons instead of a lookup.
        self.range: tuple[int, int] | None = None
        if years_in_force.size and years_in_force[-1] - years_in_force[0] + 1 == years_in_force.size:
            self.range = (self.y0 + int(years_in_force[0]), self.y0 + int(years_in_force[-1]))

    @property
    def all_fast(self) -> bool:
        return bool(self.fast.all())

    def index(
        self, years: np.ndarray, valid: np.ndarray | None = None
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """(year index of each row — None when every parameter is a scalar —, whether its year is in
        force)."""
        if self.uniform and self.range is not None:
            ok = (years >= self.range[0]) & (years <= self.range[1])
            return None, (ok & valid) if valid is not None else ok
        idx = years.astype(np.int64) - self.y0
        ok = (idx >= 0) & (idx < len(self.in_force))
        if valid is not None:
            ok &= valid
        idx = np.where(ok, idx, 0)
        return (None if self.uniform else idx), ok & self.in_force[idx]

    def at(self, key: str, idx: np.ndarray | None) -> np.ndarray | np.int64:
        """The value of ``key`` for each row: a scalar when it is the same in every year in force."""
        scalar = self.scalars.get(key)
        if scalar is not None:
            return scalar
        return self.cols[key][idx]

    def __getitem__(self, key: str) -> np.ndarray:
        return self.cols[key]

    def exact_at(self, key: str, idx: np.ndarray) -> np.ndarray:
        """Column ``key`` at year indices ``idx`` as Python integers (an object array)."""
        values = self.exact[key]
        return np.array([values[i] for i in idx.tolist()], dtype=object)


def _int64_safe(flat: dict[str, int]) -> bool:
    """Whether one year's ``_amount`` and ``_split`` stay below ``_INT64_LIMIT`` in int64: the base is
    clipped to ``cap * den // num + 1``, so ``base * num * 2 + den <= 2 * cap * den + 2 * num + den``;
    the split multiplies an amount of at most the cap. Python integers: nothing here can overflow."""
    cap = flat.get("cap_fen", 0)
    checks = [flat.get("threshold_fen", 0)]
    for ratio in ("rate", "prefecture_share"):
        num, den = flat.get(ratio + "_num", 0), flat.get(ratio + "_den", 1)
        checks += [num, 2 * den, 2 * cap * den + 2 * num + den, 2 * cap * num + den]
    return max(checks) < _INT64_LIMIT


def _flatten(name: str, value: object) -> list[tuple[str, int]]:
    short = name.rsplit(".", 1)[-1]
    if isinstance(value, Decimal):
        if short.endswith("_yuan"):
            return [(short[: -len("_yuan")] + "_fen", yuan_to_fen(value))]
        num, den = _frac(value)
        return [(short + "_num", num), (short + "_den", den)]
    if isinstance(value, bool):
        return [(short, int(value))]
    if isinstance(value, int):
        return [(short, value)]
    if isinstance(value, tuple) and short == "manufacturing_divisions":
        return [("div_lo", value[0]), ("div_hi", value[1])]
    if short == "stacking":
        return [("higher_only", int(value == "higher_only"))]
    if short == "interest_mode_cap":
        return [("interest_actual", int(value == "actual_interest"))]
    return []


def add_months_np(start: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Vectorised ``dates.add_months``: whole months, day clamped to the target month's end."""
    m = start.astype("datetime64[M]")
    day0 = (start - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months.astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return first + np.minimum(day0, length - 1).astype("timedelta64[D]")


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``datetime64[D]`` → (year, month, day) as int32. Projects' dates span a few years: the days
    between the earliest and the latest are converted once (``_civil_arith``) and every row looks its
    date up; a span wider than the rows themselves is converted row by row."""
    d = days.view(np.int64) if days.dtype.kind == "M" else days.astype(np.int64)
    if d.size == 0:
        return _civil_arith(d)
    lo, hi = int(d.min()), int(d.max())
    if hi - lo + 1 > max(d.size // 4, 4096):
        return _civil_arith(d)
    year, month, day = _civil_arith(np.arange(lo, hi + 1, dtype=np.int64))
    i = d - lo
    return year[i], month[i], day[i]


def _civil_arith(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970-01-01 → (year, month, day) as int32, by integer arithmetic (H. Hinnant's
    civil_from_days); several times faster than NumPy's calendar conversions."""
    z = days.astype(np.int32) + np.int32(719468)
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _too_long(start: tuple, completion: tuple, months: np.ndarray | np.integer) -> np.ndarray:
    """``completion > add_months(start, months)`` (day clamped to month end), on civil dates.

    By month index: later month → too long; same month → compare the days, the start day clamped to the
    target month's length, which matters only when the completion day is past the 28th (computed for
    those rows alone)."""
    sy, sm, sd = start
    cy, cm, cd = completion
    target = sy * 12 + sm + (np.asarray(months).astype(np.int32) - 1)
    c = cy * 12 + (cm - 1)
    same = c == target
    out = (c > target) | (same & (cd > sd))
    rows = np.flatnonzero(same & (cd > 28) & (sd > 28))
    if rows.size:
        t = target[rows] if np.ndim(target) else np.full(rows.size, target)
        ty = t // 12
        tm = t - ty * 12 + 1
        leap = ((ty % 4 == 0) & (ty % 100 != 0)) | (ty % 400 == 0)
        length = _DAYS_IN_MONTH[tm] + ((tm == 2) & leap)
        out[rows] = cd[rows] > np.minimum(sd[rows], length)
    return out


def _bit(mask: np.ndarray, code: str) -> np.ndarray:
    return mask.astype(_U) * _U(BIT[code])


_CODE_INDEX = {code: i for i, code in enumerate(REASON_CODES)}


def _reasons(n: int, pairs: Sequence[tuple[np.ndarray, str]]) -> np.ndarray:
    """The reason bitmask (uint64): each code's bit where its mask holds. Built by shifting each boolean
    mask (viewed as 0/1 bytes) into place, in uint16 while every bit fits (the clauses' codes do)."""
    top = max(_CODE_INDEX[code] for _, code in pairs)
    dtype = np.uint16 if top < 16 else _U
    acc = np.zeros(n, dtype=dtype)
    for mask, code in pairs:
        bits = np.left_shift(np.asarray(mask, dtype=bool).view(np.uint8), _CODE_INDEX[code], dtype=dtype)
        np.bitwise_or(acc, bits, out=acc)
    return acc if dtype is _U else acc.astype(_U)


def _amount_core(
    base: np.ndarray, num: np.ndarray, den: np.ndarray, cap: np.ndarray, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Half-up ``base * num / den`` capped at ``cap``; int64 arrays (when ``_int64_safe``) or object
    arrays of Python integers (exact at any size), the same formulas.

    ``base * num > cap * den`` ⟺ ``base > (cap * den) // num``; above that the amount is the cap, so base
    is clipped to one past it before multiplying."""
    safe = np.maximum(num, 1)
    limit = cap * den // safe
    capped = ok & (num > 0) & (base > limit)
    clipped = np.minimum(base, limit + 1)
    amount = (clipped * (num * 2) + den) // (den * 2)
    amount = np.where(ok, np.minimum(amount, cap), 0)
    at_cap = ok & ~capped & (amount == cap)
    return amount, np.asarray(capped, dtype=bool), np.asarray(at_cap, dtype=bool)


def _amount(
    base: np.ndarray, t: _Tables, idx: np.ndarray, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The clause's amount from its ``rate`` and ``cap``; rows of years that do not fit int64 exactly."""
    if t.all_fast:
        return _amount_core(base, t.at("rate_num", idx), t.at("rate_den", idx), t.at("cap_fen", idx), ok)
    fast = t.fast[idx]
    amount, capped, at_cap = _amount_core(
        base, t["rate_num"][idx], t["rate_den"][idx], t["cap_fen"][idx], ok & fast
    )
    rows = np.flatnonzero(ok & ~fast)
    if rows.size:
        sub = idx[rows]
        a, c, e = _amount_core(
            base[rows].astype(object),
            t.exact_at("rate_num", sub),
            t.exact_at("rate_den", sub),
            t.exact_at("cap_fen", sub),
            np.ones(rows.size, dtype=bool),
        )
        amount[rows] = a.astype(np.int64)  # at most the cap, which fits (money.MAX_YUAN)
        capped[rows] = c
        at_cap[rows] = e
    return amount, capped, at_cap


def _split_core(amount: np.ndarray, num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pref = (amount * (num * 2) + den) // (den * 2)
    return pref, amount - pref


def _split(amount: np.ndarray, t: _Tables, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """docs/programme.md, reading 7: the prefecture's part half-up to the fen, the county the rest."""
    if t.all_fast:
        return _split_core(amount, t.at("prefecture_share_num", idx), t.at("prefecture_share_den", idx))
    num, den = t["prefecture_share_num"][idx], t["prefecture_share_den"][idx]
    fast = t.fast[idx]
    pref, county = _split_core(np.where(fast, amount, 0), num, den)
    rows = np.flatnonzero(~fast & (amount != 0))
    if rows.size:
        sub = idx[rows]
        p, c = _split_core(
            amount[rows].astype(object),
            t.exact_at("prefecture_share_num", sub),
            t.exact_at("prefecture_share_den", sub),
        )
        pref[rows] = p.astype(np.int64)
        county[rows] = c.astype(np.int64)
    return pref, county


def _equipment(cols: ProjectColumns, params: ParameterSet, start: tuple, completion: tuple) -> ClauseResult:
    """3.1.1; see ``rules.evaluate_equipment_subsidy``."""
    year = cols.plan_year
    listed = year != 0
    t = _Tables(params, "3.1.1", year, zero_unlisted=True)
    idx, in_force = t.index(year, listed)
    estimate = cols.verified_equipment_fen < 0
    base = np.where(estimate, cols.equipment_fen, cols.verified_equipment_fen)
    if t.cols:
        too_long = in_force & _too_long(start, completion, t.at("max_period_months", idx))
    else:
        too_long = np.zeros(len(cols), bool)
    below = in_force & (base < t.at("threshold_fen", idx)) if t.cols else np.zeros(len(cols), bool)
    ok = in_force & cols.registered & cols.conforming & ~too_long & ~below
    if t.cols:
        amount, capped, at_cap = _amount(base, t, idx, ok)
        pref, county = _split(amount, t, idx)
    else:
        amount = pref = county = np.zeros(len(cols), np.int64)
        capped = at_cap = np.zeros(len(cols), bool)
    reasons = _reasons(
        len(cols),
        (
            (~cols.registered, "NOT_REGISTERED"),
            (~cols.conforming, "NOT_CONFORMING"),
            (~listed, "NOT_IN_PLAN"),
            (listed & ~in_force, "NO_RULE_IN_FORCE"),
            (too_long, "PERIOD_TOO_LONG"),
            (below, "BELOW_THRESHOLD"),
            (ok, "CONDITIONS_MET"),
            (ok, "AMOUNT_COMPUTED"),
            (capped, "CAPPED"),
            (at_cap, "AT_CAP"),
            (ok & estimate, "ESTIMATE"),
        ),
    )
    return ClauseResult("3.1.1", ok.astype(np.int8), amount, capped, estimate, reasons, year, pref, county)


def _large(cols: ProjectColumns, params: ParameterSet, start: tuple) -> ClauseResult:
    """3.2; see ``rules.evaluate_large_investment``: the start year's parameters.

    docs/programme.md, reading 13."""
    year = start[0]
    t = _Tables(params, "3.2", year)
    idx, in_force = t.index(year)
    estimate = cols.verified_fixed_asset_fen < 0
    base = np.where(estimate, cols.fixed_asset_fen, cols.verified_fixed_asset_fen)
    n = len(cols)
    if t.cols:
        div = cols.division
        not_manufacturing = in_force & (
            (div == 0) | (div < t.at("div_lo", idx)) | (div > t.at("div_hi", idx))
        )
        below = in_force & (base < t.at("threshold_fen", idx))
    else:
        not_manufacturing = below = np.zeros(n, bool)
    ok = in_force & cols.registered & cols.key_project & cols.in_production & ~not_manufacturing & ~below
    interest_capped = interest_covers = np.zeros(n, bool)
    if t.cols:
        amount, capped, at_cap = _amount(base, t, idx, ok)
        if cols.interest_fen is not None:  # docs/programme.md, reading 15: 贷款贴息 up to the interest paid
            loan = ok & (cols.interest_fen >= 0) & (t.at("interest_actual", idx) == 1)
            interest_capped = loan & (cols.interest_fen < amount)
            interest_covers = loan & ~interest_capped
            amount = np.where(interest_capped, cols.interest_fen, amount)
        pref, county = _split(amount, t, idx)
        higher_only = in_force & (t.at("higher_only", idx) == 1)
    else:
        amount = pref = county = np.zeros(n, np.int64)
        capped = at_cap = higher_only = np.zeros(n, bool)
    reasons = _reasons(
        n,
        (
            (~cols.registered, "NOT_REGISTERED"),
            (~in_force, "NO_RULE_IN_FORCE"),
            (not_manufacturing, "NOT_MANUFACTURING"),
            (~cols.key_project, "NOT_KEY_PROJECT"),
            (below, "BELOW_THRESHOLD"),
            (~cols.in_production, "NOT_IN_PRODUCTION"),
            (ok, "CONDITIONS_MET"),
            (ok, "AMOUNT_COMPUTED"),
            (capped, "CAPPED"),
            (at_cap, "AT_CAP"),
            (ok & estimate, "ESTIMATE"),
            (interest_capped, "INTEREST_CAPPED"),
            (interest_covers, "INTEREST_COVERS"),
        ),
    )
    result = ClauseResult("3.2", ok.astype(np.int8), amount, capped, estimate, reasons, year, pref, county)
    result.higher_only = higher_only  # type: ignore[attr-defined]
    return result


def _stack(a: ClauseResult, b: ClauseResult, higher_only: np.ndarray) -> None:
    """docs/programme.md, reading 6, in place; see ``rules.apply_stacking``."""
    both = higher_only & (a.outcome == 1) & (b.outcome == 1)
    if not both.any():
        return
    lose_a = both & (b.amount_fen > a.amount_fen)
    lose_b = both & ~lose_a
    keep = _U(BIT["CONDITIONS_MET"])
    for r, lose in ((a, lose_a), (b, lose_b)):
        r.outcome[lose] = 0
        r.amount_fen[lose] = 0
        r.prefecture_fen[lose] = 0
        r.county_fen[lose] = 0
        r.capped[lose] = False
        r.reasons[lose] = (r.reasons[lose] & keep) | _U(BIT["STACKING_HIGHER_ONLY"])


def evaluate_batch(
    columns: ProjectColumns | Sequence[Project], params: ParameterSet | None = None
) -> BatchResult:
    """3.1.1 and 3.2 for every project at once; same decisions as ``rules.evaluate_project`` one by one."""
    params = params or default_parameters()
    cols = columns if isinstance(columns, ProjectColumns) else ProjectColumns.from_projects(columns)
    start = civil(cols.start)
    a = _equipment(cols, params, start, civil(cols.completion))
    b = _large(cols, params, start)
    _stack(a, b, b.higher_only)  # type: ignore[attr-defined]
    return BatchResult(a, b)


def random_columns(n: int, seed: int = 0) -> ProjectColumns:
    """Random but realistic projects: amounts cluster around the thresholds and caps, dates around 36
    months, years around the programme (2017–2021), one in ten verified. For the benchmark and tests."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2016-06-01") + rng.integers(0, 5 * 365, n).astype("timedelta64[D]")
    months = rng.choice(np.array([6, 12, 24, 35, 36, 37], dtype=np.int64), n)
    completion = add_months_np(start, months) + rng.integers(-1, 2, n).astype("timedelta64[D]")
    completion = np.maximum(completion, start)

    def money(centres: list[int]) -> np.ndarray:
        centre = rng.choice(np.array(centres, dtype=np.int64), n)
        spread = rng.integers(-3, 4, n) * rng.choice(np.array([1, 100, 10_000_000], dtype=np.int64), n)
        return np.maximum(centre + spread, 0)

    eq = money([300_000_000, 6_666_666_667, 6_666_666_666, 100_000_000, 2_000_000_000, 10_000_000_000])
    fa = money([2_000_000_000, 10_000_000_000, 1_000_000_000, 30_000_000_000])
    verified = rng.random(n) < 0.1
    plan_year = rng.choice(np.array([0, 2017, 2018, 2019, 2020, 2021], dtype=np.int32), n)
    division = rng.choice(np.array([0, 6, 12, 13, 27, 43, 44], dtype=np.int16), n)
    units = np.array(["422801", "422802", "422822", "422823", "422825", "422826", "422827", "422828", "GXQ"])
    return ProjectColumns(
        registered=rng.random(n) < 0.95,
        conforming=rng.random(n) < 0.95,
        plan_year=plan_year,
        division=division,
        key_project=rng.random(n) < 0.7,
        start=start,
        completion=completion,
        in_production=rng.random(n) < 0.8,
        equipment_fen=eq,
        fixed_asset_fen=fa,
        verified_equipment_fen=np.where(verified, np.maximum(eq - rng.integers(0, 2, n), 0), -1),
        verified_fixed_asset_fen=np.where(verified, fa, -1),
        project_id=None,
        region_code=units[rng.integers(0, len(units), n)].astype(object),
    )
