"""The project library through the import engine (issue 4): the tables "enterprises" and "projects".

Decisions (also shown to users in each template's 说明 sheet):

* **Enterprises** are identified by the 统一社会信用代码. An import never moves an enterprise to another
  reporting unit (its projects would no longer match it): that is done on the enterprise's page.
* **Projects** have exactly the columns of the library export (``exports.PROJECT_COLUMNS``), so an export
  re-imports as "unchanged". A row is identified by its 项目代码 when it has one, else by
  (统一社会信用代码, 项目名称). A row with a code that is not stored yet is matched to a project of the same
  enterprise and name registered without a code (the import then adds the code), so a library typed in
  by hand is not duplicated when the county's file brings codes.
* The enterprise must already be in the library (find it by its credit code); a row whose enterprise is
  missing is rejected with a message naming the code. Import the "enterprises" table first.
* The reporting unit is the enterprise's; 行业 defaults to the enterprise's industry.
* **An import never moves the lifecycle.** 状态 is compared, never written: a new project is registered
  as 储备, and a status different from the stored one is a warning (the row is still imported)
  telling the user to use the 状态变更 operation.
* 列入计划年度 only adds years (a blank cell, or fewer years, never removes a plan listing).
* 企业名称 is for reading only: a name different from the enterprise's is a warning.
* **Clerks' own headers** (issue 13 point 12). 所属行业 beside 行业代码: the code is used and the name
  checked against it (a warning naming the row when they differ); 所属行业 alone gives the industry.
  是否列入年度技改计划 (是/否) is the plan listing 3.1.1 depends on: 是 adds the year of the 列入计划年度
  column, else the year given with the import (``--year``, the page's 年度), else the year of the sheet's
  title (2019年技改项目计划表) or tab name; 否 adds nothing, beside a plan year it is refused as a
  contradiction, and it never removes a stored listing (a warning says so). 是否规上 on the enterprise
  sheet is the above-scale status of that year, written through ``services.enterprise_scale_set`` (a
  stored revenue of that year is kept). These columns are read from clerks' workbooks but are not in our
  templates.
* Cross-field rules are ``services.project_check``'s, so the messages are the forms' ones. A new row is
  checked once, by the service's own ``services.check_new_project`` in ``check_row``; its frozen result
  (``CheckedProject``) is what ``apply`` hands to ``projects_upsert_many``, which then does not check it
  again (a plain dict — any other caller — is checked there in full). An import
  never gives one enterprise two projects of the same name, and one file may touch a project only once.
* Who: "import.run" (office, clerk); a clerk's rows and stored records of other units are rejected
  (``context_for``). ``jigai import`` requires ``--user``; a context without a user (tests, the
  platform's own processes) is recorded as "system".

Writes go through the same services as pages and the API (issue 10 point 5), in their batched forms
``services.enterprises_upsert_many`` and ``services.projects_upsert_many``: the adapters only turn rows
into model values. The services re-check every row (permission, unit, ``project_check``, the version of
each updated row), write in bulk (COPY on PostgreSQL, wide ``INSERT … RETURNING`` on SQLite,
``bulk_update`` of the changed fields with ``version`` + 1) and give each created or updated row its own
audit record (before/after as a page's save records it, plus the plan years) with the file (name and
SHA-256) as ``source_detail`` and the source "import", appended under one lock of the chain's head
(``audit.record_many``). ``benchmarks/import.py`` times 50,000 rows.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_noop

from jigai.accounts.permissions import can, require
from jigai.core import audit
from jigai.core import reference as core_reference
from jigai.core.codes import CodeError, validate_credit_code, validate_project_code
from jigai.core.models import ChampionIndustry, Industry, Region
from jigai.core.said import said_list, say
from jigai.imports import (
    Boolean,
    Checked,
    Choice,
    Column,
    Date,
    ImportContext,
    ImportReport,
    ImportWriteError,
    Issue,
    Money,
    Option,
    ParseError,
    Row,
    RowError,
    TableSpec,
    Text,
    run,
)
from jigai.imports.parsers import display_raw, to_halfwidth
from jigai.imports.reference import industry_choice, reporting_unit_choice

from . import services
from .models import Enterprise, EnterpriseScaleYear, Project, ProjectPlanYear, ProjectStatus
from .services import chunks, frozen_changes, project_check

__all__ = [
    "enterprise_import_spec",
    "import_actor",
    "project_import_spec",
    "register",
    "run_import",
]

# A clerk is told only that a row is outside their unit, never whose it is (issue 11, point 12).
OUTSIDE_UNIT = gettext_noop("只能导入本单位（%(unit)s）的数据，该企业不在本单位")

# --- parsers --------------------------------------------------------------------------------------

CREDIT_CODE = Checked(
    validate_credit_code,
    CodeError,
    Text(max_length=40, halfwidth=True, upper=True),
    "18 位统一社会信用代码（GB 32100，含校验位）",
)
PROJECT_CODE = Checked(
    validate_project_code,
    CodeError,
    Text(max_length=60, halfwidth=True, upper=True),
    "投资项目在线审批监管平台赋予的代码，如 2021-422801-39-03-012345；没有可不填",
)

_YEAR_SPLIT = re.compile(r"[,，、;；/\s]+")


class PlanYears:
    """列入计划年度: one year or several (2018、2019 / 2018,2019 / 2018年); a sorted tuple of ints."""

    def __call__(self, raw: Any) -> tuple[int, ...]:
        if isinstance(raw, bool):
            raise ParseError(say(YEARS_EXAMPLE))
        if isinstance(raw, float):
            if not raw.is_integer():
                raise ParseError(say("年度“%(value)s”不是整数", value=display_raw(raw)))
            raw = int(raw)
        text = str(raw) if isinstance(raw, int) else to_halfwidth(str(raw))
        years = set()
        for part in _YEAR_SPLIT.split(text.strip()):
            if not part:
                continue
            part = part.removesuffix("年度").removesuffix("年")
            if not part.isdigit() or len(part) != 4:
                raise ParseError(
                    say("无法识别的年度“%(value)s”，请填写如 2018 或 2018,2019", value=display_raw(raw))
                )
            year = int(part)
            if not 2000 <= year <= 2100:
                raise ParseError(say("计划年度 %(year)s 不合理", year=year))
            years.add(year)
        if not years:
            raise ParseError(say(YEARS_EXAMPLE))
        return tuple(sorted(years))

    def to_cell(self, value: Iterable[int] | None) -> Any:
        if not value:
            return None
        return ",".join(str(y) for y in value)

    def describe(self) -> str:
        return "四位年份，多个年度用逗号或顿号分隔，如 2018,2019；只增加不删除已列入的年度"


def _status_choice() -> Choice:
    aliases = {
        ProjectStatus.RESERVE: ("未开工", "前期", "拟建", "储备项目"),
        ProjectStatus.CONSTRUCTION: ("建设中", "已开工", "续建", "新开工"),
        ProjectStatus.COMPLETED: ("竣工", "已竣工", "投产", "已投产", "竣工投产项目"),
        ProjectStatus.ACCEPTED: ("验收", "验收通过"),
        ProjectStatus.TERMINATED: ("已终止", "取消", "已取消"),
    }
    # The labels a sheet carries are Chinese whatever the language of the page that reads it: built in
    # English, 储备 in a file was refused as "not one of the options (Pipeline, …)".
    with translation.override("zh-hans"):
        options = [Option(str(s.value), str(s.label), aliases[s]) for s in ProjectStatus]
    return Choice(options, what=gettext_noop("项目状态"))


def _champion_choice() -> Choice:
    return Choice(
        [Option(code, name) for code, name in core_reference.CHAMPION_INDUSTRIES],
        what=gettext_noop("重点行业"),
    )


UNIT_VARIANTS = ("所属县市", "县市", "县市区", "填报单位", "所属地区", "地区", "单位")
# A county's sheet often has both an industry name column (所属行业) and a code column (行业代码):
# the code is used, the name checked against it (issue 13 point 12). Either alone gives the industry;
# both accept a code, a name or both (13 农副食品加工业).
INDUSTRY_VARIANTS = ("行业大类代码", "国民经济行业代码", "行业分类代码", "行业大类", "所属行业代码")
INDUSTRY_NAME_VARIANTS = (
    "行业",
    "行业名称",
    "行业分类",
    "行业类别",
    "国民经济行业分类",
    "行业门类",
    "所属行业名称",
)
# 是否列入年度技改计划 (是/否) and 是否规上 (是/否): the year is the plan-year column's, else the year given
# with the import (--year, the page's 年度), else the sheet title's (2019年技改项目计划表).
LISTED_VARIANTS = (
    "列入年度技改计划", "是否列入年度计划", "列入年度计划", "是否列入技改计划", "列入技改计划",
    "是否列入计划", "是否列入年度工业技术改造计划", "列入年度工业技术改造计划", "是否纳入年度技改计划",
)  # fmt: skip
SCALE_VARIANTS = (
    "规上", "规上企业", "是否规上企业", "是否规模以上", "是否规模以上企业", "规模以上企业", "是否规模以上工业企业",
    "规模以上工业企业", "是否为规上企业",
)  # fmt: skip
NO_YEAR = gettext_noop(
    "“%(what)s”须有年度：请在表头上方的标题中写明年度（如“2019年技改项目计划表”），或导入时选择年度"
)
NO_YEAR_OR_COLUMN = gettext_noop(
    "“%(what)s”须有年度：请在表头上方的标题中写明年度（如“2019年技改项目计划表”），或导入时选择年度，"
    "或增加“列入计划年度”列"
)
YEARS_EXAMPLE = gettext_noop("应填写年度，如 2018 或 2018,2019")


def import_year(row: Row, context: ImportContext) -> int | None:
    """The year of a 是/否 listing: the one given with the import, else the sheet title's."""
    given = context.extra.get("year")
    if given not in (None, ""):
        return int(given)
    return row.sheet_year


