"""Time to build a month's bulletin (4.3 月通报) at prefecture scale and at province scale.

    .venv/bin/python benchmarks/bulletin.py [--engine sqlite|postgres|both] [--projects 20000] [--units 100]

Prefecture scale is the demo (`jigai demo`: nine units, 450 projects, 2017-01 to 2020-12). Province scale
adds units up to 100 and projects up to 20,000 with 48 months of reports (2017-01 to 2020-12) and
statistics, first a tenth of the projects and then all of them, to show the number of queries does not
grow with the project count. For each it prints the median time of computing the bulletin's figures
(`jigai.dispatch.bulletin.compute`, the snapshot a published bulletin freezes) and of rendering the
.xlsx and the .docx from a snapshot. Target (issue 5): province scale under 1 s, constant queries.
Each engine runs in its own process, because Django binds to one database per process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django

MONTH = (2020, 6)
PG_NAME = "jigai_bench_bulletin"  # its own database, so other benchmarks can run at the same time


def setup(engine: str) -> None:
    """As benchmarks/_django.setup, with a database of this benchmark's own."""
    import os
    import tempfile

    if engine == "sqlite":
        os.environ["JIGAI_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="jigai-bench-")) / "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_units(total: int) -> None:
    from jigai.core.models import Region

    have = Region.objects.filter(level="unit").count()
    Region.objects.bulk_create([
        Region(code=f"P{i:03d}", name=f"基准县{i}", short_name=f"基准{i}", division_code="420000", level="unit",
               sort_order=100 + i)
        for i in range(1, total - have + 1)
    ])  # fmt: skip


def fill(n_projects: int, start_index: int, seed: int) -> int:
    """Projects spread over 2016-07 to 2020-12, each reporting every month it is under construction."""
    from jigai.core.codes import credit_check_char
    from jigai.core.models import Industry, Region
    from jigai.dispatch.models import ProgressReport
    from jigai.dispatch.periods import BEIJING, Month
    from jigai.registry.models import Enterprise, Project

    rng = random.Random(seed)
    units = list(Region.objects.filter(level="unit"))
    industry = Industry.objects.filter(section="C").first()
    ents = [
        Enterprise(name=f"省级基准企业{i}有限公司", credit_code=(b := f"91420000{i:09d}") + credit_check_char(b),
                   region=rng.choice(units), industry=industry)
        for i in range(start_index // 4, start_index // 4 + max(1, n_projects // 4))
    ]  # fmt: skip
    ents = Enterprise.objects.bulk_create(ents, batch_size=2000)
    projects, spans = [], []
    for i in range(n_projects):
        e = rng.choice(ents)
        start = dt.date(2016, 7, 1) + dt.timedelta(days=rng.randint(0, 1640))
        months = rng.choice([6, 9, 12, 15, 18, 24, 30, 36])
        planned_end = start + dt.timedelta(days=30 * months)
        actual_end = planned_end + dt.timedelta(days=rng.randint(0, 150))
        done = actual_end <= dt.date(2020, 12, 31)
        total = Decimal(rng.randint(500, 50000)) * 10000
        projects.append(Project(
            enterprise=e, region=e.region, industry=industry, name=f"省级基准项目{start_index + i}",
            total_investment_yuan=total, equipment_investment_yuan=total / 2, fixed_asset_investment_yuan=total / 2,
            planned_start_date=start, planned_completion_date=planned_end, actual_start_date=start,
            actual_completion_date=actual_end if done else None, status="completed" if done else "construction",
        ))  # fmt: skip
        spans.append((Month.of(start), Month.of(actual_end) if done else Month(2020, 12), total))
    projects = Project.objects.bulk_create(projects, batch_size=2000)
    first, last = Month(2017, 1), Month(2020, 12)
    batch, count = [], 0
    for p, (s, e, total) in zip(projects, spans, strict=True):
        n = (e.year - s.year) * 12 + e.month - s.month + 1
        step = (total / n).quantize(Decimal("100"))
        cum = Decimal(0)
        m = s
        while m <= e:
            cum += step
            if m >= first and m <= last:
                nxt = m.next
                at = dt.datetime(nxt.year, nxt.month, rng.randint(1, 8), 10, tzinfo=BEIJING)
                batch.append(ProgressReport(
                    project_id=p.pk, region_id=p.region_id, year=m.year, month=m.month, month_investment_yuan=step,
                    cumulative_investment_yuan=cum, progress_pct=min(100, int(cum * 100 / total)),
                    state="on_schedule" if rng.random() > 0.05 else "stalled",
                    problems="" if rng.random() > 0.03 else "用地报批慢", first_submitted_at=at, submitted_at=at,
                ))  # fmt: skip
            m = m.next
        if len(batch) > 20000:
            ProgressReport.objects.bulk_create(batch, batch_size=5000)
            count += len(batch)
            batch = []
    ProgressReport.objects.bulk_create(batch, batch_size=5000)
    return count + len(batch)


def fill_statistics() -> None:
    from jigai.core.models import Region
    from jigai.dispatch.models import RegionStatistic

    have = set(RegionStatistic.objects.values_list("region_id", "year", "month"))
    rows = []
    for u in Region.objects.filter(level="unit"):
        for y in range(2017, 2021):
            for m in range(1, 13):
                if (u.pk, y, m) not in have:
                    tech = Decimal(100_000_000 + 20_000_000 * (y - 2017)) * m / 12
                    rows.append(
                        RegionStatistic(
                            region=u,
                            year=y,
                            month=m,
                            tech_investment_ytd_yuan=tech.quantize(Decimal("0.01")),
                            industrial_investment_ytd_yuan=(tech * 3).quantize(Decimal("0.01")),
                        )
                    )
    RegionStatistic.objects.bulk_create(rows, batch_size=2000)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:  # fresh statistics, as autovacuum/ANALYZE would give a live database
        cur.execute("ANALYZE")


def measure(runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jigai.dispatch import bulletin, render
    from jigai.dispatch.periods import BEIJING, Month

    month = Month(*MONTH)
    as_of = dt.datetime(2020, 7, 15, 12, tzinfo=BEIJING)
    bulletin.compute(month, as_of=as_of)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        snap = bulletin.compute(month, as_of=as_of)
        times.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as ctx:
        snap = bulletin.compute(month, as_of=as_of)
    t0 = time.perf_counter()
    render.xlsx_bytes(snap)
    xlsx = time.perf_counter() - t0
    t0 = time.perf_counter()
    render.docx_bytes(snap)
    docx = time.perf_counter() - t0
    p = snap["prefecture"]
    return {"ms": statistics.median(times) * 1000, "queries": len(ctx.captured_queries), "xlsx_ms": xlsx * 1000,
            "docx_ms": docx * 1000, "due": p["due"], "behind": p["behind"], "units": len(snap["units"])}  # fmt: skip


def run_engine(engine: str, n: int, units: int, runs: int) -> None:
    setup(engine)
    from django.db import transaction

    from jigai.core import audit
    from jigai.demo import registry_data
    from jigai.dispatch import demo
    from jigai.dispatch.models import ProgressReport
    from jigai.registry.models import Project

    print(f"\n== {engine} ==")
    t0 = time.perf_counter()
    with audit.acting_as(audit.Actor(username="bench", source="command")), transaction.atomic():
        registry_data.build(seed=2018)
        demo.build(seed=2018)
    print(f"demo (prefecture) built in {time.perf_counter() - t0:.1f} s")
    analyze()
    rows = [("prefecture (demo)", Project.objects.count(), ProgressReport.objects.count(), measure(runs))]
    add_units(units)
    fill_statistics()
    for size, label in ((n // 10, "province, a tenth"), (n - n // 10, "province")):
        t0 = time.perf_counter()
        with transaction.atomic():
            fill(size, start_index=Project.objects.count(), seed=size)
        analyze()
        print(f"filled {size} projects in {time.perf_counter() - t0:.1f} s")
        rows.append((label, Project.objects.count(), ProgressReport.objects.count(), measure(runs)))
    print(f"\nbulletin for {MONTH[0]}-{MONTH[1]:02d}, median of {runs} runs")
    print(f"{'scale':<20}{'units':>6}{'projects':>9}{'reports':>9}{'due':>7}{'compute ms':>12}{'queries':>8}"
          f"{'xlsx ms':>9}{'docx ms':>9}")  # fmt: skip
    for label, projects, reports, m in rows:
        flag = "" if m["ms"] < 1000 else "  (over 1 s target)"
        print(f"{label:<20}{m['units']:>6}{projects:>9}{reports:>9}{m['due']:>7}{m['ms']:>12.1f}{m['queries']:>8}"
              f"{m['xlsx_ms']:>9.0f}{m['docx_ms']:>9.0f}{flag}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--projects", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    if a.engine == "both":
        for engine in ("sqlite", "postgres"):
            if engine == "postgres" and not _django.postgres_available():
                print("\n== postgres == skipped: 127.0.0.1:5432 not reachable")
                continue
            subprocess.run([sys.executable, __file__, "--engine", engine, "--projects", str(a.projects),
                            "--units", str(a.units), "--runs", str(a.runs)], check=True)  # fmt: skip
        return
    run_engine(a.engine, a.projects, a.units, a.runs)


if __name__ == "__main__":
    main()
