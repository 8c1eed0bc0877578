"""``jigai policy …``: evaluate projects and awards from a spreadsheet, price a what-if, write the template.

    jigai policy evaluate FILE [--format json|csv|xlsx] [--output PATH]
    jigai policy awards FILE [--format json|csv|xlsx] [--output PATH]
    jigai policy simulate FILE --set PARAM=VALUE … [--carry-forward YEAR] [--format text|json|csv|xlsx]
    jigai policy template [--kind projects|awards|land|filings] --output PATH.xlsx
    jigai policy parameters [--format text|json]

A column a rule decides on (计划年度 for 3.1.1, 行业代码 for 3.2) that the file lacks is an error unless
``--assume COLUMN=VALUE`` gives every row's value (``--assume 计划年度=`` says none is in a plan); another
absent optional column is a warning on stderr naming what it costs (issue 13 point 7).
An .xlsx is read from its only sheet whose header names the table's columns (a 说明 sheet is not one);
a workbook of several such sheets needs ``--sheet NAME`` (issue 13 point 14).

Exit status: 0 done; 2 invalid input (every problem on stderr with row, column and reason; nothing
written). No database is needed.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from jigai.documents.spreadsheets import Sheet, write_csv, write_xlsx
from jigai.policy import (
    ParameterError,
    ParameterSet,
    award_records,
    default_parameters,
    evaluate_records,
    filing_records,
    land_records,
    load_parameters,
    simulate_records,
    simulate_text,
)
from jigai.policy.inputs import LAND_ACQUISITION, LAND_MEASURES, LAND_PRIORITY, PROJECT_TYPES

from .policy_io import (
    KINDS,
    InputProblems,
    Problem,
    parse_assumptions,
    read_table,
    record_problems,
    to_records,
    write_atomically,
)

EXIT_INVALID = 2

SET_HELP = """\
--set 参数（PARAM=VALUE 修改各期间的取值；PARAM@YEAR=VALUE 只修改该自然年度）：
  3.1.1.rate=0.04                   设备投资补助比例（也可写 4%）
  3.1.1.threshold_yuan=2000000      设备投资起点（元，含本数）
  3.1.1.cap_yuan=2500000            单个项目补助上限（元）
  3.1.1.max_period_months=48        改造期上限（月）
  3.2.rate=0.01                     重点技改项目支持比例
  3.2.threshold_yuan=20000000       固定资产一次性投资起点（元）
  3.2.cap_yuan=1000000              单个项目支持上限（元）
  3.2.manufacturing_divisions=13-43 加工制造业行业大类范围
  stacking=higher_only              叠加规则：both（两项均享受）或 higher_only（就高）
  cost_split.prefecture_share=0.5   州级财政分担比例（县市承担其余）