def _industry_name_label(code: str) -> str:
    return industry_choice().label(code)


@dataclass(frozen=True)
class UnknownIndustry:
    """A 所属行业 cell that names no industry: an error alone, a warning beside a 行业代码."""

    text: str
    reason: str


class IndustryName:
    """所属行业: an industry by name (or code); what names none is kept for the row to decide."""

    def __init__(self) -> None:
        self.choice = industry_choice()

    def __call__(self, raw: Any) -> str | UnknownIndustry:
        try:
            return self.choice(raw)
        except ParseError as exc:
            return UnknownIndustry(display_raw(raw), exc.reason)

    def describe(self) -> str:
        return self.choice.describe()


def _fold_industry_name(row: Row) -> RowError | None:
    """所属行业 beside 行业代码: the code is used; a name that does not agree is a warning on the row."""
    name = row.values.pop("industry_name", None)
    if name is None:
        return None
    code = row.values.get("industry")
    if isinstance(name, UnknownIndustry):
        if code is None:
            return RowError(name.reason, "industry_name")
        _warn(
            row,
            "industry_name",
            say(
                "所属行业“%(name)s”不是国民经济行业分类中的名称，以行业代码 %(code)s（%(label)s）为准",
                name=name.text,
                code=code,
                label=_industry_name_label(code),
            ),
        )
        return None
    if code is None:
        row.values["industry"] = name
    elif code != name:
        _warn(
            row,
            "industry_name",
            say(
                "所属行业“%(name)s”与行业代码 %(code)s（%(label)s）不一致，以行业代码为准，请核对",
                name=_industry_name_label(name),
                code=code,
                label=_industry_name_label(code),
            ),
        )
    return None


