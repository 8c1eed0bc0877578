"""`jigai assess rank PERIOD` and `jigai assess interviews PERIOD`: the 4.3 ranking and the interviews it
opens, from the database or, with ``--stats FILE``, from a file of region figures (no database needed)."""

from __future__ import annotations

import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError

from jigai.assessment.interviews import cases_for_round
from jigai.assessment.periods import Period, PeriodError
from jigai.assessment.ranking import BASES, rank_period
from jigai.assessment.stats_file import StatsFileError, read_stats_file
from jigai.core import programme

RANK_FIELDS = ("region_code", "name", "current_yuan", "base_yuan", "growth_pct", "rank", "bottom", "flags")
CASE_FIELDS = (
    "region_code",
    "name",
    "level",
    "deputy_attends",
    "periods",
    "ranks",
    "growth_pct",
    "explanation",
)


class Command(BaseCommand):
    help = "技改投入增幅排名（4.3，解读10—12）：rank 输出排名，interviews 列出该期将启动的约谈"
    # Read-only, and with --stats independent of the database and the rest of the site.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{rank,interviews}")
        for name, text in (("rank", "各单位排名（每单位一行）"), ("interviews", "该期末将启动的约谈")):
            p = sub.add_parser(name, help=text)
            p.add_argument("period", help="考核期间，如 2019Q2（季度）或 2019H1（半年）")
            p.add_argument(
                "--basis",
                choices=sorted(BASES),
                default=None,
                help="cumulative 累计同比（默认，解读10；参数 4.3.ranking_basis）或 single 当季/当半年同比",
            )
            p.add_argument("--format", choices=("json", "csv"), default="json", dest="fmt")
            p.add_argument("--stats", metavar="FILE",
                           help="从文件（.csv/.xlsx；列 region_code、month(YYYY-MM)、tech_investment_ytd_yuan）"
                                "读取统计数据，不使用数据库")  # fmt: skip

    def handle(self, *args, action, period, basis, fmt, stats, **options):
        try:
            p = Period.parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        figures = None
        if stats:
            try:
                figures = read_stats_file(stats)
            except StatsFileError as exc:
                err = self.stderr
                err.write(f"文件“{stats}”有 {len(exc.issues)} 处问题，未计算排名：")
                for issue in exc.issues:
                    where = "，".join(x for x in (
                        f"第 {issue.row} 行" if issue.row is not None else "",
                        f"“{issue.column}”列" if issue.column else "",
                    ) if x) or "文件"  # fmt: skip
                    value = f"（值“{issue.value}”）" if issue.value not in (None, "") else ""
                    err.write(f"  {where}{value}：{issue.reason}")
                raise CommandError("统计数据文件无效", returncode=2) from exc
            except OSError as exc:
                raise CommandError(f"无法读取文件“{stats}”：{exc.strerror or exc}", returncode=2) from exc
        if action == "rank":
            self._emit(self._rank(p, basis, figures), RANK_FIELDS, fmt)
        else:
            self._emit(self._interviews(p, basis, figures), CASE_FIELDS, fmt)

    def _rank(self, period: Period, basis: str | None, figures) -> list[dict]:
        if figures is not None:
            return self._rank_file(figures, period, basis).as_dicts()
        from jigai.assessment import selectors

        return selectors.ranking_compute(period, basis).as_dicts()

    @staticmethod
    def _rank_file(figures, period: Period, basis: str | None):
        """--stats: no database, and no project library to compare; the installation's 4.3 figures."""
        rules = programme.ranking_rules(period.year)
        return rank_period(figures, period, basis=basis or rules.basis, bottom_count=rules.bottom_count)

    def _interviews(self, period: Period, basis: str | None, figures) -> list[dict]:
        if figures is not None:
            levels = programme.ranking_rules(period.year).interview_levels
            drafts = cases_for_round(
                [self._rank_file(figures, p, basis) for p in period.round()], levels=levels
            )
            leaders = {}
        else:
            from jigai.assessment import selectors

            drafts = selectors.interview_drafts(period, basis)
            leaders = {u.region.code: u for u in selectors.leaders_for(period.year).values()}
        out = []
        for d in drafts:
            row = {
                "region_code": d.region_code, "name": d.name, "level": d.level, "deputy_attends": d.deputy_attends,
                "periods": list(d.periods), "ranks": {p: d.rows[p].rank for p in d.periods},
                "growth_pct": {p: d.rows[p].growth_pct for p in d.periods}, "explanation": d.explanation,
            }  # fmt: skip
            leader = leaders.get(d.region_code)
            if leader is not None:
                row["principal"] = " ".join(x for x in (leader.principal_title, leader.principal_name) if x)
                row["deputy"] = " ".join(x for x in (leader.deputy_title, leader.deputy_name) if x)
            out.append(row)
        return out

    def _emit(self, rows: list[dict], fields: tuple[str, ...], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_csv_cell(row.get(f)) for f in fields])
        self.stdout.write(buffer.getvalue(), ending="")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={'' if v is None else v}" for k, v in value.items())
    text = str(value)
    # Formula injection (docs/security.md): a cell starting with = + - @ is written as text. A negative
    # growth such as -5.00 is a number, not a formula, and stays as it is.
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
