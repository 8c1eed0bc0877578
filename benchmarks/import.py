"""Times a 50,000-row project workbook through the project library's import, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/import.py [--engine sqlite|postgres|both] [--rows 50000]

The workbook has the library export's 22 columns (half the rows with a 项目代码) and references
rows/4 enterprises that are created first. For each engine, on a fresh, migrated database, it prints:

* validate: check + read + parse + classify the whole file, nothing written (the preview page);
* import: the whole ``jigai import projects FILE`` path, i.e. validate again inside the transaction,
  bulk-create 50,000 projects and their plan years, and append 50,000 audit records;
* re-import: the same file again (all rows unchanged, nothing written);
* the CPU time of the step's process beside its wall time: on a busy machine the wall time grows with
  the load, the CPU time much less (on SQLite all the work is in this process; on PostgreSQL the
  server's share is not counted);
* the peak RSS of each step: every step runs in its own process, as one ``jigai import`` does (the
  workbook is built beforehand in the parent process).

Target (issue 4): under 10 s for the whole import, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django

UNITS = [  # (name, division code used in credit codes)
    ("恩施市", "422801"), ("利川市", "422802"), ("建始县", "422822"), ("巴东县", "422823"), ("宣恩县", "422825"),
    ("咸丰县", "422826"), ("来凤县", "422827"), ("鹤峰县", "422828"), ("州高新区", "422801"),
]  # fmt: skip
HEADERS = [
    "项目代码", "项目名称", "企业名称", "统一社会信用代码", "报送单位", "行业代码", "建设内容", "总投资（万元）",
    "设备投资（万元）", "固定资产投资（万元）", "计划开工日期", "计划竣工日期", "实际开工日期", "实际竣工日期",
    "列入计划年度", "符合产业政策", "重点项目", "示范项目", "零新增地", "挂点领导", "挂点领导职务", "状态",
]  # fmt: skip


def credit_code(i: int) -> str:
    from jigai.core.codes import credit_check_char

    body = f"91{UNITS[i % 9][1]}{i:09d}"
    return body + credit_check_char(body)


def enterprise(i: int) -> tuple[str, str, int]:
    """(name, credit code, unit index) of the i-th benchmark enterprise."""
    return f"基准企业{i}有限公司", credit_code(i), i % 9


def build(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("技改项目库")
    ws.append(["技改项目库（基准测试）"])
    ws.append(HEADERS)
    n_ent = max(1, rows // 4)
    for i in range(rows):
        name, code, unit = enterprise(i % n_ent)
        total = 500 + i % 20000
        ws.append([
            f"2019-{UNITS[unit][1]}-{13 + i % 30:02d}-03-{i:06d}" if i % 2 == 0 else None,
            f"基准技改项目{i}", name, code, UNITS[unit][0], str(13 + i % 30), "新建智能化生产线一条",
            total, total / 2, total * 0.8,
            dt.date(2019, 1 + i % 12, 1 + i % 28), dt.date(2020, 1 + i % 12, 1 + i % 28), None, None,
            "2019" if i % 3 else "2019,2020", "是", "是" if i % 4 == 0 else "否", "否", "否", None, None, "储备",
        ])  # fmt: skip
    wb.save(path)


def create_enterprises(n: int) -> None:
    from jigai.core.models import Industry, Region
    from jigai.registry.models import Enterprise

    regions = {r.name: r.pk for r in Region.objects.filter(level="unit")}
    industry = Industry.objects.get(code="13").pk
    Enterprise.objects.bulk_create(
        [
            Enterprise(name=name, credit_code=code, region_id=regions[UNITS[unit][0]], industry_id=industry)
            for name, code, unit in (enterprise(i) for i in range(n))
        ],
        batch_size=2000,
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def connect(engine: str, state: Path) -> None:
    """Django on the database that the "prepare" step made (each step runs in its own process)."""
    if engine == "sqlite":
        os.environ["JIGAI_SQLITE_PATH"] = (state / "sqlite_path").read_text()
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = _django.PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def step(name: str, engine: str, path: Path, state: Path, rows: int) -> None:
    if name == "prepare":
        _django.setup(engine)  # a fresh, migrated database
        if engine == "sqlite":
            (state / "sqlite_path").write_text(os.environ["JIGAI_SQLITE_PATH"])
        from conftest import make_user
        from jigai.accounts.models import Role

        create_enterprises(max(1, rows // 4))
        make_user("bench_office", Role.OFFICE)
        print(
            f"\n== {engine} ==  ({rows} rows, {path.stat().st_size / 1e6:.1f} MB; {max(1, rows // 4)} enterprises)"
        )
        return
    connect(engine, state)
    from jigai.accounts.models import User
    from jigai.imports import tables, validate
    from jigai.registry.imports import context_for, run_import
    from jigai.registry.models import Project

    spec = tables.get("projects")
    context = context_for(User.objects.get(username="bench_office"))
    before = peak_mb()
    t0, cpu0 = time.perf_counter(), time.process_time()
    if name == "validate":
        report = validate(spec, path, context)
        assert report.counts["new"] == rows, report.as_text(limit=5)
    else:
        report = run_import(spec, path, context, mode="all")
        if name == "import":
            assert report.written and Project.objects.count() == rows, report.message
        else:
            assert report.counts["unchanged"] == rows and not report.written, report.message
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    peak = peak_mb()
    flags = []
    if name == "import" and elapsed >= 10:
        flags.append("over the 10 s target")
    if peak >= 500:
        flags.append("over the 500 MB target")
    label = {"validate": "validate", "import": "import", "reimport": "re-import"}[name]
    timings = "  ".join(f"{k} {v:.2f}" for k, v in report.timings.items())
    flag = f"   ({'; '.join(flags)})" if flags else ""
    print(
        f"{label:<10}{elapsed:6.2f} s (cpu {cpu:5.2f})   peak RSS {peak:4.0f} MB (start {before:.0f})   {timings}{flag}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--step", help=argparse.SUPPRESS)  # set by the parent process
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--state", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        step(a.step, a.engine, Path(a.file), Path(a.state), a.rows)
        return
    with tempfile.TemporaryDirectory(prefix="jigai-import-bench-") as tmp:
        path = Path(tmp) / "projects.xlsx"
        t0 = time.perf_counter()
        build(path, a.rows)
        print(f"built {path.name}: {a.rows} rows in {time.perf_counter() - t0:.1f} s")
        engines = ["sqlite", "postgres"] if a.engine == "both" else [a.engine]
        for engine in engines:
            if engine == "postgres" and not _django.postgres_available():
                print("\n== postgres == skipped: 127.0.0.1:5432 not reachable")
                continue
            for name in ("prepare", "validate", "import", "reimport"):
                args = ["--engine", engine, "--rows", str(a.rows), "--file", str(path), "--state", tmp]
                subprocess.run([sys.executable, __file__, "--step", name, *args], check=True)


if __name__ == "__main__":
    main()
