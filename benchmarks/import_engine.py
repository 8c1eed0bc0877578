"""Times the import engine alone on a 50,000-row project workbook (the test table, no database).

    .venv/bin/python benchmarks/import_engine.py [ROWS]

Prints the file size, the time to check + read + parse + classify (validate), the time of a full run
into the in-memory adapter, and the peak resident memory of the measuring process. The workbook is
built first in a separate process, so its construction does not count towards the peak.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from jigai.imports.tests.tables import make_code

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("项目")
    ws.append(["2018年恩施州技改项目汇总表"])
    ws.append(["填报单位：州经信局", None, None, None, "单位：万元"])
    ws.append(
        [
            "序号",
            "项目名称",
            "所属县市",
            "统一社会信用代码",
            "总投资",
            "设备投资",
            "累计完成投资（元）",
            "开工时间",
            "是否重点项目",
            "所属行业",
            "计划年度",
        ]
    )
    units = ["恩施市", "利川市", "建始县", "巴东县", "宣恩县", "咸丰县", "来凤县", "鹤峰县", "高新区"]
    for i in range(1, rows + 1):
        ws.append(
            [
                i,
                f"年产{i}吨硒茶加工技术改造项目",
                units[i % 9],
                make_code(i),
                1000 + i % 5000 + (i % 7) / 8,
                f"{300 + i % 300:,}.25",
                i * 1000.5,
                dt.datetime(2018, 1 + i % 12, 1 + i % 28) if i % 2 else f"2018年{1 + i % 12}月",
                "是" if i % 3 else "否",
                "13 农副食品加工业",
                2018 + i % 3,
            ]
        )
    ws.append([None, "合计"])
    wb.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(path: Path) -> None:
    from jigai.imports import ImportContext, run, validate
    from jigai.imports.safety import UploadLimits
    from jigai.imports.tests.tables import DictAdapter, project_spec

    limits = UploadLimits(max_bytes=100 * 1024 * 1024)
    base = peak_mb()
    adapter = DictAdapter()
    spec = project_spec(adapter)

    started = time.perf_counter()
    report = validate(spec, path, ImportContext(), limits=limits)
    validate_s = time.perf_counter() - started
    assert not report.file_errors, report.as_text(limit=5)
    counts = report.counts
    timings = report.timings

    started = time.perf_counter()
    report = run(spec, path, ImportContext(), limits=limits, atomic=adapter.atomic)
    run_s = time.perf_counter() - started
    assert report.written and len(adapter.store) == counts["new"]

    started = time.perf_counter()
    again = run(spec, path, ImportContext(), limits=limits, atomic=adapter.atomic)
    rerun_s = time.perf_counter() - started
    assert again.counts["unchanged"] == counts["new"] and not again.written

    print(f"rows: {counts['total']} (new {counts['new']}, rejected {counts['rejected']})")
    print(f"validate (check + read/parse + classify): {validate_s:.2f} s")
    print(
        f"  of which check {timings.get('check', 0):.2f} s, read+parse {timings.get('read', 0):.2f} s, "
        f"classify {timings.get('classify', 0):.2f} s"
    )
    print(f"run (validate + write into a dict): {run_s:.2f} s, write {report.timings.get('write', 0):.2f} s")
    print(f"re-import, all unchanged: {rerun_s:.2f} s")
    print(f"peak RSS: {peak_mb():.0f} MB (interpreter and imports before the first import: {base:.0f} MB)")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "projects.xlsx"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                f"import import_engine; import_engine.build(__import__('pathlib').Path({str(path)!r}), {rows})",
            ],
            check=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        print(
            f"workbook: {rows} rows, {path.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s"
        )
        subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