# --- shared helpers -------------------------------------------------------------------------------


def _in_write_transaction(using: str = "default") -> bool:
    return connection.in_atomic_block if using == "default" else False


def _require(context: ImportContext) -> None:
    """An import with a user needs "import.run" (office, clerk); without one it is the system's."""
    if context.user is not None and not can(context.user, "import.run"):
        # Said only when refused: this runs for every row.
        require(context.user, "import.run", message=say("您没有导入数据的权限"))


def _warn(row: Row, key: str | None, reason: str) -> None:
    label = cell = value = None
    if key is not None:
        for bound in row.columns:
            if bound.column.key == key:
                label, cell = bound.column.label, f"{bound.letter}{row.number}"
                value = display_raw(row.raw(key)) or None
                break
    row.issues.append(Issue(reason, row.sheet, row.number, label, value, severity="warning", cell=cell))


class _Reference:
    """Reporting units, industries and 3.1.2 industries by code and id (small tables, loaded once)."""

    def __init__(self) -> None:
        units = list(Region.objects.values_list("id", "code", "name"))
        self.region_id = {code: pk for pk, code, _ in units}
        self.region_code = {pk: code for pk, code, _ in units}
        self.region_name = {pk: name for pk, _, name in units}
        industries = list(Industry.objects.values_list("id", "code"))
        self.industry_id = {code: pk for pk, code in industries}
        self.industry_code = {pk: code for pk, code in industries}
        champions = list(ChampionIndustry.objects.values_list("id", "code"))
        self.champion_id = {code: pk for pk, code in champions}
        self.champion_code = {pk: code for pk, code in champions}

    def unit_name(self, code: str | None) -> str:
        return self.region_name.get(self.region_id.get(code or ""), code or "")


def import_actor(context: ImportContext) -> audit.Actor:
    """The audit actor of an import: the user (or "system" for a context without one), source "import",
    the file (name and SHA-256) as ``source_detail``."""
    return services.batch_actor(
        context.user, source_detail=context.source, ip=str(context.extra.get("ip", ""))
    )


def _field_value(field: str, value: Any, ref: _Reference) -> Any:
    """A column value as the model stores it (a code becomes the foreign key id)."""
    if field == "region":
        return ref.region_id[value]
    if field == "industry":
        return ref.industry_id[value]
    if field == "champion_industry":
        return ref.champion_id[value] if value is not None else None
    return value


def _changed_attnames(row: Row, fields: Mapping[str, str], ref: _Reference) -> dict[str, Any]:
    """A changed row's new values by the model's attname (codes become foreign key ids); the plan years
    of a project under "plan_years"."""
    out: dict[str, Any] = {}
    for key, (_old, new) in row.changes.items():
        if key == "plan_years":
            out["plan_years"] = tuple(new)
            continue
        if key == "above_scale":
            continue  # written through services.enterprise_scale_set
        field = fields[key]
        attname = (
            f"{field}_id" if field in ("region", "industry", "champion_industry", "enterprise") else field
        )
        out[attname] = _field_value(field, new, ref)
    return out


def _batch_source(context: ImportContext) -> dict[str, str]:
    """The file as the source of every audit record of the import (name and SHA-256), and the client."""
    actor = import_actor(context)
    return {"source_detail": actor.source_detail, "source": actor.source, "ip": actor.ip}


# --- enterprises ----------------------------------------------------------------------------------

ENTERPRISE_FIELDS = {
    "name": "name",
    "unit": "region",
    "industry": "industry",
    "champion": "champion_industry",
    "registered": "registered_in_prefecture",
    "contact_person": "contact_person",
    "contact_phone": "contact_phone",
    "address": "address",
}


def enterprise_columns() -> list[Column]:
    return [
        Column("name", "企业名称", Text(max_length=100), required=True, variants=("企业", "单位名称", "项目单位"),
               help="营业执照上的企业全称", example="恩施州硒茶科技有限公司"),
        Column("credit_code", "统一社会信用代码", CREDIT_CODE, required=True,
               variants=("信用代码", "社会信用代码", "统一代码"), help="18位，用于识别企业", example="91422801MA4F0XXXXX"),
        Column("unit", "报送单位", reporting_unit_choice(), required=True, variants=UNIT_VARIANTS,
               help="企业所在的县市或州高新区（名称或代码）", example="恩施市"),
        Column("industry", "行业代码", industry_choice(), variants=INDUSTRY_VARIANTS,
               help="国民经济行业分类（GB/T 4754-2017）大类；新登记企业必填", example="15 酒、饮料和精制茶制造业"),
        Column("industry_name", "所属行业", IndustryName(), variants=INDUSTRY_NAME_VARIANTS, template=False,
               help="行业名称；与行业代码同时填写时以行业代码为准"),
        Column("above_scale", "是否规上", Boolean(), variants=SCALE_VARIANTS, template=False,
               help="该年度是否为规模以上工业企业（年度取表头上方标题中的年度，或导入时选择的年度）", example="是"),
        Column("champion", "重点行业", _champion_choice(), variants=("重点产业", "所属重点行业"),
               help="3.1.2 所列重点行业，不属于的留空", example="硒食品加工"),
        Column("registered", "州内注册", Boolean(), variants=("是否州内注册", "州内注册企业"),
               help="是否在恩施州内注册（新企业留空按“是”）", example="是"),
        Column("contact_person", "联系人", Text(max_length=40), example="张三"),
        Column("contact_phone", "联系电话", Text(max_length=40, halfwidth=True), variants=("电话", "手机"),
               example="0718-8888888"),
        Column("address", "地址", Text(max_length=200), variants=("企业地址", "注册地址"), example="恩施市XX路1号"),
    ]  # fmt: skip


