"""`jigai policy …` end to end through ``main([...])``: files in, decisions out, every problem listed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jigai.incentives.policy_commands import main

HEADERS_EN = [
    "project_id",
    "registered_in_prefecture",
    "conforms_industrial_policy",
    "plan_year",
    "industry_division",
    "key_project",
    "start_date",
    "completion_date",
    "in_production",
    "equipment_investment_yuan",
    "fixed_asset_investment_yuan",
]
HEADERS_ZH = [
    "项目编号",
    "州内注册",
    "符合产业政策",
    "计划年度",
    "行业代码",
    "重点项目",
    "开工日期",
    "竣工日期",
    "已投产",
    "设备投资（元）",
    "固定资产投资（元）",
]
ROW_A = ["ES-A", "true", "1", "2019", "27", "是", "2019-01-01", "2020-06-30", "是", "5000000", "30000000"]
ROW_B = ["ES-B", "否", "0", "", "13", "false", "2018-03-15", "2021-03-16", "否", "2999999.99", "19999999.99"]


def _csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _run(capsysbinary, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def test_evaluate_prints_one_3_1_1_and_one_3_2_decision_per_project_as_json(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A, ROW_B])
    code, out, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 0, err
    decisions = json.loads(out)
    assert [(d["project_id"], d["clause"]) for d in decisions] == [
        ("ES-A", "3.1.1"),
        ("ES-A", "3.2"),
        ("ES-B", "3.1.1"),
        ("ES-B", "3.2"),
    ]
    a311 = decisions[0]
    assert a311["decision"] == "eligible" and a311["amount_yuan"] == "150000.00"
    assert a311["capped"] is False and a311["estimate"] is True
    assert {"reasons", "parameters", "explanation"} <= set(a311)
    b311, b32 = decisions[2], decisions[3]
    assert b311["amount_yuan"] == "0.00"
    assert [r["code"] for r in b311["reasons"]] == ["NOT_REGISTERED", "NOT_CONFORMING", "NOT_IN_PLAN"]
    # started in 2018, completed in 2021: the start year's 3.2 rule applies, so every failed
    # condition is checked against it (docs/programme.md, reading 13)
    assert [r["code"] for r in b32["reasons"]] == [
        "NOT_REGISTERED",
        "NOT_KEY_PROJECT",
        "BELOW_THRESHOLD",
        "NOT_IN_PRODUCTION",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_evaluate_reads_chinese_headers_in_utf8_utf8_bom_and_gbk(tmp_path, capsysbinary, encoding) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_ZH, [ROW_A], encoding)
    code, out, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 0, err
    assert json.loads(out)[1]["amount_yuan"] == "300000.00"


def test_evaluate_reads_amounts_in_wan_yuan_exactly(tmp_path, capsysbinary) -> None:
    headers = [*HEADERS_ZH[:9], "设备投资（万元）", "固定资产投资 (万元)"]
    path = _csv(tmp_path / "p.csv", headers, [[*ROW_A[:9], "300.000001", "2000"]])
    code, out, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 0, err
    d = json.loads(out)
    assert d[0]["reasons"][0]["values"]["equipment_investment_yuan"] == "3000000.01"
    assert d[1]["amount_yuan"] == "200000.00"


def test_evaluate_reads_an_xlsx_with_dates_numbers_and_booleans_as_excel_stores_them(
    tmp_path, capsysbinary
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADERS_ZH, "核定设备投资（元）"])
    ws.append(
        [
            "ES-X",
            True,
            "是",
            2019,
            27,
            1,
            datetime(2019, 1, 1),
            datetime(2020, 6, 30),
            "是",
            5000000,
            30000000.0,
            4000000.01,
        ]
    )
    ws.append([None] * 12)  # a blank row is skipped
    ws.append(["ES-Y", "是", "是", 2020.0, "13", "是", "2020-01-01", "2020-12-31", "否", 1234567.89, 1, None])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    code, out, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 0, err
    d = json.loads(out)
    assert d[0]["amount_yuan"] == "120000.00" and d[0]["estimate"] is False
    assert d[2]["reasons"][0]["values"]["equipment_investment_yuan"] == "1234567.89"


def test_evaluate_reads_a_json_list_of_objects_with_exact_numbers(tmp_path, capsysbinary) -> None:
    record = dict(zip(HEADERS_EN, ROW_A, strict=True))
    record["equipment_investment_yuan"] = 3000000.01
    record["registered_in_prefecture"] = True
    path = tmp_path / "p.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    code, out, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 0, err
    assert json.loads(out)[0]["reasons"][1]["values"]["computed_yuan"] == "90000.0003"


def test_invalid_input_lists_every_problem_with_row_and_column_exits_2_and_writes_nothing(
    tmp_path, capsysbinary
) -> None:
    headers = [*HEADERS_ZH, "备注"]
    rows = [
        [*ROW_A, ""],
        ["ES-C", "也许", "是", "2019", "27", "是", "2019-02-30", "2020-01-01", "是", "-5", "1", ""],
        ["ES-D", "是", "是", "2019", "27", "是", "2020-01-01", "2019-12-31", "是", "1", "1", ""],
    ]
    path = _csv(tmp_path / "p.csv", headers, rows)
    target = tmp_path / "out.json"
    code, out, err = _run(capsysbinary, "evaluate", str(path), "--output", str(target))
    assert code == 2
    assert out == ""
    assert not target.exists()
    lines = err.strip().splitlines()
    assert "第1行（表头），列「备注」：未知列" in lines
    assert any(line.startswith("第3行，列「州内注册」：无法识别的是/否值") for line in lines)
    assert any(line.startswith("第3行，列「开工日期」：日期格式错误") for line in lines)
    assert any(line.startswith("第3行，列「设备投资（元）」：金额不能为负数") for line in lines)
    assert any(
        line.startswith("第4行，列「竣工日期」：竣工日期 2019-12-31 早于开工日期 2020-01-01")
        for line in lines
    )
    assert lines[-1] == "共 5 个问题，未写出任何结果。"


def test_a_missing_required_column_is_reported_once_not_on_every_row(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN[:-1], [ROW_A[:-1], ROW_B[:-1]])
    code, _, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 2
    assert err.count("fixed_asset_investment_yuan") == 1
    assert "缺少必填列" in err


def test_an_amount_column_without_a_unit_is_refused_with_a_hint(tmp_path, capsysbinary) -> None:
    headers = [*HEADERS_ZH[:9], "设备投资", "固定资产投资（元）"]
    code, _, err = _run(capsysbinary, "evaluate", str(_csv(tmp_path / "p.csv", headers, [ROW_A])))
    assert code == 2
    assert "未注明金额单位" in err


def test_a_duplicate_project_is_reported_with_both_rows(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A, ROW_A])
    code, _, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 2
    assert "第3行，列「project_id」：编号重复：ES-A（与第2行相同）" in err


def test_an_unsupported_file_type_exits_2(tmp_path, capsysbinary) -> None:
    path = tmp_path / "p.xls"
    path.write_bytes(b"nope")
    code, _, err = _run(capsysbinary, "evaluate", str(path))
    assert code == 2 and "不支持的文件类型" in err


def test_csv_output_escapes_text_that_a_spreadsheet_would_run_as_a_formula(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [["=HYPERLINK(1)", *ROW_A[1:]], ["+1", *ROW_B[1:]]])
    code, out, err = _run(capsysbinary, "evaluate", str(path), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["project_id"] == "'=HYPERLINK(1)"
    assert rows[2]["project_id"] == "'+1"
    assert rows[0]["amount_yuan"] == "150000.00" and rows[0]["decision"] == "eligible"
    assert rows[0]["reason_codes"] == "CONDITIONS_MET;AMOUNT_COMPUTED;ESTIMATE"


def test_xlsx_output_writes_formula_like_text_as_a_string_cell(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [["@SUM(A1)", *ROW_A[1:]]])
    target = tmp_path / "out.xlsx"
    code, _, err = _run(capsysbinary, "evaluate", str(path), "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]][:4] == ["项目编号", "条款", "结论", "金额（元）"]
    cell = ws["A2"]
    assert cell.value == "@SUM(A1)" and cell.data_type == "s" and cell.quotePrefix
    assert ws["C2"].value == "符合" and Decimal(str(ws["D2"].value)) == Decimal("150000")


def test_xlsx_output_needs_an_output_file(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    code, out, err = _run(capsysbinary, "evaluate", str(path), "--format", "xlsx")
    assert code == 2 and out == "" and "--output" in err


def test_awards_gives_one_decision_per_row_with_the_row_in_place_of_a_project(tmp_path, capsysbinary) -> None:
    path = _csv(
        tmp_path / "a.csv",
        ["企业编号", "单项技术", "年度", "行业", "级别", "名次"],
        [
            ["E1", "富硒茶提取", "2019", "硒食品加工", "全国", "1"],
            ["E1", "富硒茶提取", "2019", "硒食品加工", "全省", "1"],
            ["E2", "钢构件", "2019", "装备制造", "provincial", "2"],
        ],
    )
    code, out, err = _run(capsysbinary, "awards", str(path))
    assert code == 0, err
    d = json.loads(out)
    assert [(x["enterprise_id"], x["technology"], x["year"], x["level"], x["rank"]) for x in d] == [
        ("E1", "富硒茶提取", 2019, "national", 1),
        ("E1", "富硒茶提取", 2019, "provincial", 1),
        ("E2", "钢构件", 2019, "provincial", 2),
    ]
    assert [(x["clause"], x["decision"], x["amount_yuan"]) for x in d] == [
        ("3.1.2", "eligible", "200000.00"),
        ("3.1.2", "ineligible", "0.00"),
        ("3.1.2", "review", "0.00"),
    ]
    assert "project_id" not in d[0]


def test_awards_refuses_an_unknown_level_and_a_zero_rank(tmp_path, capsysbinary) -> None:
    path = _csv(
        tmp_path / "a.csv",
        ["enterprise_id", "technology", "year", "industry", "level", "rank"],
        [["E1", "T", "2019", "生物医药", "world", "0"]],
    )
    code, _, err = _run(capsysbinary, "awards", str(path))
    assert code == 2
    assert "第2行，列「level」" in err and "第2行，列「rank」" in err


def test_simulate_compares_the_changed_parameters_with_those_in_force(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", [*HEADERS_EN, "region_code"], [[*ROW_A, "GXQ"], [*ROW_B, "422801"]])
    code, out, err = _run(capsysbinary, "simulate", str(path), "--set", "3.1.1.rate=0.04", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["baseline"]["by_clause"]["3.1.1"]["total_yuan"] == "150000.00"
    assert report["reform"]["by_clause"]["3.1.1"]["total_yuan"] == "200000.00"
    assert report["reform"]["by_unit"]["GXQ"]["total"] == "500000.00"
    assert report["reform"]["by_unit"]["422801"]["total"] == "0.00"
    assert report["reform"]["prefecture_yuan"] == "250000.00"
    assert report["changes"]["gain"] == 1 and report["changes"]["lose"] == 0
    code, out, err = _run(capsysbinary, "simulate", str(path), "--set", "stacking=higher_only")
    assert code == 0, err
    assert "项目变化：增加 0 个，减少 1 个" in out


def test_simulate_can_price_next_years_policy(tmp_path, capsysbinary) -> None:
    row = [*ROW_A[:3], "2021", *ROW_A[4:6], "2021-01-01", "2021-12-31", *ROW_A[8:]]
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [row])
    code, out, err = _run(
        capsysbinary,
        "simulate",
        str(path),
        "--carry-forward",
        "2021",
        "--set",
        "3.1.1.rate@2021=0.04",
        "--format",
        "json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["baseline"]["total_yuan"] == "0.00"
    assert report["reform"]["by_year"]["2021"] == {
        "3.1.1": "200000.00",
        "3.2": "300000.00",
        "total": "500000.00",
    }


def test_simulate_refuses_an_unknown_parameter_and_writes_nothing(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    target = tmp_path / "s.json"
    code, out, err = _run(capsysbinary, "simulate", str(path), "--set", "3.1.1.bonus=1", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert "未知参数 '3.1.1.bonus'" in err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_simulate_writes_a_table(tmp_path, capsysbinary, fmt) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    target = tmp_path / f"s.{fmt}"
    code, _, err = _run(
        capsysbinary,
        "simulate",
        str(path),
        "--set",
        "3.2.cap_yuan=200000",
        "--format",
        fmt,
        "-o",
        str(target),
    )
    assert code == 0, err
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
        assert rows[0] == ["section", "key", "item", "baseline", "reform", "difference"]
        assert ["clause", "3.2", "", "300000.00", "200000.00", "-100000.00"] in rows
    else:
        ws = load_workbook(target)["政策测算"]
        assert [c.value for c in ws[1]] == ["类别", "项目", "细项", "现行", "调整后", "差额"]


def test_the_simulate_help_lists_the_parameter_names(capsysbinary) -> None:
    code, out, _ = _run(capsysbinary, "simulate", "--help")
    assert code == 0
    for name in ("3.1.1.rate", "3.1.1.threshold_yuan", "3.1.1.cap_yuan", "stacking=higher_only"):
        assert name in out


def test_the_template_has_the_chinese_headers_and_a_filled_template_evaluates(tmp_path, capsysbinary) -> None:
    target = tmp_path / "模板.xlsx"
    code, _, err = _run(capsysbinary, "template", "--output", str(target))
    assert code == 0, err
    wb = load_workbook(target)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:11] == HEADERS_ZH
    assert "填表说明" in wb.sheetnames
    ws.append(
        [
            "ES-T",
            "是",
            "是",
            2019,
            "27",
            "是",
            datetime(2019, 1, 1),
            datetime(2020, 6, 30),
            "是",
            5000000,
            30000000,
        ]
    )
    wb.save(target)
    code, out, err = _run(capsysbinary, "evaluate", str(target))
    assert code == 0, err
    assert [d["amount_yuan"] for d in json.loads(out)] == ["150000.00", "300000.00"]


def test_filings_lists_the_ordinary_approvals(tmp_path, capsysbinary) -> None:
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps(
            [
                {
                    "case_id": "F1",
                    "filing_date": "2019-05-01",
                    "project_type": "设备更新改造",
                    "new_land_area_m2": 0,
                    "advanced_mature_process": "否",
                },
                {
                    "case_id": "F2",
                    "filing_date": "2019-05-01",
                    "project_type": "新建",
                    "new_land_area_m2": 500,
                    "advanced_mature_process": "否",
                    "changes_pollutant_discharge": "是",
                },
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    code, out, err = _run(capsysbinary, "filings", str(path))
    assert code == 0, err
    d = json.loads(out)
    assert d[0]["decision"] == "eligible" and d[0]["approvals"] == []
    assert d[1]["approvals"] == ["项目备案（核准）", "环评（环境影响评价）", "土地报批"]


def test_a_broken_parameter_directory_exits_2_naming_the_file(tmp_path, capsysbinary) -> None:
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "stacking.yaml").write_text("description: x\n", encoding="utf-8")
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    code, _, err = _run(capsysbinary, "evaluate", str(path), "--parameters", str(tmp_path / "params"))
    assert code == 2
    assert "stacking.yaml" in err and "missing key" in err


def test_the_module_runs_as_a_script(tmp_path) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    result = subprocess.run(
        [sys.executable, "-m", "jigai.incentives.policy_commands", "evaluate", str(path), "--format", "csv"],
        capture_output=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8").startswith("project_id,clause,decision,amount_yuan")


# --- a missing column is never silent (issue 13 point 7) ------------------------------------------


def _without(column: str, headers: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    i = headers.index(column)
    return headers[:i] + headers[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]


@pytest.mark.parametrize("command", [("evaluate",), ("simulate", "--set", "3.1.1.rate=0.04")])
@pytest.mark.parametrize(("column", "code"), [("计划年度", "NOT_IN_PLAN"), ("行业代码", "NOT_MANUFACTURING")])
def test_a_sheet_without_a_column_a_rule_needs_is_refused_naming_the_column(
    tmp_path, capsysbinary, command, column, code
) -> None:
    headers, rows = _without(column, HEADERS_ZH, [ROW_A, ROW_B])
    path = _csv(tmp_path / "p.csv", headers, rows)
    status, out, err = _run(capsysbinary, command[0], str(path), *command[1:])
    assert status == 2 and out == ""
    assert f"列「{column}」：缺少此列" in err and code in err and f"--assume {column}=" in err


def test_assume_says_what_every_row_holds_for_a_missing_column(tmp_path, capsysbinary) -> None:
    headers, rows = _without("计划年度", HEADERS_ZH, [ROW_A, ROW_B])
    path = _csv(tmp_path / "p.csv", headers, rows)
    status, out, err = _run(capsysbinary, "evaluate", str(path), "--assume", "计划年度=2019")
    assert status == 0, err
    decisions = {(d["project_id"], d["clause"]): d for d in json.loads(out)}
    assert "NOT_IN_PLAN" not in [r["code"] for r in decisions[("ES-A", "3.1.1")]["reasons"]]
    assert "提示：计划年度：文件中没有此列，按 --assume 对每一行取“2019”" in err
    # An empty value says on purpose that no project is in a plan.
    status, out, err = _run(capsysbinary, "evaluate", str(path), "--assume", "plan_year=")
    assert status == 0, err
    assert all(
        "NOT_IN_PLAN" in [r["code"] for r in d["reasons"]] for d in json.loads(out) if d["clause"] == "3.1.1"
    )


def test_assume_is_refused_for_an_unknown_column_or_one_the_file_has(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_ZH, [ROW_A])
    status, _, err = _run(capsysbinary, "evaluate", str(path), "--assume", "计划年=2019")
    assert status == 2 and "--assume：“计划年=2019”应为 列名=取值" in err
    status, _, err = _run(capsysbinary, "evaluate", str(path), "--assume", "计划年度=2019")
    assert status == 2 and "文件中已有「计划年度」列" in err


def test_an_absent_optional_column_is_a_warning_naming_what_it_costs(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_ZH, [ROW_A])
    status, _, err = _run(capsysbinary, "evaluate", str(path))
    assert status == 0
    assert "提示：核定设备投资（元）：文件中没有此列：3.1.1 按计划设备投资计算，结果为测算数" in err
    assert "提示：填报单位：文件中没有此列：不能按填报单位汇总" in err


# --- the sheet the clerk meant (issue 13 point 14) -------------------------------------------------


def _two_year_book(path: Path) -> Path:
    wb = Workbook()
    for i, (name, row) in enumerate((("2018年", ROW_B), ("2019年", ROW_A))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(HEADERS_ZH)
        ws.append(row)
    wb.create_sheet("说明").append(["每行一个项目"])
    wb.save(path)
    return path


def test_a_workbook_of_several_data_sheets_needs_sheet_and_reads_the_named_one(
    tmp_path, capsysbinary
) -> None:
    path = _two_year_book(tmp_path / "p.xlsx")
    status, out, err = _run(capsysbinary, "evaluate", str(path))
    assert status == 2 and out == ""
    assert "工作簿中有 2 张数据表（“2018年”、“2019年”），请用 --sheet 工作表名 指定要计算的一张" in err
    status, out, err = _run(capsysbinary, "evaluate", str(path), "--sheet", "2019年")
    assert status == 0, err
    assert {d["project_id"] for d in json.loads(out)} == {"ES-A"}
    status, _, err = _run(capsysbinary, "evaluate", str(path), "--sheet", "2020年")
    assert status == 2 and "工作簿中没有名为“2020年”的工作表" in err


def test_a_data_sheet_beside_a_notes_sheet_needs_no_choice(tmp_path, capsysbinary) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["每行一个项目"])
    ws = wb.create_sheet("项目")
    ws.append(HEADERS_ZH)
    ws.append(ROW_A)
    wb.save(tmp_path / "p.xlsx")
    status, out, err = _run(capsysbinary, "evaluate", str(tmp_path / "p.xlsx"))
    assert status == 0, err
    assert {d["project_id"] for d in json.loads(out)} == {"ES-A"}


def test_simulate_refuses_an_award_setting_the_project_file_cannot_feel(tmp_path, capsysbinary) -> None:
    # issue 13, point 8: 3.1.2's awards are priced on ranking rows, never on projects (was 0.00).
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    setting = "3.1.2.national_awards_yuan=300000,150000,80000"
    code, out, err = _run(capsysbinary, "simulate", str(path), "--set", setting)
    assert code == 2 and out == ""
    assert "参数 3.1.2.national_awards_yuan（第3.1.2条）不影响测算结果" in err
    assert "jigai policy awards" in err
    code, out, err = _run(capsysbinary, "simulate", "--help")
    assert "3.1.2.national_awards_yuan" not in out and "第3.1.1条、第3.2条" in out


def test_simulate_counts_a_unit_given_by_name_code_or_any_case_once(tmp_path, capsysbinary) -> None:
    units = ["恩施市", "422801", "gxq", "州高新区", " GXQ "]
    rows = [[f"ES-{i}", *ROW_A[1:], unit] for i, unit in enumerate(units)]
    path = _csv(tmp_path / "p.csv", [*HEADERS_EN, "region_code"], rows)
    code, out, err = _run(capsysbinary, "simulate", str(path), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert sorted(report["baseline"]["by_unit"]) == ["422801", "GXQ"]
    assert report["baseline"]["by_unit"]["422801"]["total"] == "900000.00"
    assert report["baseline"]["by_unit"]["GXQ"]["total"] == "1350000.00"
    assert report["units"] == {"422801": "恩施市", "GXQ": "州高新区"}
    code, out, err = _run(capsysbinary, "simulate", str(path))
    assert "  422801 恩施市：现行 900,000.00 元" in out and "  GXQ 州高新区：现行" in out


def test_simulate_refuses_an_unknown_unit_naming_its_row(tmp_path, capsysbinary) -> None:
    rows = [[*ROW_A, "GXQ"], ["ES-C", *ROW_A[1:], "武汉市"]]
    path = _csv(tmp_path / "p.csv", [*HEADERS_EN, "region_code"], rows)
    code, out, err = _run(capsysbinary, "simulate", str(path))
    assert code == 2 and out == ""
    assert "第3行，列「region_code」" in err and "填报单位「武汉市」不是九个填报单位之一" in err


def test_simulate_says_in_chinese_which_year_each_clause_is_counted_in(tmp_path, capsysbinary) -> None:
    path = _csv(tmp_path / "p.csv", HEADERS_EN, [ROW_A])
    code, out, err = _run(capsysbinary, "simulate", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["year_basis_zh"] == {
        "3.1.1": "第3.1.1条按计划年度计",
        "3.2": "第3.2条按开工年度计",
    }
    code, out, err = _run(capsysbinary, "simulate", str(path))
    assert "第3.1.1条（按计划年度计入年度）：现行" in out and "第3.2条（按开工年度计入年度）：现行" in out


def test_land_reads_the_approval_and_the_recorded_measures_from_chinese_headers(
    tmp_path, capsysbinary
) -> None:
    """3.3 from a clerk's sheet: 已批准提高容积率 blank is pending (review), 是 is eligible; the priority
    handling and 先租后让 are recorded in the output."""
    headers = [
        "编号", "申请日期", "工业用地", "原出让存量用地", "改变用途", "符合城市规划", "在原用地范围内",
        "原容积率", "改造后容积率", "改造方式", "已批准提高容积率", "优先保障措施", "用地取得方式",
    ]  # fmt: skip
    rows = [
        [
            "L1",
            "2019-04-01",
            "是",
            "是",
            "否",
            "是",
            "是",
            "0.8",
            "1.6",
            "厂房改造加层",
            "是",
            "优先报批",
            "",
        ],
        ["L2", "2019-04-01", "是", "否", "否", "是", "是", "0.8", "1.6", "", "", "", "租让结合"],
    ]
    path = _csv(tmp_path / "land.csv", headers, rows)
    code, out, err = _run(capsysbinary, "land", str(path))
    assert code == 0, err
    one, two = json.loads(out)
    assert one["decision"] == "eligible" and one["land_measures"] == ["优先报批"]
    assert "属“零新增地”技术改造" in one["explanation"]
    assert two["decision"] == "review" and two["land_measures"] == ["以租让结合方式取得工业用地使用权"]
    code, out, err = _run(capsysbinary, "land", str(path), "--format", "csv")
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert table[1]["land_measures"] == "以租让结合方式取得工业用地使用权"


def test_land_without_an_approval_column_warns_what_it_costs(tmp_path, capsysbinary) -> None:
    headers = ["编号", "申请日期", "工业用地", "原出让存量用地", "改变用途", "符合城市规划", "在原用地范围内",
               "原容积率", "改造后容积率"]  # fmt: skip
    path = _csv(
        tmp_path / "land.csv", headers, [["L1", "2019-04-01", "是", "是", "否", "是", "是", "1", "2"]]
    )
    code, out, err = _run(capsysbinary, "land", str(path))
    assert code == 0, err
    assert "已批准提高容积率" in err and "尚待批准" in err
    assert json.loads(out)[0]["decision"] == "review"
