"""The project library as a spreadsheet: Chinese headers, amounts in 万元, formula-safe text.

The columns are the import template's, so an export re-imports as "unchanged" (issue 4, round trip).
"""

from __future__ import annotations

from django.utils import timezone

from jigai.core.money import yuan_to_wan_exact

from .models import ProjectStatus

PROJECT_COLUMNS = [
    ("项目代码", "text"), ("项目名称", "text"), ("企业名称", "text"), ("统一社会信用代码", "text"),
    ("报送单位", "text"), ("行业代码", "text"), ("建设内容", "text"),
    ("总投资（万元）", "wan"), ("设备投资（万元）", "wan"), ("固定资产投资（万元）", "wan"),
    ("计划开工日期", "date"), ("计划竣工日期", "date"), ("实际开工日期", "date"), ("实际竣工日期", "date"),
    ("列入计划年度", "text"), ("符合产业政策", "bool"), ("重点项目", "bool"), ("示范项目", "bool"),
    ("零新增地", "bool"), ("挂点领导", "text"), ("挂点领导职务", "text"), ("状态", "text"),
]


def project_rows(qs):
    for p in qs.iterator(chunk_size=2000) if not qs._prefetch_related_lookups else qs:
        yield [
            p.project_code or "", p.name, p.enterprise.name, p.enterprise.credit_code, p.region.name,
            p.industry.code, p.content,
            yuan_to_wan_exact(p.total_investment_yuan), yuan_to_wan_exact(p.equipment_investment_yuan),
            yuan_to_wan_exact(p.fixed_asset_investment_yuan),
            p.planned_start_date, p.planned_completion_date, p.actual_start_date, p.actual_completion_date,
            ",".join(str(y.year) for y in p.plan_years.all()),
            p.conforms_industrial_policy, p.is_key, p.is_demonstration, p.zero_new_land,
            p.leader_name, p.leader_title, ProjectStatus(p.status).label,
        ]


def project_xlsx_bytes(qs) -> bytes:
    from jigai.documents.spreadsheets import write_table_xlsx

    return write_table_xlsx(
        title="技改项目库", columns=PROJECT_COLUMNS, rows=project_rows(qs),
        subtitle=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
    )


def project_xlsx_response(qs):
    from jigai.documents.http import attachment_response

    data = project_xlsx_bytes(qs)
    name = f"技改项目库_{timezone.localdate():%Y%m%d}.xlsx"
    return attachment_response(
        data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