class EnterpriseAdapter:
    """Rows of enterprises keyed by credit code."""

    def __init__(self) -> None:
        self._ref: _Reference | None = None
        self.scale: dict[tuple[int, int], tuple[bool, Any]] = {}  # (pk, year) → (above scale, revenue)
        self.scale_year: dict[tuple[str, int], int] = {}  # (sheet, row) → the year of its 是否规上

    @property
    def ref(self) -> _Reference:
        if self._ref is None:
            self._ref = _Reference()
        return self._ref

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        return values.get("credit_code")

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict[Hashable, dict]:
        ref = self.ref
        out: dict[Hashable, dict] = {}
        lock = _in_write_transaction()
        for chunk in chunks(list(keys)):
            qs = Enterprise.objects.filter(credit_code__in=chunk)
            if lock:
                qs = qs.select_for_update()
            for e in qs.values(
                "id", "credit_code", "name", "region_id", "industry_id", "champion_industry_id",
                "registered_in_prefecture", "contact_person", "contact_phone", "address", "version",
            ):  # fmt: skip
                out[e["credit_code"]] = {
                    "credit_code": e["credit_code"],
                    "name": e["name"],
                    "unit": ref.region_code[e["region_id"]],
                    "industry": ref.industry_code[e["industry_id"]],
                    "champion": ref.champion_code.get(e["champion_industry_id"]),
                    "registered": e["registered_in_prefecture"],
                    "contact_person": e["contact_person"],
                    "contact_phone": e["contact_phone"],
                    "address": e["address"],
                    "_pk": e["id"],
                    "_version": e["version"],
                }
        self.scale, self.scale_year = {}, {}
        pks = sorted(e["_pk"] for e in out.values())
        for chunk in chunks(pks):
            for pk, year, above, revenue in EnterpriseScaleYear.objects.filter(
                enterprise_id__in=chunk
            ).values_list("enterprise_id", "year", "above_scale", "revenue_yuan"):
                self.scale[(pk, year)] = (above, revenue)
        return out

    def check_row(self, row: Row, context: ImportContext) -> list[RowError]:
        _require(context)
        unknown = _fold_industry_name(row)
        if unknown is not None:
            return [unknown]
        stored = row.existing
        if "above_scale" in row.values:
            year = import_year(row, context)
            if year is None:
                return [RowError(say(NO_YEAR, what="是否规上"), "above_scale")]
            if context.user is None:
                return [RowError(say("“是否规上”须由登记的经办人导入"), "above_scale")]
            self.scale_year[(row.sheet, row.number)] = year
            if stored is not None:
                stored["above_scale"] = self.scale.get((stored["_pk"], year), (None, None))[0]
        if stored is None:
            if "industry" not in row.values:
                return [RowError(say("新登记的企业须填写行业代码"), "industry")]
            return []
        unit = row.values.get("unit")
        if unit is not None and unit != stored["unit"]:
            return [
                RowError(
                    say(
                        "该企业登记在%(unit)s，导入不能变更报送单位；如需变更，请在企业页面修改",
                        unit=self.ref.unit_name(stored["unit"]),
                    ),
                    "unit",
                )
            ]
        return []

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        """Through ``services.enterprises_upsert_many``: the services' checks, one audit record a row."""
        _require(context)
        ref = self.ref
        new = []
        for row in new_rows:
            v = row.values
            new.append({
                "name": v["name"], "credit_code": v["credit_code"], "region_id": ref.region_id[v["unit"]],
                "industry_id": ref.industry_id[v["industry"]], "champion_industry_id": ref.champion_id.get(v.get("champion") or ""),
                "registered_in_prefecture": v.get("registered", True), "contact_person": v.get("contact_person", ""),
                "contact_phone": v.get("contact_phone", ""), "address": v.get("address", ""),
            })  # fmt: skip
        changes = []
        for row in changed_rows:
            data = _changed_attnames(row, ENTERPRISE_FIELDS, ref)
            if data:  # a row whose only change is 是否规上 is written below
                changes.append((row.existing["_pk"], row.existing["_version"], data))
        created = services.enterprises_upsert_many(
            user=context.user, new=new, changes=changes, **_batch_source(context)
        )
        self._apply_scale(new_rows, changed_rows, created, context)

    def _apply_scale(
        self, new_rows: Sequence[Row], changed_rows: Sequence[Row], created: Mapping[str, int], context
    ) -> None:
        """是否规上 of the sheet's year through ``services.enterprise_scale_set`` (one audited record a
        row); a stored revenue of that year is kept."""
        todo = [(created[r.values["credit_code"]], r) for r in new_rows if "above_scale" in r.values]
        todo += [(r.existing["_pk"], r) for r in changed_rows if "above_scale" in r.changes]
        if not todo:
            return
        objects = Enterprise.objects.select_related("region").in_bulk([pk for pk, _ in todo])
        with audit.acting_as(import_actor(context)):
            for pk, row in todo:
                year = self.scale_year[(row.sheet, row.number)]
                services.enterprise_scale_set(
                    user=context.user,
                    enterprise=objects[pk],
                    year=year,
                    above_scale=row.values["above_scale"],
                    revenue_yuan=self.scale.get((pk, year), (None, None))[1],
                )


def enterprise_import_spec() -> TableSpec:
    return TableSpec(
        name="enterprises",
        title="企业",
        columns=enterprise_columns(),
        adapter=EnterpriseAdapter(),
        scope_column="unit",
        sheet_title="企业",
        notes=(
            "7. 以统一社会信用代码识别企业：库中已有的企业按本表更新，没有的新登记。",
            "8. 导入不会变更企业的报送单位；如需变更，请在企业页面修改。",
            "9. 县市经办人只能导入本单位的企业。",
        ),
    )


