"""The project library as a spreadsheet: Chinese headers, amounts in 万元, formula-safe text.

The columns are the import template's, so an export re-imports as "unchanged" (issue 4, round trip).
"""

from __future__ import annotations

from django.utils import timezone, translation

from .models import ProjectStatus

PROJECT_COLUMNS = [
    ("项目代码", "text"),
    ("项目名称", "text"),
    ("企业名称", "text"),
    ("统一社会信用代码", "text"),
    ("报送单位", "text"),
    ("行业代码", "text"),
    ("建设内容", "text"),
    ("总投资（万元）", "money_wan"),
    ("设备投资（万元）", "money_wan"),
    ("固定资产投资（万元）", "money_wan"),
    ("计划开工日期", "date"),
    ("计划竣工日期", "date"),
    ("实际开工日期", "date"),
    ("实际竣工日期", "date"),
    ("列入计划年度", "text"),
    ("符合产业政策", "bool"),
    ("重点项目", "bool"),
    ("示范项目", "bool"),
    ("零新增地", "bool"),
    ("挂点领导", "text"),
    ("挂点领导职务", "text"),
    ("状态", "text"),
]


STATUS_LABELS_ZH = {s.value: s.label for s in ProjectStatus}


def _status_zh(status: str) -> str:
    # The spreadsheet is the import template's: Chinese whatever language the page is shown in.
    with translation.override("zh-hans"):
        return str(STATUS_LABELS_ZH[status])


def project_rows(qs):
    for p in qs.iterator(chunk_size=2000):
        yield [
            p.project_code or "",
            p.name,
            p.enterprise.name,
            p.enterprise.credit_code,
            p.region.name,
            p.industry.code,
            p.content,
            p.total_investment_yuan,
            p.equipment_investment_yuan,
            p.fixed_asset_investment_yuan,
            p.planned_start_date,
            p.planned_completion_date,
            p.actual_start_date,
            p.actual_completion_date,
            ",".join(str(y.year) for y in p.plan_years.all()),
            p.conforms_industrial_policy,
            p.is_key,
            p.is_demonstration,
            p.zero_new_land,
            p.leader_name,
            p.leader_title,
            _status_zh(p.status),
        ]


def project_xlsx_bytes(qs) -> bytes:
    from jigai.documents.spreadsheets import Sheet, write_xlsx

    return write_xlsx(
        [
            Sheet(
                title="技改项目库",
                caption=f"技改项目库（导出时间：{timezone.localtime():%Y-%m-%d %H:%M}）",
                headers=[h for h, _ in PROJECT_COLUMNS],
                kinds=[k for _, k in PROJECT_COLUMNS],
                rows=project_rows(qs),
            )
        ]
    )


def project_xlsx_response(qs):
    from jigai.documents.http import xlsx_response

    return xlsx_response(f"技改项目库_{timezone.localdate():%Y%m%d}.xlsx", project_xlsx_bytes(qs))
