"""Time the assessment at province scale: a period's ranking, its early warning and the year's targets.

    .venv/bin/python benchmarks/assessment.py [--engine sqlite|postgres|both] [--units 100]
        [--projects 20000] [--runs 20]

Fills a throw-away database with 100 reporting units, 20,000 projects (5,000 enterprises, above-scale
status for each year) and 48 months (2017–2020) of official statistics and monthly progress reports,
then prints the median time and query count of each computation the pages make:

* ranking — ``selectors.ranking_compute(2019Q2)``: statistics of two years, the project library's sums;
* early warning — ``selectors.warning_compute(2019, 5)``: the quarter and the half-year projected;
* targets — ``selectors.targets_report(2019)``: 2.1.a–c and 2.2.a–b, per unit and prefecture.

Target (issue 6): under 300 ms for the three together. Each engine runs in its own process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django

PG_DB = "jigai_bench_assessment"


def setup(engine: str) -> None:
    """Like ``_django.setup``, with a database of its own so benchmarks can run side by side."""
    if engine == "sqlite":
        os.environ["JIGAI_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="jigai-bench-")) / "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n_units: int, n_projects: int, seed: int = 6) -> dict:
    from django.db import connection

    from jigai.core.codes import credit_check_char
    from jigai.core.models import Industry, Region
    from jigai.dispatch.models import ProgressReport, RegionStatistic
    from jigai.dispatch.periods import BEIJING
    from jigai.registry.models import Enterprise, EnterpriseScaleYear, Project

    rng = random.Random(seed)
    have = Region.objects.filter(level=Region.Level.UNIT).count()
    Region.objects.bulk_create([
        Region(code=f"P{i:03d}", name=f"基准县{i:03d}", short_name=f"基准{i:03d}", division_code="420000",
               level=Region.Level.UNIT, sort_order=100 + i)
        for i in range(n_units - have)
    ])  # fmt: skip
    units = list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))
    industries = list(Industry.objects.filter(section="C"))

    stats = []
    for u in units:
        base = rng.uniform(2e8, 8e8)
        growth = [rng.uniform(-0.1, 0.4) for _ in range(4)]
        level = base
        for y, year in enumerate(range(2017, 2021)):
            level = level * (1 + growth[y]) if y else level
            for month in range(1, 13):
                share = Decimal(month) / 12
                tech = (Decimal(str(round(level, -2))) * share).quantize(Decimal("0.01"))
                stats.append(RegionStatistic(region=u, year=year, month=month, tech_investment_ytd_yuan=tech,
                                             industrial_investment_ytd_yuan=tech * 3))  # fmt: skip
    RegionStatistic.objects.bulk_create(stats, batch_size=5000)

    ents = []
    for i in range(n_projects // 4):
        body = f"91420000{i:09d}"
        u = rng.choice(units)
        ents.append(Enterprise(name=f"基准企业{i}有限公司", credit_code=body + credit_check_char(body), region=u,
                               industry=rng.choice(industries)))  # fmt: skip
    ents = Enterprise.objects.bulk_create(ents, batch_size=5000)
    EnterpriseScaleYear.objects.bulk_create(
        [EnterpriseScaleYear(enterprise=e, year=y, above_scale=True) for e in ents for y in (2018, 2019, 2020)
         if rng.random() < 0.4],
        batch_size=5000,
    )  # fmt: skip
    projects = []
    for i in range(n_projects):
        e = rng.choice(ents)
        start = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randint(0, 1300))
        done = start + dt.timedelta(days=rng.randint(180, 720))
        status = "completed" if done < dt.date(2021, 1, 1) else "construction"
        if rng.random() < 0.08:
            status, start, done = "reserve", None, None
        total = Decimal(rng.randint(500, 50000)) * 10000
        projects.append(Project(
            enterprise=e, region=e.region, industry=e.industry, name=f"基准技改项目{i}", total_investment_yuan=total,
            equipment_investment_yuan=total / 2, fixed_asset_investment_yuan=total * Decimal("0.8"),
            actual_start_date=start, actual_completion_date=done if status == "completed" else None, status=status,
            is_demonstration=rng.random() < 0.01,
        ))  # fmt: skip
    projects = Project.objects.bulk_create(projects, batch_size=5000)

    reports = []
    for p in projects:
        if p.actual_start_date is None:
            continue
        y, m = p.actual_start_date.year, p.actual_start_date.month
        end = p.actual_completion_date or dt.date(2020, 12, 31)
        cumulative = Decimal(0)
        while (y, m) <= (end.year, end.month) and y <= 2020:
            amount = (p.total_investment_yuan / 24).quantize(Decimal("0.01"))
            cumulative += amount
            at = dt.datetime(y + (m == 12), m % 12 + 1, 3, 10, tzinfo=BEIJING)
            reports.append(ProgressReport(project=p, region_id=p.region_id, year=y, month=m, month_investment_yuan=amount,
                                          cumulative_investment_yuan=cumulative, first_submitted_at=at, submitted_at=at))  # fmt: skip
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    with connection.cursor() as cur:  # fresh statistics, as autovacuum/ANALYZE would give a live database
        cur.execute("ANALYZE")
    return {"units": len(units), "projects": len(projects), "statistics": len(stats), "reports": len(reports)}


def measure(fn, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx.captured_queries)


def run_engine(engine: str, n_units: int, n_projects: int, runs: int) -> None:
    setup(engine)
    from jigai.assessment import selectors
    from jigai.assessment.periods import Period

    print(f"\n== {engine} ==")
    t0 = time.perf_counter()
    sizes = fill(n_units, n_projects)
    print(f"filled {sizes} in {time.perf_counter() - t0:.1f} s")
    period = Period.parse("2019Q2")
    ops = {
        "ranking 2019Q2 (cumulative)": lambda: selectors.ranking_compute(period),
        "ranking 2019Q2 (single)": lambda: selectors.ranking_compute(period, "single"),
        "early warning 2019-05": lambda: selectors.warning_compute(2019, 5),
        "targets 2019": lambda: selectors.targets_report(2019, as_of=dt.date(2019, 7, 15)),
    }
    results = {label: measure(fn, runs) for label, fn in ops.items()}
    print(f"{'computation':<32}{'median ms':>12}{'queries':>9}")
    for label, (ms, q) in results.items():
        print(f"{label:<32}{ms:>12.1f}{q:>9}")
    together = sum(
        results[k][0] for k in ("ranking 2019Q2 (cumulative)", "early warning 2019-05", "targets 2019")
    )
    verdict = "within" if together < 300 else "OVER"
    print(f"{'ranking + warning + targets':<32}{together:>12.1f}{'':>9}  ({verdict} the 300 ms target)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--projects", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    if a.engine == "both":
        for engine in ("sqlite", "postgres"):
            if engine == "postgres" and not _django.postgres_available():
                print("\n== postgres == skipped: 127.0.0.1:5432 not reachable")
                continue
            subprocess.run([sys.executable, __file__, "--engine", engine, "--units", str(a.units),
                            "--projects", str(a.projects), "--runs", str(a.runs)], check=True)  # fmt: skip
        return
    run_engine(a.engine, a.units, a.projects, a.runs)


if __name__ == "__main__":
    main()
