"""A month's reports as a spreadsheet in the import template's columns, so it re-imports unchanged."""

from __future__ import annotations

from jigai.imports import build_export

from .imports import TABLES
from .periods import Month


def report_records(qs):
    for r in qs.select_related("project__enterprise", "region").order_by("region__sort_order", "project_id"):
        yield {
            "unit": r.region.code, "year": r.year, "month": r.month, "project_code": r.project.project_code,
            "name": r.project.name, "enterprise": r.project.enterprise.name,
            "month_investment": r.month_investment_yuan, "cumulative": r.cumulative_investment_yuan,
            "progress_pct": r.progress_pct, "progress_text": r.progress_text, "state": r.state,
            "problems": r.problems, "department": r.department_asked,
        }  # fmt: skip


def reports_xlsx(qs, month: Month) -> bytes:
    return build_export(TABLES["progress"], report_records(qs))
