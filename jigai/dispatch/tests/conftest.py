"""The dispatch tests' shared world: three units, projects in every situation, reports and statistics."""

import datetime as dt
from decimal import Decimal

import pytest

from .helpers import bj, project, report, stat

D = dt.date


@pytest.fixture
def world(users):
    """Three units, projects in every situation, a year and a half of reports and statistics."""
    clerk, office = users["clerk"], users["office"]
    p = {
        "a": project("422801", start=D(2018, 3, 10), planned=(D(2018, 3, 1), D(2019, 12, 31)), total_wan=5000),
        "b": project("422801", start=D(2019, 6, 15), planned=(D(2019, 6, 1), D(2020, 6, 30)), total_wan=2000),
        "c": project("422801", start=D(2018, 9, 1), completion=D(2019, 4, 20), planned=(D(2018, 9, 1), D(2019, 4, 30))),
        "d": project("422802", start=D(2019, 2, 1), total_wan=3000),
        "e": project("422802", start=D(2019, 1, 5), terminated=D(2019, 5, 10)),
        "f": project("422802", start=D(2019, 6, 30), total_wan=800),
        "g": project("422822", start=None),
        "h": project("422822", start=D(2019, 7, 5)),
        "i": project("422822", start=D(2017, 5, 1), completion=D(2018, 12, 20), planned=(D(2017, 5, 1), D(2018, 12, 31))),
        "j": project("422822", start=D(2018, 1, 1), planned=(D(2018, 1, 1), D(2019, 6, 30)), total_wan=4000),
    }  # fmt: skip
    cum = Decimal(0)
    for m in range(1, 7):  # a: steady, on time
        cum += 150
        report(clerk, p["a"], 2019, m, 150, 3000 + cum, progress_pct=60 + m)
    report(clerk, p["b"], 2019, 6, 80, 80, at=bj(2019, 7, 8))  # late
    for m in range(1, 5):
        report(clerk, p["c"], 2019, m, 100, 3000 + 100 * m)
    report(office, p["d"], 2019, 5, 200, 400)  # June missing
    report(office, p["e"], 2019, 5, 50, 300)
    report(
        office,
        p["f"],
        2019,
        6,
        0,
        0,
        state="stalled",
        problems="用地手续未办结",
        department_asked="州自然资源和规划局",
    )
    report(office, p["j"], 2019, 5, 100, 1200)
    report(
        office,
        p["j"],
        2019,
        6,
        100,
        1100,
        state="behind",
        problems="资金紧张",
        department_asked="州政府金融办",
    )
    report(office, p["a"], 2018, 6, 100, 1000)  # last year: not in this year's library sum
    # Official statistics (万元): 恩施 +20 %, 利川 +25 %, 建始 from a zero base; the others not reported.
    for code, base, cur in (("422801", 1000, 1200), ("422802", 2000, 2500), ("422822", 0, 500)):
        stat(code, 2018, 6, base * 3, base)
        stat(code, 2019, 6, cur * 3, cur)
        stat(code, 2019, 5, cur * 2, cur * 8 // 10)
        stat(code, 2018, 5, base * 2, base * 8 // 10)
    return p
