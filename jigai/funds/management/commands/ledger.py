"""`jigai ledger YEAR [--format json|csv] [--unit CODE]`: the year's budgets and items (the ledger),
amounts as strings with two decimals; every unit, or one reporting unit's county budget and items."""

from __future__ import annotations

import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jigai.core.models import Region
from jigai.funds import ledger

BUDGET_FIELDS = ("year", "level", "unit", "allocated_yuan", "committed_yuan", "paid_yuan", "remaining_yuan")
ITEM_FIELDS = (
    "project_id",
    "enterprise_id",
    "clause",
    "entitled_yuan",
    "approved_yuan",
    "paid_yuan",
    "state",
)


class Command(BaseCommand):
    help = "奖补资金台账：某年度各级预算（安排、已批准待拨付、已拨付、结余）与奖补事项"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="预算年度，如 2019")
        parser.add_argument("--format", choices=("json", "csv"), default="json", dest="fmt")
        parser.add_argument("--unit", metavar="CODE", help="只看一个报送单位（代码，如 422801）")

    def handle(self, *args, year, fmt, unit, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度不正确：{year}", returncode=2)
        if unit and not Region.objects.filter(code=unit, level=Region.Level.UNIT).exists():
            raise CommandError(f"未知的报送单位代码：{unit}", returncode=2)
        book = ledger.build(None, year, unit=unit or None)
        with translation.override("zh-hans"):  # the ledger's file reads in Chinese whatever the locale
            budgets = [b.as_dict() for b in book.budgets]
            items = [ledger.item_dict(r) for r in book.items]
        if fmt == "json":
            self.stdout.write(
                json.dumps({"year": year, "budgets": budgets, "items": items}, ensure_ascii=False, indent=2)
            )
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["budgets"])
        writer.writerow(BUDGET_FIELDS)
        for b in budgets:
            writer.writerow([b[f] for f in BUDGET_FIELDS])
        writer.writerow([])
        writer.writerow(["items"])
        writer.writerow(ITEM_FIELDS)
        for i in items:
            writer.writerow([i.get(f, "") for f in ITEM_FIELDS])
        self.stdout.write(buffer.getvalue(), ending="")