# --- projects -------------------------------------------------------------------------------------

# Column key → Project field (money in yuan, codes become foreign keys).
PROJECT_FIELDS = {
    "project_code": "project_code",
    "name": "name",
    "unit": "region",
    "industry": "industry",
    "content": "content",
    "total": "total_investment_yuan",
    "equipment": "equipment_investment_yuan",
    "fixed": "fixed_asset_investment_yuan",
    "planned_start": "planned_start_date",
    "planned_completion": "planned_completion_date",
    "actual_start": "actual_start_date",
    "actual_completion": "actual_completion_date",
    "conforms": "conforms_industrial_policy",
    "is_key": "is_key",
    "is_demonstration": "is_demonstration",
    "zero_new_land": "zero_new_land",
    "leader_name": "leader_name",
    "leader_title": "leader_title",
}
FIELD_COLUMN = {field: key for key, field in PROJECT_FIELDS.items()}
FIELD_COLUMN.update({"enterprise": "unit", "region": "unit", "plan_years": "plan_years"})


def project_columns() -> list[Column]:
    # Labels are exports.PROJECT_COLUMNS' headers (without the unit): the export re-imports unchanged.
    return [
        Column("project_code", "项目代码", PROJECT_CODE, variants=("备案代码", "项目编码", "备案项目代码", "项目备案代码"),
               help="有项目代码的按代码识别项目，没有的按“统一社会信用代码 + 项目名称”识别",
               example="2021-422801-39-03-012345"),
        Column("name", "项目名称", Text(max_length=120), required=True, variants=("项目名",),
               help="项目全称", example="年产5万吨硒茶加工技术改造项目"),
        Column("enterprise_name", "企业名称", Text(max_length=100), variants=("项目单位", "建设单位", "企业"),
               help="仅供核对：以企业库中登记的名称为准", example="恩施州硒茶科技有限公司"),
        Column("credit_code", "统一社会信用代码", CREDIT_CODE, required=True,
               variants=("信用代码", "社会信用代码", "企业信用代码"),
               help="项目单位的代码；企业须已在企业库中登记", example="91422801MA4F0XXXXX"),
        Column("unit", "报送单位", reporting_unit_choice(), variants=UNIT_VARIANTS,
               help="留空按企业的报送单位", example="恩施市"),
        Column("industry", "行业代码", industry_choice(), variants=INDUSTRY_VARIANTS,
               help="国民经济行业大类；留空按企业的行业", example="15"),
        Column("industry_name", "所属行业", IndustryName(), variants=INDUSTRY_NAME_VARIANTS, template=False,
               help="行业名称；与行业代码同时填写时以行业代码为准"),
        Column("content", "建设内容", Text(max_length=5000), variants=("主要建设内容", "建设规模及内容", "项目内容")),
        Column("total", "总投资", Money(), required=True, variants=("计划总投资", "项目总投资"), example="5000"),
        Column("equipment", "设备投资", Money(), variants=("技改设备投资", "设备购置投资", "设备购置"),
               help="新项目必填，不能大于总投资", example="2000"),
        Column("fixed", "固定资产投资", Money(), variants=("计划固定资产投资",),
               help="新项目必填，不能大于总投资", example="4000"),
        Column("planned_start", "计划开工日期", Date(), variants=("计划开工时间", "拟开工时间"), example="2018-03-01"),
        Column("planned_completion", "计划竣工日期", Date(),
               variants=("计划竣工时间", "计划完工时间", "计划建成时间", "拟竣工时间"), example="2019-06-30"),
        Column("actual_start", "实际开工日期", Date(), variants=("实际开工时间",)),
        Column("actual_completion", "实际竣工日期", Date(), variants=("实际竣工时间", "实际完工时间", "竣工投产时间")),
        Column("plan_years", "列入计划年度", PlanYears(), variants=("计划年度", "列入年度", "年度计划"), example="2018"),
        Column("listed", "是否列入年度技改计划", Boolean(), variants=LISTED_VARIANTS, template=False,
               help="是：列入表头上方标题中的年度（或导入时选择的年度）的技改计划；否：不增加计划年度"),
        Column("conforms", "符合产业政策", Boolean(), variants=("是否符合产业政策",), help="新项目留空按“是”", example="是"),
        Column("is_key", "重点项目", Boolean(), variants=("是否重点项目",), example="否"),
        Column("is_demonstration", "示范项目", Boolean(), variants=("是否示范项目",), example="否"),
        Column("zero_new_land", "零新增地", Boolean(), variants=("是否零新增地", "零土地"), example="否"),
        Column("leader_name", "挂点领导", Text(max_length=40), variants=("联系领导", "包保领导", "挂点联系领导")),
        Column("leader_title", "挂点领导职务", Text(max_length=60), variants=("领导职务",)),
        Column("status", "状态", _status_choice(), variants=("项目状态", "建设状态", "项目进度状态"),
               help="仅供核对：导入不改变项目状态，新项目按“储备”登记；请用“状态变更”操作", example="储备"),
    ]  # fmt: skip


class ProjectKey(tuple):
    """``("code", 项目代码)`` or ``("name", 信用代码, 项目名称)``: the identity of a project row.

    It also carries the row's credit code and name, which are not part of its identity, so that
    ``load_existing`` can find the enterprise and a project registered without a code."""

    credit_code: str
    name: str

    def __new__(cls, ident: tuple, credit_code: str, name: str) -> ProjectKey:
        key = super().__new__(cls, ident)
        key.credit_code = credit_code
        key.name = name
        return key


