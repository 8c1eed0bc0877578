"""Workbooks for the project-library import tests: a messy county workbook and the data behind it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from conftest import EnterpriseFactory, ProjectFactory, make_credit_code
from jigai.core.models import Region
from jigai.registry.models import ProjectPlanYear, ProjectStatus

# 投资（万元） merged over 总投资 / 设备投资; a 元 column; every other header merged over two rows.
HEADER_UPPER = [
    "序号", "项目名称", "企业名称", "统一社会信用代码", "所属县市", "投资（万元）", None,
    "固定资产投资（元）", "计划开工时间", "是否重点项目", "列入计划年度", "状态",
]  # fmt: skip
HEADER_LOWER = [None, None, None, None, None, "总投资", "设备投资", None, None, None, None, None]
HEADER_MERGES = [f"{c}3:{c}4" for c in "ABCDEHIJKL"] + ["F3:G3"]

BAD_CODE = "91422801MA4F0ABCD1"


@dataclass
class Library:
    enshi: Any  # an enterprise of 恩施市
    lichuan: Any  # an enterprise of 利川市
    changed: Any  # a project the file updates
    same: Any  # a project the file repeats unchanged
    unknown_code: str  # a valid credit code of no enterprise


def library() -> Library:
    enshi_region = Region.objects.get(code="422801")
    lichuan_region = Region.objects.get(code="422802")
    enshi = EnterpriseFactory(
        name="恩施州硒茶科技有限公司", credit_code=make_credit_code(901), region=enshi_region
    )
    lichuan = EnterpriseFactory(
        name="利川市山药食品有限公司", credit_code=make_credit_code(902, "422802"), region=lichuan_region
    )
    changed = ProjectFactory(enterprise=enshi, name="硒茶生产线智能化改造项目")
    same = ProjectFactory(enterprise=enshi, name="茶叶精制车间技术改造项目")
    for p in (changed, same):
        ProjectPlanYear.objects.create(project=p, year=2018)
    return Library(enshi, lichuan, changed, same, make_credit_code(903))


def county_rows(lib: Library) -> list[list[Any]]:
    """Rows 5-15 of the county workbook (see test_imports for each row's expected outcome)."""
    e, li = lib.enshi, lib.lichuan
    return [
        # 5: new, full-width digits with a thousands separator, 元 amount with separators, an Excel date
        [1, "年产5万吨硒茶加工技术改造项目", e.name, e.credit_code, "恩施市", "１,２００", 350.5, "8,000,000",
         dt.datetime(2019, 3, 15), "是", 2019, "储备"],
        # 6: update (总投资 5000 → 6000, plan year 2019 added); its status column differs (warning)
        [2, lib.changed.name, e.name, e.credit_code, "恩施", "6,000", 2000, "40,000,000", "2018-03-01", "否",
         "2019", "在建"],
        # 7: blank
        [None] * 12,
        # 8: a bad credit code
        [3, "魔芋精深加工扩建项目", "恩施州魔芋有限公司", BAD_CODE, "恩施市", 800, 300, "6,000,000", "2019-05-01",
         "否", 2019, "储备"],
        # 9: another county's project
        [4, "山药深加工生产线技术改造", li.name, li.credit_code, "利川市", 900, 400, "7,000,000", "2019-04-01",
         "否", 2019, "储备"],
        # 10: equipment over total
        [5, "硒茶包装自动化改造项目", e.name, e.credit_code, "恩施市", 100, 200, "1,000,000", "2019-06-01", "否",
         2019, "储备"],
        # 11: an enterprise the library does not have
        [6, "新型建材生产线改造项目", "恩施州新材料有限公司", lib.unknown_code, "恩施市", 300, 100, "2,000,000",
         "2019-07-01", "否", 2019, "储备"],
        # 12: stray spaces, a month-only date (warning), √
        [7, "  年产2万吨  硒茶饮料 技术改造项目 ", e.name + " ", f" {e.credit_code} ", "恩施市 ", 500, 100,
         "1,000,000", "2019年3月", "√", "2019年", None],
        # 13: the same as stored
        [8, lib.same.name, e.name, e.credit_code, "恩施市", 5000, 2000, "40,000,000", dt.date(2018, 3, 1), "否",
         2018, "储备"],
        # 14: the total row
        ["合计", None, None, None, None, 14400, 5350.5, "105,000,000", None, None, None, None],
        # 15: a signature line
        [None, "填报人：张三    审核人：李四"],
    ]  # fmt: skip


def county_workbook(lib: Library, rows: list[list[Any]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "恩施市"
    ws.append(["恩施市2019年传统产业技术改造项目汇总表"])
    ws.append(["（截至2019年6月）"])
    ws.append(HEADER_UPPER)
    ws.append(HEADER_LOWER)
    for row in county_rows(lib) if rows is None else rows:
        ws.append(row)
    for ref in HEADER_MERGES:
        ws.merge_cells(ref)
    ws.merge_cells("A1:L1")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def demo_like_library() -> list[Any]:
    """Projects with codes and without, plan years, flags, every status, fen amounts, formula-like text."""
    units = list(Region.objects.filter(level="unit").order_by("sort_order"))
    projects = []
    for i, unit in enumerate(units):
        ent = EnterpriseFactory(region=unit, credit_code=make_credit_code(700 + i, unit.division_code),
                                contact_person="王五", address=f"{unit.name}工业园{i}号")  # fmt: skip
        for j, status in enumerate(ProjectStatus.values):
            n = i * 10 + j
            p = ProjectFactory(
                enterprise=ent,
                name=f"{unit.short_name}技改项目{j}",
                project_code=f"2018-{unit.division_code}-{13 + j}-03-{n:06d}" if j % 2 == 0 else None,
                content="=SUM(A1:A2) 不是公式" if j == 1 else f"新建生产线{j}条",
                total_investment_yuan=Decimal("12345678.91") + n,
                equipment_investment_yuan=Decimal("3000000.05"),
                fixed_asset_investment_yuan=Decimal("10000000.00"),
                planned_start_date=dt.date(2018, 1 + j, 10),
                planned_completion_date=dt.date(2019, 12, 31) if j != 3 else None,
                actual_start_date=dt.date(2018, 5, 1) if status != "reserve" else None,
                actual_completion_date=dt.date(2019, 10, 1) if status in ("completed", "accepted") else None,
                is_key=j % 2 == 1,
                is_demonstration=j == 2,
                zero_new_land=j == 3,
                conforms_industrial_policy=j != 4,
                leader_name="赵六" if j == 0 else "",
                leader_title="副州长" if j == 0 else "",
                status=status,
            )
            for year in {2018 + j % 3, 2019}:
                ProjectPlanYear.objects.create(project=p, year=year)
            projects.append(p)
    return projects
