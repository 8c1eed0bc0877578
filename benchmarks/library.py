"""Fill the project library with 50,000 projects and time the first page of a filtered list and a detail.

    .venv/bin/python benchmarks/library.py [--engine sqlite|postgres] [--projects 50000] [--runs 30]

Prints the median render time and the number of queries per page, at two data sizes, to show the
query count does not grow with the data. Target (issue 2): under 100 ms median each. Each engine runs
in its own process, because Django binds to one database per process.
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


def fill(n_projects: int, start_index: int = 0) -> None:
    from jigai.core.codes import credit_check_char
    from jigai.core.models import Industry, Region
    from jigai.registry.models import Enterprise, Project, ProjectPlanYear

    rng = random.Random(start_index + 1)
    units = list(Region.objects.filter(level="unit"))
    industries = list(Industry.objects.filter(section="C"))
    n_ent = max(1, n_projects // 4)
    ents = []
    for i in range(start_index // 4, start_index // 4 + n_ent):
        body = f"91422801{i:09d}"
        ents.append(
            Enterprise(
                name=f"基准企业{i}有限公司",
                credit_code=body + credit_check_char(body),
                region=rng.choice(units),
                industry=rng.choice(industries),
            )
        )
    ents = Enterprise.objects.bulk_create(ents, batch_size=2000)
    projects = []
    for i in range(n_projects):
        e = rng.choice(ents)
        total = Decimal(rng.randint(500, 50000)) * 10000
        projects.append(
            Project(
                enterprise=e,
                region=e.region,
                industry=e.industry,
                name=f"基准技改项目{start_index + i}",
                total_investment_yuan=total,
                equipment_investment_yuan=total / 2,
                fixed_asset_investment_yuan=total * Decimal("0.8"),
                planned_start_date=dt.date(2018 + i % 3, 1 + i % 12, 1),
                status=rng.choice(["reserve", "construction", "construction", "completed", "accepted"]),
                is_key=rng.random() < 0.3,
            )
        )
    projects = Project.objects.bulk_create(projects, batch_size=2000)
    ProjectPlanYear.objects.bulk_create(
        [ProjectPlanYear(project=p, year=2018 + p.pk % 3) for p in projects], batch_size=5000
    )
    from django.db import connection

    with connection.cursor() as cur:  # fresh statistics, as autovacuum/ANALYZE would give a live database
        cur.execute("ANALYZE")


def measure(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def run_engine(engine: str, n: int, runs: int) -> None:
    _django.setup(engine)
    from django.conf import settings
    from django.test import Client

    from conftest import make_user
    from jigai.accounts.models import Role
    from jigai.registry.models import Project

    settings.ALLOWED_HOSTS = ["*"]
    office = make_user("bench_office", Role.OFFICE)
    client = Client()
    client.force_login(office)
    urls = {
        "list (status=在建, flag=重点, year=2019)": "/projects/?status=construction&flag=key&year=2019",
        "list (search)": "/projects/?q=基准技改项目4",
    }
    print(f"\n== {engine} ==")
    small = n // 10
    t0 = time.perf_counter()
    fill(small)
    sizes = [(small, None)]
    results = {}
    for label, url in urls.items():
        results[(small, label)] = measure(client, url, runs)
    pid = Project.objects.order_by("id").first().pk
    results[(small, "detail")] = measure(client, f"/projects/{pid}/", runs)
    fill(n - small, start_index=small)
    print(f"filled {n} projects in {time.perf_counter() - t0:.1f} s")
    sizes.append((n, None))
    for label, url in urls.items():
        results[(n, label)] = measure(client, url, runs)
    pid = Project.objects.order_by("-id").first().pk
    results[(n, "detail")] = measure(client, f"/projects/{pid}/", runs)
    print(f"{'page':<42}{'projects':>10}{'median ms':>12}{'queries':>9}")
    for (size, label), (ms, q) in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        flag = "" if ms < 100 else "  (over 100 ms target)"
        print(f"{label:<42}{size:>10}{ms:>12.1f}{q:>9}{flag}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--projects", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    if a.engine == "both":
        for engine in ("sqlite", "postgres"):
            if engine == "postgres" and not _django.postgres_available():
                print("\n== postgres == skipped: 127.0.0.1:5432 not reachable")
                continue
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--engine",
                    engine,
                    "--projects",
                    str(a.projects),
                    "--runs",
                    str(a.runs),
                ],
                check=True,
            )
        return
    run_engine(a.engine, a.projects, a.runs)


if __name__ == "__main__":
    main()