def describe_project_key(key: Hashable) -> str:
    if isinstance(key, tuple) and key and key[0] == "code":
        return say("项目代码 %(code)s", code=key[1])
    if isinstance(key, tuple) and len(key) == 3:
        return f"{key[1]} {key[2]}"
    return str(key)


_PROJECT_VALUES = (
    "id", "version", "status", "enterprise_id", "region_id", "industry_id", "project_code", "name", "content",
    "total_investment_yuan", "equipment_investment_yuan", "fixed_asset_investment_yuan", "planned_start_date",
    "planned_completion_date", "actual_start_date", "actual_completion_date", "conforms_industrial_policy",
    "is_key", "is_demonstration", "zero_new_land", "leader_name", "leader_title",
)  # fmt: skip


@dataclass
class _Ent:
    pk: int
    credit_code: str
    name: str
    region_id: int
    industry_id: int


class ProjectAdapter:
    """Rows of projects; see the module's docstring for the rules."""

    def __init__(self) -> None:
        self._ref: _Reference | None = None
        self._reset()

    @property
    def ref(self) -> _Reference:
        if self._ref is None:
            self._ref = _Reference()
        return self._ref

    def _reset(self) -> None:
        self.enterprises: dict[str, _Ent] = {}
        self.enterprise_by_pk: dict[int, _Ent] = {}
        self.problems: dict[Hashable, str] = {}  # key → why the key cannot be resolved
        self.claimed: dict[int, Row] = {}  # project pk → the row that updates it
        self.names: dict[tuple[str, str], Row] = {}  # (credit code, name) → the row that has it
        self.stored_names: dict[tuple[int, str], int] = {}  # (enterprise pk, name) → project pk
        # A new row's values as the service writes them, checked once by services.check_new_project
        # (check_row), handed to projects_upsert_many as they are (apply): one check a row, not two.
        self.checked: dict[tuple[str, int], services.CheckedProject] = {}

    # -- the engine's four methods -----------------------------------------------------------------

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        credit, name, code = values.get("credit_code"), values.get("name"), values.get("project_code")
        if code:
            return ProjectKey(("code", code), credit, name)
        if credit and name:
            return ProjectKey(("name", credit, name), credit, name)
        return None

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict[Hashable, dict]:
        """Enterprises by credit code, projects by code and by enterprise (chunks of ``services.BATCH`` keys per
        query), plan years of the projects found. Locks the projects inside the write transaction."""
        self._reset()
        lock = _in_write_transaction()
        credits = sorted({k.credit_code for k in keys if getattr(k, "credit_code", None)})
        codes = sorted({k[1] for k in keys if k[0] == "code"})
        for chunk in chunks(credits):
            for pk, credit, name, region_id, industry_id in Enterprise.objects.filter(
                credit_code__in=chunk
            ).values_list("id", "credit_code", "name", "region_id", "industry_id"):
                ent = _Ent(pk, credit, name, region_id, industry_id)
                self.enterprises[credit] = ent
                self.enterprise_by_pk[pk] = ent

        projects: dict[int, dict] = {}
        ref = self.ref

        def fetch(qs) -> None:
            if lock:
                qs = qs.select_for_update(of=("self",))
            for t in qs.values_list(*_PROJECT_VALUES):
                projects[t[0]] = {
                    "project_code": t[6], "name": t[7], "unit": ref.region_code[t[4]],
                    "industry": ref.industry_code[t[5]], "content": t[8], "total": t[9], "equipment": t[10],
                    "fixed": t[11], "planned_start": t[12], "planned_completion": t[13], "actual_start": t[14],
                    "actual_completion": t[15], "plan_years": (), "conforms": t[16], "is_key": t[17],
                    "is_demonstration": t[18], "zero_new_land": t[19], "leader_name": t[20], "leader_title": t[21],
                    "status": t[2], "_pk": t[0], "_version": t[1], "_enterprise_id": t[3],
                }  # fmt: skip

        ent_ids = sorted(e.pk for e in self.enterprises.values())
        for chunk in chunks(ent_ids):
            fetch(Project.objects.filter(enterprise_id__in=chunk))
        found_codes = {p["project_code"] for p in projects.values()}
        for chunk in chunks([c for c in codes if c not in found_codes]):
            fetch(Project.objects.filter(project_code__in=chunk))
        # Enterprises of projects found by code under another enterprise (for the message).
        missing = sorted({p["_enterprise_id"] for p in projects.values()} - set(self.enterprise_by_pk))
        for chunk in chunks(missing):
            for pk, credit, name, region_id, industry_id in Enterprise.objects.filter(
                pk__in=chunk
            ).values_list("id", "credit_code", "name", "region_id", "industry_id"):
                self.enterprise_by_pk[pk] = _Ent(pk, credit, name, region_id, industry_id)
        years: dict[int, list[int]] = {}
        for chunk in chunks(sorted(projects)):
            for project_id, year in ProjectPlanYear.objects.filter(project_id__in=chunk).values_list(
                "project_id", "year"
            ):
                years.setdefault(project_id, []).append(year)

        by_code: dict[str, dict] = {}
        by_name: dict[tuple[int, str], list[dict]] = {}
        for pk, p in projects.items():
            ent = self.enterprise_by_pk[p["_enterprise_id"]]
            p["_enterprise"] = ent
            p["credit_code"] = ent.credit_code
            p["enterprise_name"] = ent.name
            if pk in years:
                p["plan_years"] = tuple(sorted(years[pk]))
            if p["project_code"]:
                by_code[p["project_code"]] = p
            by_name.setdefault((ent.pk, p["name"]), []).append(p)
            self.stored_names[(ent.pk, p["name"])] = pk

        out: dict[Hashable, dict] = {}
        for key in keys:
            found = None
            if key[0] == "code":
                found = by_code.get(key[1])
            ent = self.enterprises.get(key.credit_code)
            if found is None and ent is not None:
                same = by_name.get((ent.pk, key.name), [])
                if len(same) > 1:
                    self.problems[key] = say(
                        "该企业在项目库中有 %(n)s 个名为“%(name)s”的项目，请填写项目代码以区分",
                        n=len(same),
                        name=key.name,
                    )
                elif same and key[0] == "code" and same[0]["project_code"]:
                    self.problems[key] = say(
                        "该企业已有名为“%(name)s”的项目，其项目代码为 %(stored)s，与本行的 %(code)s 不符；"
                        "如是另一个项目，请修改项目名称",
                        name=key.name,
                        stored=same[0]["project_code"],
                        code=key[1],
                    )
                elif same:
                    found = same[0]
            if found is not None:
                out[key] = found
        return out

    def check_row(self, row: Row, context: ImportContext) -> list[RowError]:
        _require(context)
        ref = self.ref
        values, stored, key = row.values, row.existing, row.key
        unknown = _fold_industry_name(row)
        outside = self._outside_unit(row, context)
        if outside is not None:
            return [outside]
        if unknown is not None:
            return [unknown]
        problem = self.problems.get(key)
        if problem:
            return [RowError(problem, "name")]
        credit = values["credit_code"]
        if stored is None:
            ent = self.enterprises.get(credit)
            if ent is None:
                return [
                    RowError(
                        say(
                            "企业库中没有统一社会信用代码为 %(code)s 的企业，请先登记或导入该企业",
                            code=credit,
                        ),
                        "credit_code",
                    )
                ]
        else:
            ent = stored["_enterprise"]
            if ent.credit_code != credit:
                return [
                    RowError(
                        say(
                            "项目代码 %(code)s 已登记在“%(name)s”（%(credit)s）名下，与本行的统一社会信用代码不符；"
                            "导入不能把项目转到另一家企业",
                            code=key[1],
                            name=ent.name,
                            credit=ent.credit_code,
                        ),
                        "credit_code",
                    )
                ]
            other = self.claimed.get(stored["_pk"])
            if other is not None:
                return [
                    RowError(
                        say(
                            "与第 %(row)s 行是项目库中的同一个项目（%(name)s），同一项目只能出现一次",
                            row=other.number,
                            name=stored["name"],
                        )
                    )
                ]
            self.claimed[stored["_pk"]] = row
        name = values["name"]
        seen = self.names.get((credit, name))
        if seen is not None:
            return [
                RowError(
                    say("与第 %(row)s 行是同一企业的同名项目；同一企业的项目名称不能重复", row=seen.number),
                    "name",
                )
            ]
        self.names[(credit, name)] = row
        if stored is not None and name != stored["name"]:
            taken = self.stored_names.get((ent.pk, name))
            if taken is not None and taken != stored["_pk"]:
                return [RowError(say("该企业已有名为“%(name)s”的项目，不能改为此名称", name=name), "name")]

        # For reading only: never compared as a change, never written.
        given_name = values.pop("enterprise_name", None)
        if given_name is not None and given_name != ent.name:
            _warn(
                row,
                "enterprise_name",
                say("与企业库中登记的名称“%(name)s”不一致，以企业库为准", name=ent.name),
            )
        status = values.pop("status", None)
        current = stored["status"] if stored is not None else ProjectStatus.RESERVE
        if status is not None and status != current:
            label = str(ProjectStatus(current).label)
            what = (
                say("新项目按“储备”登记") if stored is None else say("项目库中为“%(status)s”", status=label)
            )
            _warn(row, "status", say("状态未导入（%(what)s）：状态须通过“状态变更”操作修改", what=what))
        listing = self._listing(row, context)
        if listing is not None:
            return [listing]
        if stored is not None and "plan_years" in values:
            values["plan_years"] = tuple(sorted(set(values["plan_years"]) | set(stored["plan_years"])))

        merged = {**stored, **values} if stored is not None else dict(values)
        unit = merged.get("unit") or ref.region_code[ent.region_id]
        if stored is None:
            # The service's own check of a new project, once: its result goes to apply as it is.
            errors, checked = services.check_new_project(
                self._new_values(values, ent), enterprise_region_id=ent.region_id
            )
            if checked is not None:
                self.checked[(row.sheet, row.number)] = checked
        else:
            check = {field: merged.get(key) for key, field in PROJECT_FIELDS.items()}
            check["region"] = SimpleNamespace(pk=ref.region_id[unit])
            check["enterprise"] = SimpleNamespace(region_id=ent.region_id)
            check["plan_years"] = merged.get("plan_years") or ()
            errors = project_check(check)
            if not errors:  # 4.2: an accepted project's investment is frozen
                before = {field: stored.get(key) for key, field in PROJECT_FIELDS.items()}
                errors = frozen_changes(stored["status"], before, check)
        out = []
        for field, messages in errors.items():
            column = FIELD_COLUMN.get(field)
            for message in messages:
                if field == "enterprise":
                    message = say(
                        "%(message)s：该企业属于%(region)s，本行为%(unit)s",
                        message=str(message),
                        region=ref.region_name.get(ent.region_id, ""),
                        unit=ref.unit_name(unit),
                    )
                out.append(RowError(message if isinstance(message, str) else str(message), column))
        return out

    def _new_values(self, v: Mapping[str, Any], ent: _Ent) -> dict[str, Any]:
        """A new row's values by the model's attname, as ``services.projects_upsert_many`` takes them."""
        ref = self.ref
        unit, industry = v.get("unit"), v.get("industry")
        values = {
            "enterprise_id": ent.pk,
            "region_id": ref.region_id[unit] if unit else ent.region_id,
            "industry_id": ref.industry_id[industry] if industry else ent.industry_id,
            "plan_years": v.get("plan_years") or (),
        }
        for key, field in PROJECT_FIELDS.items():
            if key not in ("unit", "industry") and key in v:
                values[field] = v[key]
        return values

    def _listing(self, row: Row, context: ImportContext) -> RowError | None:
        """是否列入年度技改计划 (3.1.1's plan listing, docs/programme.md): 是 adds the year of the plan
        (the 列入计划年度 column's, else the import's or the sheet title's); 否 adds nothing and never
        removes a stored listing (an import only adds plan years)."""
        values, stored = row.values, row.existing
        listed = values.pop("listed", None)
        if listed is None:
            return None
        given = values.get("plan_years")
        if listed:
            if given is None:
                year = import_year(row, context)
                if year is None:
                    return RowError(
                        say(NO_YEAR_OR_COLUMN, what="是否列入年度技改计划"),
                        "listed",
                    )
                values["plan_years"] = (year,)
            return None
        if given is not None:
            return RowError(
                say(
                    "“是否列入年度技改计划”为“否”，但“列入计划年度”填了 %(years)s，请核对",
                    years=said_list(str(y) for y in given),
                ),
                "listed",
            )
        year = import_year(row, context)
        if stored is not None and year in stored["plan_years"]:
            _warn(
                row,
                "listed",
                say(
                    "项目库中该项目已列入 %(year)s 年度计划；导入只增加、不删除计划年度，如需撤出请在项目页面修改",
                    year=year,
                ),
            )
        return None

    def _outside_unit(self, row: Row, context: ImportContext) -> RowError | None:
        """A clerk's row naming an enterprise of another unit is refused first, and says only that: not
        which unit, nor what that enterprise has in the library (issue 11, point 12: no existence oracle)."""
        if context.unit is None:
            return None
        stored = row.existing
        ent = (
            stored["_enterprise"]
            if stored is not None
            else self.enterprises.get(row.values.get("credit_code"))
        )
        if ent is None or self.ref.region_code.get(ent.region_id) == context.unit:
            return None
        return RowError(say(OUTSIDE_UNIT, unit=self.ref.unit_name(context.unit)), "credit_code")

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        """Through ``services.projects_upsert_many``: the services' checks, one audit record a row."""
        _require(context)
        ref = self.ref
        new = []
        for row in new_rows:
            checked = self.checked.get((row.sheet, row.number))
            if checked is not None:
                new.append(checked)
            else:
                new.append(self._new_values(row.values, self.enterprises[row.values["credit_code"]]))
        changes, years = [], {}
        for row in changed_rows:
            data = _changed_attnames(row, PROJECT_FIELDS, ref)
            added = data.pop("plan_years", None)
            if added is not None:
                years[row.existing["_pk"]] = added
            changes.append((row.existing["_pk"], row.existing["_version"], data))
        services.projects_upsert_many(
            user=context.user, new=new, changes=changes, add_plan_years=years, **_batch_source(context)
        )


