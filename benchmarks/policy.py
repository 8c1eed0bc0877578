"""Benchmark of jigai.policy: the batch path against the one-by-one path, 3.1.1 and 3.2 with reason codes.

    .venv/bin/python benchmarks/policy.py [--sizes 10000,100000,1000000] [--repeat 7] [--scalar-max N]

For each size: the median wall time of ``evaluate_batch`` over ``--repeat`` runs, its peak traced memory
(tracemalloc, NumPy included) and the rise in the process's peak RSS; then every project once through
``evaluate_project`` (Decimal arithmetic), the one-by-one rate, and a check that both paths give the
same amount to the fen, the same outcome and the same reason codes for every project and clause, hence
the same totals. The one-by-one rate includes recording each result (the results are not kept as objects,
so the cyclic garbage collector does not weigh on it; keeping 10^6 decisions alive roughly halves it).
Exits 1 if anything differs.

In the same run, the floor: a bare NumPy int64 computation of the same money arithmetic without reasons
(``floor``: 3.1.1 and 3.2 base — verified else planned —, threshold and eligibility flags, the half-up
amount ``(base * num * 2 + den) // (2 * den)`` with the cap, and the cost split), with one year's
parameters as scalars; its median and the ratio batch / floor are printed.

Targets (2-core machine): 10^6 projects in under 0.3 s with peak memory under 600 MB; the batch within 3×
the floor at 10^6; the one-by-one path at least 20,000 projects per second.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jigai.policy import OUTCOMES, default_parameters, evaluate_batch, evaluate_project, random_columns

CHUNK = 50_000


def _fraction(d) -> tuple[int, int]:
    return d.as_integer_ratio()


def floor(cols, p311: dict, p32: dict, share: tuple[int, int]) -> tuple:
    """The bare arithmetic: amounts with caps and the cost split of 3.1.1 and 3.2, no reasons, no dates,
    no per-year lookup (one year's parameters as scalars)."""
    sn, sd = share
    out = []
    for base_fen, verified, ok, p in (
        (cols.equipment_fen, cols.verified_equipment_fen, cols.registered & cols.conforming & (cols.plan_year != 0), p311),
        (cols.fixed_asset_fen, cols.verified_fixed_asset_fen, cols.registered & cols.key_project & cols.in_production, p32),
    ):  # fmt: skip
        num, den, cap, threshold = p["num"], p["den"], p["cap"], p["threshold"]
        base = np.where(verified < 0, base_fen, verified)
        ok = ok & (base >= threshold)
        base = np.minimum(base, cap * den // num + 1)
        amount = np.where(ok, np.minimum((base * (2 * num) + den) // (2 * den), cap), 0)
        pref = (amount * (2 * sn) + sd) // (2 * sd)
        out.append((amount, pref, amount - pref))
    return tuple(out)


def floor_params(params, year: int = 2019) -> tuple[dict, dict, tuple[int, int]]:
    def clause(c: str) -> dict:
        v = params.clause(c, year).values
        num, den = _fraction(v[f"{c}.rate"])
        return {
            "num": num,
            "den": den,
            "cap": int(v[f"{c}.cap_yuan"] * 100),
            "threshold": int(v[f"{c}.threshold_yuan"] * 100),
        }

    share = _fraction(params.clause("3.1.1", year).values["cost_split.prefecture_share"])
    return clause("3.1.1"), clause("3.2"), share


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, repeat: int, scalar_max: int | None, params) -> dict:
    cols = random_columns(n, seed=20180312)
    evaluate_batch(cols.take(slice(0, 1000)), params)  # warm caches
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = evaluate_batch(cols, params)
        times.append(time.perf_counter() - t0)
    fp = floor_params(params)
    floor(cols.take(slice(0, 1000)), *fp)
    floor_times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        floor(cols, *fp)
        floor_times.append(time.perf_counter() - t0)
    gc.collect()
    rss_before = _rss_mb()
    tracemalloc.start()
    result = evaluate_batch(cols, params)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss_rise = _rss_mb() - rss_before

    m = n if scalar_max is None else min(n, scalar_max)
    clauses = ("3.1.1", "3.2")
    amounts = {c: np.empty(m, dtype=np.int64) for c in clauses}
    outcomes = {c: np.empty(m, dtype=np.int8) for c in clauses}
    bits = {c: np.empty(m, dtype=np.uint64) for c in clauses}
    code = {o: i for i, o in enumerate(OUTCOMES)}
    elapsed = 0.0
    for start in range(0, m, CHUNK):
        projects = cols.take(slice(start, min(start + CHUNK, m))).to_projects()
        a1, o1, b1 = amounts["3.1.1"], outcomes["3.1.1"], bits["3.1.1"]
        a2, o2, b2 = amounts["3.2"], outcomes["3.2"], bits["3.2"]
        t0 = time.perf_counter()
        # Timed: each project through the scalar rules, its results recorded (not kept as objects).
        for i, p in enumerate(projects, start):
            d1, d2 = evaluate_project(p, params)
            a1[i], o1[i], b1[i] = d1.amount_fen, code[d1.outcome], d1.reason_bits
            a2[i], o2[i], b2[i] = d2.amount_fen, code[d2.outcome], d2.reason_bits
        elapsed += time.perf_counter() - t0
    reasons_ok = all(np.array_equal(bits[c], result[c].reasons[:m]) for c in clauses)
    same_amounts = all(np.array_equal(amounts[c], result[c].amount_fen[:m]) for c in clauses)
    same_outcomes = all(np.array_equal(outcomes[c], result[c].outcome[:m]) for c in clauses)
    batch_total = sum(int(result[c].amount_fen[:m].sum()) for c in clauses)
    scalar_total = sum(int(amounts[c].sum()) for c in clauses)
    return {
        "n": n,
        "median_s": statistics.median(times),
        "floor_s": statistics.median(floor_times),
        "min_s": min(times),
        "peak_mb": peak,
        "rss_rise_mb": rss_rise,
        "scalar_n": m,
        "rate": m / elapsed if elapsed else float("inf"),
        "batch_total_fen": batch_total,
        "scalar_total_fen": scalar_total,
        "identical": same_amounts and same_outcomes and reasons_ok and batch_total == scalar_total,
        "eligible": {c: int((result[c].outcome == 1).sum()) for c in clauses},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--scalar-max", type=int, default=None, help="limit the one-by-one pass to N projects"
    )
    args = parser.parse_args()
    params = default_parameters()
    print(
        f"jigai.policy benchmark — {os.cpu_count()} CPUs, NumPy {np.__version__}, Python {sys.version.split()[0]}"
    )
    print(
        f"{'projects':>10} {'batch median':>13} {'batch min':>10} {'floor':>9} {'ratio':>6} {'peak traced':>12} {'RSS rise':>9} "
        f"{'one-by-one':>14} {'total (yuan)':>20} {'identical':>9}"
    )
    ok = True
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        r = run(n, args.repeat, args.scalar_max, params)
        results.append(r)
        ok &= r["identical"]
        total = f"{r['batch_total_fen'] // 100:,}.{r['batch_total_fen'] % 100:02d}"
        print(
            f"{n:>10,} {r['median_s']:>12.4f}s {r['min_s']:>9.4f}s {r['floor_s']:>8.4f}s {r['median_s'] / r['floor_s']:>5.2f}× "
            f"{r['peak_mb']:>10.1f}MB {r['rss_rise_mb']:>7.1f}MB "
            f"{r['rate']:>10,.0f} /s {total:>20} {'yes' if r['identical'] else 'NO':>9}"
        )
    big = max(results, key=lambda r: r["n"])
    if big["n"] >= 1_000_000:
        print(
            f"targets: 10^6 batch < 0.3 s: {'met' if big['median_s'] < 0.3 else 'MISSED'} ({big['median_s']:.3f} s); "
            f"peak < 600 MB: {'met' if big['peak_mb'] < 600 else 'MISSED'} ({big['peak_mb']:.0f} MB); "
            f"within 3× the NumPy floor: {'met' if big['median_s'] < 3 * big['floor_s'] else 'MISSED'} "
            f"({big['median_s'] / big['floor_s']:.2f}×, floor {big['floor_s']:.3f} s); "
            f"one-by-one ≥ 20,000/s: {'met' if min(r['rate'] for r in results) >= 20_000 else 'MISSED'} "
            f"({min(r['rate'] for r in results):,.0f}/s)"
        )
    print("batch == one by one, to the fen:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
