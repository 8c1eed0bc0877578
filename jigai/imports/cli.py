"""``jigai import TABLE FILE [--mode all|good] [--dry-run] [--user NAME] [--json] [--sheet NAME] [--year Y]
[--map '表头=字段' …]``.

The management command (in the app that owns the CLI) only has to call :func:`add_arguments` and
:func:`main`, passing a function that turns ``--user`` into an :class:`ImportContext` (the user's
reporting unit limits what the file may touch). Prints the same report the preview page shows.
Exit codes: 0 done (or nothing to do); 2 nothing written because the file was refused or, under
``--mode all``, rows were rejected; 1 the write failed and was rolled back.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TextIO

from . import tables
from .engine import ALL_SHEETS, ImportWriteError, run
from .mapping import parse_map_options
from .spec import ImportContext, TableSpec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", help="要导入的表，如 projects")
    parser.add_argument("file", help=".xlsx 或 .csv 文件")
    parser.add_argument(
        "--mode",
        choices=("all", "good"),
        default="all",
        help="all：有任何一行被拒绝则全部不导入（默认）；good：只导入无误的行",
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    parser.add_argument("--user", default=None, help="以该用户的身份和权限导入（jigai import 必填）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    parser.add_argument(
        "--sheet",
        action="append",
        default=None,
        metavar="NAME",
        help="要导入的工作表（可重复）；工作簿中有多张数据表时必须指定，'*' 表示合并导入全部",
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="是/否列（如“是否列入年度技改计划”“是否规上”）所指的年度；不指定时取表头上方标题中的年度",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="表头=字段",
        help="指定无法识别的表头对应的字段（可重复），如 --map '企业全称=name' 或 --map '企业全称=企业名称'；"
        "字段写 忽略 则不导入该列",
    )


def run_command(
    spec: TableSpec,
    path: str,
    context: ImportContext,
    *,
    mode: str = "all",
    dry_run: bool = False,
    as_json: bool = False,
    out: TextIO | None = None,
    sheets: list[str] | None = None,
) -> int:
    out = out or sys.stdout
    failed = False
    try:
        report = run(spec, path, context, mode=mode, dry_run=dry_run, sheets=sheet_choice(sheets))
    except ImportWriteError as exc:
        report, failed = exc.report, True
    except FileNotFoundError:
        print(f"找不到文件：{path}", file=out)
        return 2
    if as_json:
        out.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(report.as_text() + "\n")
    return 1 if failed else report.exit_code


def sheet_choice(names: list[str] | None) -> str | list[str] | None:
    """``--sheet`` values as the engine's ``sheets``: None, ALL_SHEETS, or names."""
    if not names:
        return None
    return ALL_SHEETS if ALL_SHEETS in names else names


def main(
    argv: list[str],
    make_context: Callable[[str | None], ImportContext] = lambda user: ImportContext(user=user),
    out: TextIO | None = None,
) -> int:
    parser = argparse.ArgumentParser(prog="jigai import", description="从 Excel/CSV 导入数据")
    add_arguments(parser)
    args = parser.parse_args(argv)
    out = out or sys.stdout
    try:
        spec = tables.get(args.table)
    except KeyError as exc:
        print(exc.args[0], file=out)
        return 2
    context = make_context(args.user)
    if args.year is not None:
        context.extra["year"] = args.year
    mapping, problems = parse_map_options(spec, args.map)
    if problems:
        print("\n".join(problems), file=out)
        return 2
    context.mapping.update(mapping)
    return run_command(
        spec,
        args.file,
        context,
        mode=args.mode,
        dry_run=args.dry_run,
        as_json=args.json,
        out=out,
        sheets=args.sheet,
    )