def project_import_spec() -> TableSpec:
    return TableSpec(
        name="projects",
        title="技改项目",
        columns=project_columns(),
        adapter=ProjectAdapter(),
        scope_column="unit",
        sheet_title="技改项目",
        describe_key=describe_project_key,
        notes=(
            "7. 有项目代码的按代码识别项目，没有的按“统一社会信用代码 + 项目名称”识别；库中已有的按本表更新，"
            "没有的新登记（按“储备”状态）。",
            "8. 企业须已在企业库中登记（可先导入“企业”表）；报送单位须与企业一致。",
            "9. 导入不改变项目状态：状态列仅供核对，状态变更请在项目页面操作。",
            "10. 列入计划年度只增加、不删除；企业名称列仅供核对，以企业库为准。",
            "11. 县市经办人只能导入本单位的项目。从项目库导出的表格可直接修改后导入。",
        ),
    )


# --- running an import (pages and CLI) -------------------------------------------------------------


def register() -> None:
    """Called from ``RegistryConfig.ready()``."""
    from jigai.imports import tables

    tables.register("enterprises", enterprise_import_spec)
    tables.register("projects", project_import_spec)


def context_for(user: Any, **extra: Any) -> ImportContext:
    """The import context of a user: a county clerk is limited to the clerk's unit."""
    unit = None
    if user is not None and getattr(user, "role", None) == "clerk":
        unit = user.region.code if user.region_id else "-"
    return ImportContext(user=user, unit=unit, extra=dict(extra))


