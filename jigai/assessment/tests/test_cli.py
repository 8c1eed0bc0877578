"""`jigai assess rank|interviews PERIOD [--stats FILE]`: the ranking anyone can check offline."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .factories import june_2019

ROOT = Path(__file__).resolve().parents[3]

ROWS = [
    ("422801", "2018-06", "1000000"), ("422801", "2019-06", "1300000"),
    ("422802", "2018-06", "1000000"), ("422802", "2019-06", "1200000.50"),
    ("422822", "2018-06", "0"), ("422822", "2019-06", "500"),
    ("422823", "2018-06", "1000000"), ("422823", "2019-06", "900000"),
    ("422825", "2018-06", "1000000"), ("422825", "2019-06", "1100000"),
    ("422826", "2018-06", "1000000"), ("422826", "2019-06", "1150000"),
    ("422827", "2018-06", "0"), ("422827", "2019-06", "0"),
    ("GXQ", "2018-06", "2000000"), ("GXQ", "2019-06", "2200000"),
    # 鹤峰县 has not reported.
]  # fmt: skip


def _csv(tmp_path, rows=ROWS, header=("region_code", "month", "tech_investment_ytd_yuan")) -> Path:
    path = tmp_path / "stats.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _run(*args) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_rank_from_a_stats_file_needs_no_database(tmp_path):
    # No django_db mark: any query would fail the test.
    rows = json.loads(_run("rank", "2019Q2", "--stats", str(_csv(tmp_path))))
    assert [(r["region_code"], r["rank"], r["bottom"], r["growth_pct"], r["flags"]) for r in rows] == [
        ("422822", 1, False, None, ["zero_base"]),
        ("422801", 2, False, "30.00", []),
        ("422802", 3, False, "20.00", []),
        ("422826", 4, False, "15.00", []),
        ("422825", 5, False, "10.00", []),
        ("GXQ", 5, False, "10.00", []),
        ("422823", 7, False, "-10.00", []),
        ("422827", 8, True, None, ["zero_base", "no_investment"]),
        ("422828", 8, True, None, ["missing"]),
    ]
    assert rows[2] == {"region_code": "422802", "name": "利川市", "current_yuan": "1200000.50",
                       "base_yuan": "1000000.00", "growth_pct": "20.00", "rank": 3, "bottom": False, "flags": []}  # fmt: skip


def test_rank_as_csv_from_an_xlsx_file(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["region_code", "month", "tech_investment_ytd_yuan"])
    for code, month, amount in ROWS:
        ws.append([code, month, float(amount)])
    path = tmp_path / "stats.xlsx"
    wb.save(path)
    out = _run("rank", "2019H1", "--stats", str(path), "--format", "csv")
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0] == [
        "region_code",
        "name",
        "current_yuan",
        "base_yuan",
        "growth_pct",
        "rank",
        "bottom",
        "flags",
    ]
    assert lines[-1] == ["422828", "鹤峰县", "", "", "", "8", "true", "missing"]
    assert ["422823", "巴东县", "900000.00", "1000000.00", "-10.00", "7", "false", ""] in lines


def test_an_invalid_file_lists_every_problem_with_row_and_column_and_exits_2(tmp_path):
    path = _csv(tmp_path, rows=[("422801", "2019-13", "abc"), ("XXX", "2019-06", "1"),
                                ("422802", "2019-06", "-5"), ("422802", "2019-06", "6")])  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("assess", "rank", "2019Q2", "--stats", str(path), stderr=err)
    assert exc.value.returncode == 2
    text = err.getvalue()
    for expected in ("第 2 行，“month”列", "第 2 行，“tech_investment_ytd_yuan”列", "第 3 行，“region_code”列",
                     "第 4 行，“tech_investment_ytd_yuan”列（值“-5”）：金额不能为负数", "第 5 行"):  # fmt: skip
        assert expected in text, text


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = _csv(tmp_path, header=("unit", "when", "amount"))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("assess", "rank", "2019Q2", "--stats", str(path), stderr=err)
    assert exc.value.returncode == 2 and "表头" in err.getvalue()


def test_interviews_lists_the_cases_the_round_would_open(tmp_path):
    cases = json.loads(_run("interviews", "2019Q2", "--stats", str(_csv(tmp_path))))
    assert [(c["region_code"], c["level"], c["deputy_attends"], c["periods"]) for c in cases] == [
        ("422827", "principal", True, ["2019Q2", "2019H1"]),
        ("422828", "principal", True, ["2019Q2", "2019H1"]),
    ]


@pytest.mark.django_db
def test_rank_reads_the_database_without_a_file():
    june_2019()
    rows = json.loads(_run("rank", "2019Q2", "--basis", "cumulative"))
    assert [r["region_code"] for r in rows if r["bottom"]] == ["422827", "422828"]


def test_the_jigai_command_reaches_assess_and_a_bad_period_exits_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "jigai.cli", "assess", "rank", "2019Q5"], cwd=ROOT,
                       capture_output=True, text=True, env={"DJANGO_SETTINGS_MODULE": "config.settings.test",
                                                            "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert r.returncode == 2 and "不是有效的考核期间" in r.stderr
    r = subprocess.run([sys.executable, "-m", "jigai.cli", "assess", "rank", "2019Q2", "--stats",
                        str(_csv(tmp_path)), "--format", "csv"], cwd=ROOT, capture_output=True, text=True,
                       env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin",
                            "JIGAI_SQLITE_PATH": str(tmp_path / "absent" / "none.sqlite3")})  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("422822,建始县,500.00,0.00,,1,false,zero_base")