测算只计算项目表的第3.1.1条、第3.2条：3.1.2 奖励等其他参数不影响结果，--set 时报错。
按年度汇总时，第3.1.1条计入计划年度，第3.2条计入开工年度；填报单位（region_code 列）可填代码或名称，
如 422801 或 恩施市、GXQ 或 州高新区，须为九个填报单位之一。
例：jigai policy simulate 项目.xlsx --carry-forward 2021 --set 3.1.1.rate@2021=0.04
"""

SUBJECT_COLUMNS = {
    "projects": [("project_id", "项目编号")],
    "awards": [
        ("enterprise_id", "企业编号"),
        ("technology", "单项技术"),
        ("year", "年度"),
        ("level", "级别"),
        ("rank", "名次"),
    ],
    "land": [("case_id", "编号")],
    "filings": [("case_id", "编号")],
}
DECISION_COLUMNS = [
    ("clause", "条款"),
    ("decision", "结论"),
    ("amount_yuan", "金额（元）"),
    ("capped", "已按上限"),
    ("estimate", "测算数"),
    ("year", "参数年度"),
    ("prefecture_share_yuan", "州级承担（元）"),
    ("county_share_yuan", "县市承担（元）"),
    ("approvals", "需办理审批"),
    ("land_measures", "用地保障措施"),
    ("reason_codes", "理由代码"),
    ("reasons", "理由"),
    ("parameters", "参数"),
    ("explanation", "说明"),
]
OUTCOME_ZH = {"eligible": "符合", "ineligible": "不符合", "review": "需人工审核"}
LEVEL_ZH = {"national": "全国", "provincial": "全省"}

EVALUATORS: dict[str, Callable[..., tuple[list[dict], list[dict]]]] = {
    "projects": evaluate_records,
    "awards": award_records,
    "land": land_records,
    "filings": filing_records,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jigai policy",
        description="技改政策计算（恩施州技改三年行动方案 3.1.1、3.1.2、3.2、3.3、3.5）。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, formats: Sequence[str], default: str) -> None:
        p.add_argument("file", metavar="FILE", help=".csv（UTF-8/GBK）、.xlsx 或 .json（对象列表）")
        p.add_argument("--format", choices=formats, default=default, help=f"输出格式（默认 {default}）")
        p.add_argument("--output", "-o", metavar="PATH", help="输出文件（默认标准输出；xlsx 必须指定）")
        p.add_argument("--parameters", metavar="DIR", help="参数目录（默认使用内置参数）")
        p.add_argument("--sheet", metavar="NAME", help="要读取的工作表（.xlsx 中有多张数据表时必须指定）")
        p.add_argument(
            "--assume",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help="文件中缺少某列时，指定每一行的取值（如 计划年度=2019；计划年度= 表示均未列入计划）；"
            "缺少规则所需的列（计划年度、行业代码）而未指定时报错",
        )

    p = sub.add_parser(
        "evaluate",
        help="逐项目计算 3.1.1 设备补助和 3.2 重点项目支持",
        description="每个项目输出两条决定：3.1.1 与 3.2。列：project_id, registered_in_prefecture, "
        "conforms_industrial_policy, plan_year, industry_division, key_project, start_date, completion_date, "
        "in_production, equipment_investment_yuan, fixed_asset_investment_yuan[, verified_…, region_code]"
        "（也接受模板的中文列名；金额列可用（万元））。",
    )
    common(p, ("json", "csv", "xlsx"), "json")
    p = sub.add_parser(
        "awards",
        help="计算 3.1.2 “隐形冠军”奖励",
        description="列：enterprise_id, technology, year, industry, level（national/provincial 或 全国/全省）, rank。",
    )
    common(p, ("json", "csv", "xlsx"), "json")
    p = sub.add_parser(
        "land",
        help="判断 3.3 提高容积率不再增收土地价款（两句）并记录用地保障措施",
        description="列：case_id, application_date, industrial_land, existing_stock_land, change_of_use, "
        "conforms_urban_plan, within_original_site, plot_ratio_before, plot_ratio_after[, measures, approved"
        "（已批准提高容积率：是/否，留空为尚待批准）, priority（优先规划、优先报批、优先供应）, acquisition"
        "（出让、先租后让、租让结合、租赁）]（也接受模板的中文列名）。",
    )
    common(p, ("json", "csv", "xlsx"), "json")
    p = sub.add_parser(
        "filings",
        help="判断 3.5 网上备案“零审批”及仍须办理的法定审批",
        description="列：case_id, filing_date, project_type, new_land_area_m2, advanced_mature_process"
        "[, changes_pollutant_discharge, involves_major_hazard, new_buildings, energy_review_required]。"
        "“零审批”只免项目本身的审批，环评、安评、土地报批、规划许可、能评照常办理并逐项列出。",
    )
    common(p, ("json", "csv", "xlsx"), "json")
    p = sub.add_parser(
        "simulate",
        help="政策测算：调整参数后与现行参数对比",
        description="同一批项目在调整后的参数下与现行参数对比：按条款、年度、填报单位（region_code 列）汇总，"
        "州、县市分担，以及增加、减少、结论改变的项目数。",
        epilog=SET_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p, ("text", "json", "csv", "xlsx"), "text")
    p.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE", help="调整参数（可重复）")
    p.add_argument(
        "--carry-forward",
        action="append",
        type=int,
        default=[],
        metavar="YEAR",
        help="先将各参数按现行最后取值延续到该年度（只用于调整后方案）",
    )
    p = sub.add_parser("template", help="下载填报模板（.xlsx，中文列名）")
    p.add_argument("--kind", choices=tuple(KINDS), default="projects", help="模板类型（默认 projects）")
    p.add_argument("--output", "-o", metavar="PATH", required=True, help="输出 .xlsx 文件")
    p = sub.add_parser("parameters", help="列出参数及其有效期")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--parameters", metavar="DIR", help="参数目录（默认使用内置参数）")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        if args.command == "template":
            return _template(args)
        params = _params(args)
        if args.command == "parameters":
            return _parameters(args, params)
        if args.command == "simulate":
            return _simulate(args, params)
        kind = {"evaluate": "projects", "awards": "awards", "land": "land", "filings": "filings"}[
            args.command
        ]
        return _evaluate(args, params, kind)
    except InputProblems as exc:
        return _fail(exc.problems)


def _params(args: argparse.Namespace) -> ParameterSet:
    if getattr(args, "parameters", None):
        try:
            return load_parameters(args.parameters)
        except ParameterError as exc:
            raise InputProblems(
                [Problem(None, f"参数文件 {f}", f"{k}: {m}") for f, k, m in exc.problems]
            ) from exc
    return default_parameters()


def _fail(problems: Sequence[Problem]) -> int:
    for p in problems:
        print(p, file=sys.stderr)
    print(f"共 {len(problems)} 个问题，未写出任何结果。", file=sys.stderr)
    return EXIT_INVALID


def _check_output(args: argparse.Namespace) -> None:
    if args.format == "xlsx" and not args.output:
        raise InputProblems([Problem(None, "--output", "xlsx 格式须用 --output 指定输出文件")])
    if args.output and Path(args.output).parent and not Path(args.output).parent.exists():
        raise InputProblems([Problem(None, "--output", f"输出目录不存在：{Path(args.output).parent}")])


def _load(args: argparse.Namespace, kind: str):
    _check_output(args)
    assume, problems = parse_assumptions(args.assume, kind)
    if problems:
        raise InputProblems(problems)
    table = read_table(args.file, sheet=args.sheet, kind=kind)
    records, problems = to_records(table, kind, assume)
    if not problems:
        for w in records.warnings:
            print(f"提示：{w}", file=sys.stderr)
    return records, problems


def _evaluate(args: argparse.Namespace, params: ParameterSet, kind: str) -> int:
    records, problems = _load(args, kind)
    decisions, errors = EVALUATORS[kind](
        records.records, params=params, labels=records.labels, row_numbers=records.rows
    )
    problems += record_problems(errors, records)
    if problems:
        return _fail(problems)
    _emit(args, _decisions_output(decisions, kind, args.format, bom=bool(args.output)))
    return 0


def _simulate(args: argparse.Namespace, params: ParameterSet) -> int:
    records, problems = _load(args, "projects")
    report, errors = simulate_records(
        records.records,
        args.set,
        carry_forward=args.carry_forward,
        params=params,
        labels=records.labels,
        row_numbers=records.rows,
    )
    problems += record_problems(errors, records)
    if problems or report is None:
        return _fail(problems)
    if args.format == "text":
        out: bytes = (simulate_text(report) + "\n").encode("utf-8")
    elif args.format == "json":
        out = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        rows = _simulate_rows(report)
        if args.format == "csv":
            out = write_csv(
                ["section", "key", "item", "baseline", "reform", "difference"],
                ([r[0], r[1], r[2], *(_num(v) for v in r[3:])] for r in rows),
                bom=bool(args.output),
            )
        else:
            out = write_xlsx(
                [
                    Sheet(
                        "政策测算",
                        ["类别", "项目", "细项", "现行", "调整后", "差额"],
                        ([r[0], r[1], r[2], *(_num(v) for v in r[3:])] for r in rows),
                        kinds=["text", "text", "text", "decimal", "decimal", "decimal"],
                        widths=(12, 16, 10, 20, 20, 20),
                    ),
                    Sheet(
                        "说明",
                        ["说明"],
                        [[line] for line in simulate_text(report).splitlines()],
                        widths=(100,),
                    ),
                ]
            )
    _emit(args, out)
    return 0


def _num(value: Any) -> Any:
    if isinstance(value, str) and value:
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _simulate_rows(report: dict) -> list[list[Any]]:
    b, r, d = report["baseline"], report["reform"], report["difference"]
    rows: list[list[Any]] = [["total", "", "", b["total_yuan"], r["total_yuan"], d["total_yuan"]]]
    for c in b["by_clause"]:
        rows.append(
            [
                "clause",
                c,
                "",
                b["by_clause"][c]["total_yuan"],
                r["by_clause"][c]["total_yuan"],
                d["by_clause"][c]["total_yuan"],
            ]
        )
    rows.append(["share", "prefecture", "", b["prefecture_yuan"], r["prefecture_yuan"], d["prefecture_yuan"]])
    rows.append(["share", "county", "", b["county_yuan"], r["county_yuan"], d["county_yuan"]])
    for section, key in (("year", "by_year"), ("unit", "by_unit")):
        for k, row in r[key].items():
            for item in row:
                rows.append([section, k, item, b[key][k][item], row[item], d[key][k][item]])
    ch = report["changes"]
    for k in ("gain", "lose", "unchanged", "outcome_changed"):
        rows.append(["changes", k, "", "", str(ch[k]), ""])
    return rows


def _emit(args: argparse.Namespace, data: bytes) -> None:
    if args.output:
        write_atomically(args.output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _decisions_output(decisions: list[dict], kind: str, fmt: str, *, bom: bool = True) -> bytes:
    if fmt == "json":
        return (json.dumps(decisions, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    subject = SUBJECT_COLUMNS[kind]
    columns = [
        c
        for c in DECISION_COLUMNS
        if (kind == "filings" or c[0] != "approvals") and (kind == "land" or c[0] != "land_measures")
    ]
    if kind in ("land", "filings"):
        columns = [c for c in columns if not c[0].endswith(("_yuan",)) and c[0] not in ("capped", "estimate")]
    if kind == "awards":
        columns = [c for c in columns if c[0] != "year"]
    if fmt == "csv":
        headers = [k for k, _ in subject + columns]
        return write_csv(headers, (_flat(d, subject + columns, zh=False) for d in decisions), bom=bom)
    headers = [zh for _, zh in subject + columns]
    keys = [k for k, _ in subject + columns]
    widths = tuple(40 if k in ("reasons", "explanation", "parameters") else 14 for k in keys)
    return write_xlsx(
        [
            Sheet(
                "政策决定",
                headers,
                (_flat(d, subject + columns, zh=True) for d in decisions),
                kinds=[_xlsx_kind(k) for k in keys],
                widths=widths,
            )
        ]
    )


def _xlsx_kind(key: str) -> str:
    """Amounts are exact numbers (#,##0.00); years and ranks whole numbers; the rest text (ids keep
    their leading zeros)."""
    if key.endswith("_yuan"):
        return "decimal"
    if key in ("year", "rank"):
        return "int"
    return "text"


def _flat(d: dict, columns: Sequence[tuple[str, str]], *, zh: bool) -> list[Any]:
    out: list[Any] = []
    for key, _ in columns:
        if key == "reason_codes":
            out.append(";".join(r["code"] for r in d["reasons"]))
        elif key == "reasons":
            out.append(("\n" if zh else "；").join(r["message"] for r in d["reasons"]))
        elif key == "parameters":
            out.append(
                ("\n" if zh else "; ").join(
                    f"{p['name']}={json.dumps(p['value'], ensure_ascii=False) if not isinstance(p['value'], str) else p['value']}"
                    f" [{p['start']}–{p['end'] or ''}]"
                    for p in d["parameters"]
                )
            )
        elif key in ("approvals", "land_measures"):
            out.append("、".join(d.get(key) or []))
        else:
            v = d.get(key)
            if zh and key == "decision":
                v = OUTCOME_ZH.get(v, v)
            elif zh and key == "level":
                v = LEVEL_ZH.get(v, v)
            elif isinstance(v, bool):
                v = ("是" if v else "否") if zh else ("true" if v else "false")
            elif zh and key.endswith("_yuan") and isinstance(v, str):
                v = Decimal(v)
            out.append(v)
    return out


def _parameters(args: argparse.Namespace, params: ParameterSet) -> int:
    described = params.describe()
    if args.format == "json":
        sys.stdout.write(json.dumps(described, ensure_ascii=False, indent=2) + "\n")
        return 0
    for p in described:
        periods = "；".join(f"{q['display']}（{q['start']}至{q['end'] or '今'}）" for q in p["periods"])
        sys.stdout.write(f"{p['name']}（第{p['clause']}条）{p['description']}：{periods or '无'}\n")
    return 0


TEMPLATE_NOTES = {
    "projects": "每行一个项目。金额单位为元（最多两位小数）；表头改为“（万元）”则按万元填写（最多六位小数）。"
    "是/否列填 是 或 否。日期填 YYYY-MM-DD。未竣工项目填计划竣工日期。计划年度留空表示未列入年度技改计划。",
    "awards": "每行一项排名。级别填 全国 或 全省；名次填 1、2、3。同一企业同一单项技术同一年度只享受较高奖励。",
    "land": "每行一宗用地。改造方式可填：" + "、".join(LAND_MEASURES.values()) + "（多项用顿号分隔）。"
    "已批准提高容积率填 是/否，尚待批准留空。优先保障措施可填：" + "、".join(LAND_PRIORITY.values()) + "。"
    "用地取得方式填：" + "、".join(LAND_ACQUISITION.values()) + "。",
    "filings": "每行一个项目。项目类型填：" + "、".join(PROJECT_TYPES.values()) + "。新增用地为零填 0。"
    "需节能审查：年综合能源消费量1000吨标准煤以上或年电力消费量500万千瓦时以上填 是。",
}
BOOL_FIELDS = {
    "registered_in_prefecture",
    "conforms_industrial_policy",
    "key_project",
    "in_production",
    "industrial_land",
    "existing_stock_land",
    "change_of_use",
    "conforms_urban_plan",
    "within_original_site",
    "advanced_mature_process",
    "changes_pollutant_discharge",
    "involves_major_hazard",
    "new_buildings",
    "approved",
    "energy_review_required",
}


def _template(args: argparse.Namespace) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fields = KINDS[args.kind]
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        return _fail([Problem(None, "--output", "模板为 .xlsx 文件，请以 .xlsx 结尾")])
    if out.parent and not out.parent.exists():
        return _fail([Problem(None, "--output", f"输出目录不存在：{out.parent}")])
    wb = Workbook()
    ws = wb.active
    ws.title = {"projects": "项目", "awards": "排名", "land": "用地", "filings": "备案"}[args.kind]
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for i, f in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=i, value=f.label)
        cell.font = Font(bold=True)
        if f.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(f.label) * 2 + 4)
        column = get_column_letter(i)
        if f.name in BOOL_FIELDS:
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=not f.required)
            dv.error, dv.errorTitle = "请选择 是 或 否", "是/否"
            ws.add_data_validation(dv)
            dv.add(f"{column}2:{column}5000")
        elif f.name == "level":
            dv = DataValidation(type="list", formula1='"全国,全省"', allow_blank=False)
            ws.add_data_validation(dv)
            dv.add(f"{column}2:{column}5000")
        elif f.name == "project_type":
            dv = DataValidation(type="list", formula1='"' + ",".join(PROJECT_TYPES.values()) + '"')
            ws.add_data_validation(dv)
            dv.add(f"{column}2:{column}5000")
        if f.name.endswith("_date"):
            for r in range(2, 5001):
                ws.cell(row=r, column=i).number_format = "yyyy-mm-dd"
        elif f.name in ("project_id", "industry_division", "enterprise_id", "region_code", "case_id"):
            for r in range(2, 5001):
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填表说明")
    notes.append(["列名", "英文名", "必填", "说明"])
    for c in notes[1]:
        c.font = Font(bold=True)
    for f in fields:
        notes.append([f.label, f.name, "是" if f.required else "否", _field_note(f.name)])
    notes.append([])
    notes.append([TEMPLATE_NOTES[args.kind]])
    for col, w in zip("ABCD", (22, 38, 6, 80), strict=True):
        notes.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    write_atomically(out, buf.getvalue())
    return 0


FIELD_NOTES = {
    "plan_year": "列入年度工业技术改造计划的年度；留空表示未列入",
    "industry_division": "国民经济行业分类（GB/T 4754-2017）两位大类代码，如 13；制造业为 13–43",
    "completion_date": "已竣工填实际竣工日期，未竣工填计划竣工日期",
    "verified_equipment_investment_yuan": "验收核定数；未验收留空（按计划数测算）",
    "verified_fixed_asset_investment_yuan": "验收核定数；未验收留空（按计划数测算）",
    "region_code": "填报单位：422801 恩施市、422802 利川市、422822 建始县、422823 巴东县、422825 宣恩县、"
    "422826 咸丰县、422827 来凤县、422828 鹤峰县、GXQ 州高新区",
    "industry": "硒食品加工、生物医药、清洁能源、新型建材、电子信息、智能制造；其他行业转人工审核",
    "level": "全国 或 全省",
    "rank": "1、2、3",
}


def _field_note(name: str) -> str:
    if name in FIELD_NOTES:
        return FIELD_NOTES[name]
    if name in BOOL_FIELDS:
        return "是 或 否"
    if name.endswith("_yuan"):
        return "元，最多两位小数"
    if name.endswith("_date"):
        return "YYYY-MM-DD"
    return ""


if __name__ == "__main__":
    sys.exit(main())