def run_import(
    spec: TableSpec,
    file: Any,
    context: ImportContext,
    *,
    mode: str = "all",
    dry_run: bool = False,
    filename: str | None = None,
    sheets: str | Sequence[str] | None = None,
) -> ImportReport:
    """``jigai.imports.run`` plus one audit event "import" with the outcome and counts (after the
    import's own transaction, so a failed import is recorded too). Re-raises ``ImportWriteError``."""
    _require(context)
    failed: ImportWriteError | None = None
    try:
        report = run(spec, file, context, mode=mode, dry_run=dry_run, filename=filename, sheets=sheets)
    except ImportWriteError as exc:
        report, failed = exc.report, exc
    if not dry_run:
        if failed is not None:
            outcome = "failure"
        elif report.refused or (report.has_rejections and not report.written):
            outcome = "rejected"
        else:
            outcome = "success"
        actor = import_actor(context)
        if not actor.source_detail:
            actor.source_detail = report.filename
        audit.record(
            "import",
            object_type=f"imports.{spec.name}",
            object_repr=spec.title,
            outcome=outcome,
            after={
                "table": spec.name,
                "mode": report.mode,
                "written": report.written,
                "counts": report.counts,
                "file": report.filename,
                "sha256": report.sha256,
            },
            message=report.message,
            actor=actor,
        )
    if failed is not None:
        raise failed
    return report
