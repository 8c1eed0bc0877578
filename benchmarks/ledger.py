"""Time a year's ledger and budget page at province scale: 100 units, 20,000 projects with one approved
item each, 10,000 payments.

    .venv/bin/python benchmarks/ledger.py [--engine sqlite|postgres|both] [--projects 20000] [--runs 10]

Prints the median time of building the ledger (jigai.funds.ledger.build), of the budget page and of the
ledger page, and the number of queries of each, at a tenth of the size and at full size: the query
count does not grow with the data. Target (the money path): under 500 ms each. PostgreSQL runs when
127.0.0.1:5432 answers (JIGAI_BENCH_DB names the throw-away database; with DATABASE_URL set the
postgres run is asked for explicitly). Each engine runs in its own process.
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

YEAR = 2019
UNITS = 100


def units():
    from jigai.core.models import Region

    have = list(Region.objects.filter(level="unit").order_by("code"))
    extra = [
        Region(code=f"B{n:03d}", name=f"基准县{n}", division_code="422899", level="unit", sort_order=100 + n)
        for n in range(UNITS - len(have))
    ]
    return have + Region.objects.bulk_create(extra)


def fill(regions, n_projects: int, n_payments: int, start: int = 0) -> None:
    """Projects with one approved item each (3.1.1), committed in the budgets; the first ``n_payments``
    paid at the prefecture's level. Bulk-filled: a throw-away benchmark database, not the app's data."""
    from jigai.core.codes import credit_check_char
    from jigai.core.models import Industry
    from jigai.funds.models import Budget, Item, Payment
    from jigai.registry.models import Enterprise, Project

    rng = random.Random(start + 1)
    industry = Industry.objects.filter(section="C").first()
    from jigai.accounts.models import User

    office = User.objects.get(username="bench_office")
    ents = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{i}有限公司",
                credit_code=(body := f"91422801{i:09d}") + credit_check_char(body),
                region=regions[i % len(regions)],
                industry=industry,
            )
            for i in range(start, start + n_projects)
        ],
        batch_size=2000,
    )
    total = Decimal("10000000.00")
    projects = Project.objects.bulk_create(
        [
            Project(
                enterprise=e,
                region=e.region,
                industry=industry,
                name=f"基准技改项目{start + n}",
                total_investment_yuan=total,
                equipment_investment_yuan=total / 2,
                fixed_asset_investment_yuan=total * Decimal("0.8"),
                status="accepted",
            )
            for n, e in enumerate(ents)
        ],
        batch_size=2000,
    )
    now = dt.datetime(2020, 3, 2, 10, tzinfo=dt.UTC)
    amounts = [Decimal(rng.randint(5, 200)) * 1000 for _ in projects]
    items = Item.objects.bulk_create(
        [
            Item(
                source=f"bench:{p.pk}:3.1.1",
                clause="3.1.1",
                year=YEAR,
                enterprise_id=p.enterprise_id,
                project=p,
                region_id=p.region_id,
                entitled_yuan=a,
                proposed_yuan=a,
                approved_yuan=a,
                prefecture_share_yuan=a / 2,
                county_share_yuan=a / 2,
                explanation="按3.1.1测算",
                state="payable",
                proposed_by=office,
                proposed_at=now,
                decided_by=office,
                decided_at=now,
                committed_at=now,
            )
            for p, a in zip(projects, amounts, strict=True)
        ],
        batch_size=2000,
    )
    paid = items[:n_payments]
    Payment.objects.bulk_create(
        [
            Payment(
                item=i,
                level="prefecture",
                amount_yuan=i.prefecture_share_yuan,
                paid_on=now.date(),
                voucher_no=f"记-{i.pk}",
                by=office,
                at=now,
            )
            for i in paid
        ],
        batch_size=2000,
    )
    for i in paid:
        i.paid_yuan = i.prefecture_share_yuan
    Item.objects.bulk_update(paid, ["paid_yuan"], batch_size=2000)
    # Budgets that hold exactly what the items say (so the ledger reconciles).
    by_region: dict[int, Decimal] = {}
    pref_committed = pref_paid = Decimal(0)
    for n, i in enumerate(items):
        by_region[i.region_id] = by_region.get(i.region_id, Decimal(0)) + i.county_share_yuan
        if n < n_payments:
            pref_paid += i.prefecture_share_yuan
        else:
            pref_committed += i.prefecture_share_yuan
    pref, _ = Budget.objects.get_or_create(year=YEAR, level="prefecture", region=None)
    pref.committed_yuan += pref_committed
    pref.paid_yuan += pref_paid
    pref.allocated_yuan = pref.committed_yuan + pref.paid_yuan + Decimal("1000000")
    Budget.objects.filter(pk=pref.pk).update(
        allocated_yuan=pref.allocated_yuan, committed_yuan=pref.committed_yuan, paid_yuan=pref.paid_yuan
    )
    for region_id, committed in by_region.items():
        b, _ = Budget.objects.get_or_create(year=YEAR, level="county", region_id=region_id)
        b.committed_yuan += committed
        Budget.objects.filter(pk=b.pk).update(
            committed_yuan=b.committed_yuan, allocated_yuan=b.committed_yuan * 2
        )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def measure(call, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        call()
    return statistics.median(times), len(ctx.captured_queries)


def run_engine(engine: str, n: int, runs: int) -> None:
    _django.setup(engine)
    from django.conf import settings
    from django.test import Client

    from conftest import make_user
    from jigai.accounts.models import Role
    from jigai.funds import ledger

    settings.ALLOWED_HOSTS = ["*"]
    finance = make_user("bench_finance", Role.FINANCE)
    make_user("bench_office", Role.OFFICE)
    client = Client()
    client.force_login(finance)

    def page(url):
        def get():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)

        return get

    checks = {
        "ledger.build (budgets, reconciled)": lambda: ledger.build(finance, YEAR),
        "all item rows (CLI, export)": lambda: ledger.build(finance, YEAR).items,
        "budget page /funds/budgets/": page(f"/funds/budgets/?year={YEAR}"),
        "ledger page /funds/ledger/": page(f"/funds/ledger/?year={YEAR}"),
    }
    print(f"\n== {engine} ==")
    regions = units()
    results = {}
    small = n // 10
    t0 = time.perf_counter()
    fill(regions, small, small // 2)
    for label, call in checks.items():
        results[(small, label)] = measure(call, runs)
    fill(regions, n - small, (n - small) // 2, start=small)
    print(
        f"filled {len(regions)} units, {n} projects and items, {n // 2} payments in {time.perf_counter() - t0:.1f} s"
    )
    book = ledger.build(finance, YEAR)
    print(f"ledger reconciles with the budgets: {'yes' if book.reconciled else 'NO'}")
    for label, call in checks.items():
        results[(n, label)] = measure(call, runs)
    print(f"{'what':<36}{'projects':>10}{'median ms':>12}{'queries':>9}")
    for (size, label), (ms, q) in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        flag = "" if ms < 500 else "  (over 500 ms target)"
        print(f"{label:<36}{size:>10}{ms:>12.1f}{q:>9}{flag}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--projects", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    if a.engine == "both":
        for engine in ("sqlite", "postgres"):
            if engine == "postgres" and not _django.postgres_available():
                print("\n== postgres == skipped: 127.0.0.1:5432 not reachable")
                continue
            args = [
                sys.executable,
                __file__,
                "--engine",
                engine,
                "--projects",
                str(a.projects),
                "--runs",
                str(a.runs),
            ]
            subprocess.run(args, check=True)
        return
    run_engine(a.engine, a.projects, a.runs)


if __name__ == "__main__":
    main()
