"""`jigai workdays add DATE N` and `jigai workdays between A B`: China's working calendar on the command line
(core/workdays.py; the supplement for later years is the setting JIGAI_WORKDAY_CALENDAR)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jigai.core import workdays
from jigai.core.errors import ValidationError


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{name}“{text}”不是日期，请写成 2019-02-01 这样的格式") from None


def _int(text: str, name: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CommandError(f"{name}“{text}”不是整数") from None


class Command(BaseCommand):
    help = "按国务院公布的法定节假日和调休安排计算工作日：add 日期 N（N 个工作日后的日期）；between A B（A 之后至 B 的工作日数）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="打印 DATE 之后第 N 个工作日的日期（ISO 格式）")
        add.add_argument("date", help="起算日期，如 2019-02-01（当天不计）")
        add.add_argument("days", help="工作日数，0 到 3660")
        between = sub.add_parser("between", help="打印 A 之后至 B（含）的工作日数")
        between.add_argument("start", help="起算日期 A（当天不计）")
        between.add_argument("end", help="截止日期 B（含当天）")
        sub.add_parser("years", help="打印工作日历收录的年份范围")

    def handle(self, *args, action, **options):
        try:
            if action == "add":
                start, days = _date(options["date"], "日期"), _int(options["days"], "工作日数")
                self.stdout.write(workdays.add(start, days).isoformat())
            elif action == "between":
                a, b = _date(options["start"], "起算日期"), _date(options["end"], "截止日期")
                self.stdout.write(str(workdays.between(a, b)))
            else:
                first, last = workdays.covered_years()
                self.stdout.write(f"{first}-{last}")
        except ValidationError as exc:
            raise CommandError("；".join(m for msgs in exc.errors.values() for m in msgs)) from None
