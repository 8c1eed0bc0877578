"""Time to build the tables of an official document (.docx, GB/T 9704-2012 layout).

    .venv/bin/python benchmarks/documents.py [--rows 1000] [--runs 5] [--units 100]

Prints the median time of `OfficialDocument.table` per 1,000 cells (a 7-column table of text, 万元,
percentages, integers and empty cells), and of a whole document shaped as a province-scale monthly
bulletin (`jigai.dispatch.render.docx_bytes` at 100 units: 表1 101 × 7, 表2 101 × 11 in 五号, 表3–表7 at
the document's 50-row limit) from the constructor to the .docx bytes. No database: the rows are made
up here; `benchmarks/bulletin.py` times the real bulletin from a snapshot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jigai.documents import DocumentNumber, OfficialDocument

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
KINDS = ["text", "money_wan", "money_wan", "percent", "int", "text", "decimal"]
HEADERS = ["单位", "技改投资累计", "去年同期", "增幅", "项目数", "备注", "得分"]


def _document() -> OfficialDocument:
    return OfficialDocument(
        issuer=ISSUER,
        number=DocumentNumber(prefix="恩施州技改办", year=2020, serial=7),
        title="关于2020年6月全州技改项目推进情况的通报",
        addressees="各县市人民政府，州高新区管委会",
    )


def _rows(n: int, rng: random.Random) -> list[list]:
    return [
        [
            f"基准县{i}",
            Decimal(rng.randint(0, 10**12)) / 100,
            Decimal(rng.randint(0, 10**12)) / 100 if i % 7 else None,
            Decimal(rng.randint(-5000, 5000)) / 10000 if i % 5 else None,
            rng.randint(0, 500),
            "用地报批慢，需协调" if i % 3 == 0 else "",
            Decimal(rng.randint(0, 10000)) / 100,
        ]
        for i in range(n)
    ]


def table_ms_per_1000_cells(n_rows: int, runs: int) -> float:
    rows = _rows(n_rows, random.Random(1))
    cells = (n_rows + 1) * len(HEADERS)
    times = []
    for _ in range(runs):
        doc = _document()
        t0 = time.perf_counter()
        doc.table(
            caption="表1　基准表", unit="单位：万元", headers=HEADERS, rows=rows, kinds=KINDS, total_row=True
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000 / cells * 1000


def bulletin_shaped(units: int, rng: random.Random) -> tuple[bytes, int]:
    """The tables of a month's bulletin at `units` units; returns the .docx and its table cells."""
    doc = _document()
    cells = 0

    def table(headers, rows, **options):
        nonlocal cells
        doc.table(headers=headers, rows=rows, **options)
        cells += (len(rows) + 1) * len(headers)

    doc.paragraph("现将2020年6月全州技改项目推进情况通报如下：")
    doc.heading1("一、总体情况")
    doc.paragraph("1—6月，全州完成技改投资45.67亿元，同比增长12.35%。")
    doc.heading1("二、各县市推进情况")
    money = [Decimal(rng.randint(0, 10**12)) / 100 for _ in range(units + 1)]
    table(
        ["单位", "技改投资累计", "增幅", "排名", "工业投资累计", "去年同期", "增幅"],
        [
            [f"基准县{i}", money[i], Decimal(i) / 100, i + 1, money[i] * 3, money[i] / 2, None]
            for i in range(units)
        ]
        + [["合计", sum(money), Decimal("0.1234"), None, sum(money) * 3, sum(money) / 2, Decimal("0.05")]],
        caption="表1　2020年1—6月各县市技改投资完成情况",
        unit="单位：万元",
        kinds=["text", "money_wan", "percent", "int", "money_wan", "money_wan", "percent"],
        total_row=True,
        widths=[1.2, 1.5, 1.1, 0.7, 1.5, 1.5, 1.1],
    )
    table(
        ["单位", *[f"指标{i}" for i in range(1, 11)]],
        [[f"基准县{i}", *[rng.randint(0, 300) for _ in range(10)]] for i in range(units)]
        + [["合计", *[rng.randint(0, 3000) for _ in range(10)]]],
        caption="表2　2020年1—6月各县市技改项目实施情况",
        unit="单位：个",
        kinds=["text"] + ["int"] * 10,
        total_row=True,
        widths=[1.4] + [1] * 10,
        font_size=10.5,
    )
    doc.heading1("三、需要关注的项目")
    limit = 50
    project = [f"省级基准项目{i}（年产{i}万吨技术改造）" for i in range(limit)]
    table(
        ["单位", "项目名称", "总投资", "累计完成", "投资进度", "时间进度", "形象进度"],
        [[f"基准县{i}", project[i], money[i], money[i] / 3, Decimal("0.33"), Decimal("0.5"), "主体完工"] for i in range(limit)],
        caption="表3　滞后于序时进度的项目",
        unit="单位：万元",
        kinds=["text", "text", "money_wan", "money_wan", "percent", "percent", "text"],
        widths=[1, 2.6, 1.2, 1.2, 1, 1, 1.6],
    )  # fmt: skip
    table(["单位", "项目名称", "形象进度", "存在问题"],
          [[f"基准县{i}", project[i], "—", "资金不到位"] for i in range(limit)],
          caption="表4　停工停滞项目", widths=[1, 2.4, 2, 2.6])  # fmt: skip
    table(["单位", "项目名称", "企业", "情况", "报送日期"],
          [[f"基准县{i}", project[i], f"基准企业{i}有限公司", "逾期", dt.date(2020, 7, 8)] for i in range(limit)],
          caption="表5　未按时报送的项目", kinds=["text", "text", "text", "text", "date"],
          widths=[1, 2.4, 2.2, 1, 1.2])  # fmt: skip
    table(["单位", "项目名称", "需协调解决的问题", "请求协调部门"],
          [[f"基准县{i}", project[i], "用地报批慢", "州自然资源和规划局"] for i in range(limit)],
          caption="表6　需协调解决的问题", widths=[1, 2.2, 3, 1.6])  # fmt: skip
    doc.heading1("四、数据核查提示")
    table(["单位", "项目", "提示", "说明"],
          [[f"基准县{i}", project[i], "月度投资异常", "本月投资为前几个月中位数的5倍"] for i in range(limit)],
          caption="表7　数据核查提示", widths=[1, 2.2, 1.4, 3.6])  # fmt: skip
    doc.signature(organ=ISSUER, date=dt.date(2020, 7, 10))
    doc.record(printer="恩施州经济和信息化委员会办公室", print_date=dt.date(2020, 7, 10),
               distribution=[("发", "各县市人民政府。")])  # fmt: skip
    return doc.to_bytes(), cells


def bulletin_ms(units: int, runs: int) -> tuple[float, int, int]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        data, cells = bulletin_shaped(units, random.Random(2))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, cells, len(data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=100)
    a = ap.parse_args()
    _document()  # warm: imports, the template package
    per_1000 = table_ms_per_1000_cells(a.rows, a.runs)
    print(f"OfficialDocument.table, {a.rows + 1} rows × {len(HEADERS)} columns, median of {a.runs} runs")
    print(f"  {per_1000:.1f} ms per 1,000 cells")
    ms, cells, size = bulletin_ms(a.units, a.runs)
    print(
        f"bulletin-shaped .docx at {a.units} units ({cells} table cells, {size / 1024:.0f} KiB), median of {a.runs} runs"
    )
    print(f"  {ms:.0f} ms from the constructor to the bytes")


if __name__ == "__main__":
    main()
