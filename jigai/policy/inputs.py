"""Typed inputs of the rules, and their parsing from raw field values (strings, numbers, booleans).

Parsing collects every problem with its row, column and a Chinese reason; it never stops at the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .dates import parse_date
from .money import parse_decimal, parse_yuan


@dataclass(frozen=True, slots=True)
class Project:
    """A tech-renovation project as the money rules (3.1.1, 3.2) see it. Amounts in yuan, 2 places."""

    project_id: str
    registered_in_prefecture: bool
    conforms_industrial_policy: bool
    plan_year: int | None  # None: not listed in a year's tech-renovation plan
    industry_division: str | None  # GB/T 4754-2017 2-digit division, "13"
    key_project: bool
    start_date: date
    completion_date: date  # planned until completed
    in_production: bool
    equipment_investment_yuan: Decimal  # planned
    fixed_asset_investment_yuan: Decimal  # planned
    verified_equipment_investment_yuan: Decimal | None = None  # verified at acceptance (4.2)
    verified_fixed_asset_investment_yuan: Decimal | None = None
    region_code: str | None = None  # reporting unit: 422801 … or GXQ
    # 3.2 paid as 贷款贴息 ("loan_interest") or 项目奖补 ("award", the default); with 贷款贴息 the interest
    # actually paid in the support period (docs/programme.md, reading 15).
    support_mode: str | None = None
    interest_paid_yuan: Decimal | None = None


NATIONAL = "national"
PROVINCIAL = "provincial"


@dataclass(frozen=True, slots=True)
class Award:
    """One ranking of an enterprise's technology (3.1.2)."""

    enterprise_id: str
    technology: str
    year: int
    industry: str
    level: str  # "national" | "provincial"
    rank: int


SUPPORT_MODES = {"award": "项目奖补", "loan_interest": "贷款贴息"}

PROJECT_TYPES = {
    "equipment_renewal": "设备更新改造",
    "expansion": "扩建",
    "new_build": "新建",
    "other": "其他",
}

LAND_MEASURES = {
    "renovation": "技术改造",
    "multi_storey": "建设多层房",
    "extra_floors": "厂房改造加层",
    "underground": "开发利用地下空间",
}

#: 3.3 第一句之前：对技改企业发展所需用地，优先规划，优先报批，优先供应 — the priority handling a case was
#: given, recorded in the decision.
LAND_PRIORITY = {
    "planning": "优先规划",
    "approval": "优先报批",
    "supply": "优先供应",
}

#: 3.3：可采取先租后让、租让结合等方式取得工业用地使用权 — how the land use right is (to be) obtained,
#: recorded in the decision. 出让 and 租赁 are the ordinary ways beside the two the text names.
LAND_ACQUISITION = {
    "transfer": "出让",
    "lease_then_transfer": "先租后让",
    "lease_and_transfer": "租让结合",
    "lease": "租赁",
}


@dataclass(frozen=True, slots=True)
class LandCase:
    """Raising the plot ratio on a site (3.3)."""

    case_id: str
    application_date: date
    industrial_land: bool  # the site's use is industrial
    existing_stock_land: bool  # 原出让的存量工业用地: already transferred, not new land
    change_of_use: bool
    conforms_urban_plan: bool
    within_original_site: bool
    plot_ratio_before: Decimal
    plot_ratio_after: Decimal
    measures: tuple[str, ...] = ()  # keys of LAND_MEASURES
    # 经批准: the raised plot ratio approved (True), refused (False) or not yet decided (None: pending).
    # Never assumed: a memo says 经批准 only when this is True (docs/programme.md, reading 18).
    approved: bool | None = None
    priority: tuple[str, ...] = ()  # keys of LAND_PRIORITY: recorded, no effect on the outcome
    acquisition: str | None = None  # key of LAND_ACQUISITION: recorded, no effect on the outcome


@dataclass(frozen=True, slots=True)
class FilingCase:
    """A project asking for online filing with zero approval (3.5), with the facts that decide approvals."""

    case_id: str
    filing_date: date
    project_type: str  # key of PROJECT_TYPES
    new_land_area_m2: Decimal
    advanced_mature_process: bool
    changes_pollutant_discharge: bool = False  # → 环评
    involves_major_hazard: bool = False  # hazardous chemicals, major hazard source → 安评
    new_buildings: bool = False  # → 规划许可
    # → 能评 (节能审查): the project's energy use needs a review (年综合能源消费量1000吨标准煤以上或年电力
    # 消费量500万千瓦时以上, 《固定资产投资项目节能审查办法》); a fact, as the others.
    energy_review_required: bool = False


@dataclass(frozen=True, slots=True)
class InputError:
    row: int
    column: str
    message: str

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return f"第{self.row}行，列「{self.column}」：{self.message}"


# --- field parsers: raw → value, raising ValueError with a Chinese message ----------------------------

_TRUE = {"true", "1", "是", "yes", "y", "t"}
_FALSE = {"false", "0", "否", "no", "n", "f"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    if isinstance(value, str) and re.fullmatch(r"[01]\.0+", value.strip()):
        # a CSV cell "1.0" is what .xlsx reads as the number 1.0: accepted on both (issue 13, point 11)
        return value.strip().startswith("1")
    raise ValueError(f"无法识别的是/否值：{value!r}（应为 是/否、true/false 或 1/0）")


def parse_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"应为文本：{value!r}")
    return str(value).strip()


def parse_year(value: Any) -> int:
    try:
        d = parse_decimal(value)
    except ValueError:
        raise ValueError(f"年度应为四位数字，如 2019：{value!r}") from None
    if d != d.to_integral_value() or not 1900 <= d <= 2999:
        raise ValueError(f"年度应为四位数字，如 2019：{value!r}")
    return int(d)


def parse_whole(value: Any) -> int:
    try:
        d = parse_decimal(value)
    except ValueError:
        raise ValueError(f"应为正整数：{value!r}") from None
    if d != d.to_integral_value() or d < 1:
        raise ValueError(f"应为正整数：{value!r}")
    return int(d)


def parse_division(value: Any) -> str:
    text = parse_text(value)
    if not re.fullmatch(r"\d{1,2}", text) or not 1 <= int(text) <= 97:
        raise ValueError(f"行业代码应为国民经济行业分类两位大类代码（01–97）：{value!r}")
    return text.zfill(2)


def parse_level(value: Any) -> str:
    text = parse_text(value).lower()
    if text in ("national", "全国", "国家级", "国家"):
        return NATIONAL
    if text in ("provincial", "全省", "省级", "省"):
        return PROVINCIAL
    raise ValueError(f"级别应为 全国/全省（national/provincial）：{value!r}")


def parse_nonneg_decimal(value: Any) -> Decimal:
    d = parse_decimal(value)
    if d < 0:
        raise ValueError(f"不能为负数：{value}")
    return d


def _choice(options: Mapping[str, str]) -> Callable[[Any], str]:
    reverse = {v: k for k, v in options.items()}

    def parse(value: Any) -> str:
        text = parse_text(value)
        if text in options:
            return text
        if text in reverse:
            return reverse[text]
        allowed = "、".join(f"{k}（{v}）" for k, v in options.items())
        raise ValueError(f"取值无效：{value!r}（应为 {allowed}）")

    return parse


def _choices(options: Mapping[str, str]) -> Callable[[Any], tuple[str, ...]]:
    """Several of ``options`` separated by 、，; (or a list), each by key or Chinese name, no repeats."""
    pick = _choice(options)

    def parse(value: Any) -> tuple[str, ...]:
        if isinstance(value, list | tuple):
            parts = [parse_text(v) for v in value]
        else:
            parts = [p.strip() for p in re.split(r"[,，、;；]", parse_text(value)) if p.strip()]
        return tuple(dict.fromkeys(pick(p) for p in parts))

    return parse


_measures = _choices(LAND_MEASURES)


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[Any], Any]
    required: bool = True
    label: str = ""  # Chinese header of the downloadable template


PROJECT_FIELDS: tuple[Field, ...] = (
    Field("project_id", parse_text, True, "项目编号"),
    Field("registered_in_prefecture", parse_bool, True, "州内注册"),
    Field("conforms_industrial_policy", parse_bool, True, "符合产业政策"),
    Field("plan_year", parse_year, False, "计划年度"),
    Field("industry_division", parse_division, False, "行业代码"),
    Field("key_project", parse_bool, True, "重点项目"),
    Field("start_date", parse_date, True, "开工日期"),
    Field("completion_date", parse_date, True, "竣工日期"),
    Field("in_production", parse_bool, True, "已投产"),
    Field("equipment_investment_yuan", parse_yuan, True, "设备投资（元）"),
    Field("fixed_asset_investment_yuan", parse_yuan, True, "固定资产投资（元）"),
    Field("verified_equipment_investment_yuan", parse_yuan, False, "核定设备投资（元）"),
    Field("verified_fixed_asset_investment_yuan", parse_yuan, False, "核定固定资产投资（元）"),
    Field("region_code", parse_text, False, "填报单位"),
    Field("support_mode", _choice(SUPPORT_MODES), False, "3.2支持方式"),
    Field("interest_paid_yuan", parse_yuan, False, "支持期内实际支付利息（元）"),
)

AWARD_FIELDS: tuple[Field, ...] = (
    Field("enterprise_id", parse_text, True, "企业编号"),
    Field("technology", parse_text, True, "单项技术"),
    Field("year", parse_year, True, "年度"),
    Field("industry", parse_text, True, "行业"),
    Field("level", parse_level, True, "级别"),
    Field("rank", parse_whole, True, "名次"),
)

LAND_FIELDS: tuple[Field, ...] = (
    Field("case_id", parse_text, True, "编号"),
    Field("application_date", parse_date, True, "申请日期"),
    Field("industrial_land", parse_bool, True, "工业用地"),
    Field("existing_stock_land", parse_bool, True, "原出让存量用地"),
    Field("change_of_use", parse_bool, True, "改变用途"),
    Field("conforms_urban_plan", parse_bool, True, "符合城市规划"),
    Field("within_original_site", parse_bool, True, "在原用地范围内"),
    Field("plot_ratio_before", parse_nonneg_decimal, True, "原容积率"),
    Field("plot_ratio_after", parse_nonneg_decimal, True, "改造后容积率"),
    Field("measures", _measures, False, "改造方式"),
    Field("approved", parse_bool, False, "已批准提高容积率"),
    Field("priority", _choices(LAND_PRIORITY), False, "优先保障措施"),
    Field("acquisition", _choice(LAND_ACQUISITION), False, "用地取得方式"),
)

FILING_FIELDS: tuple[Field, ...] = (
    Field("case_id", parse_text, True, "编号"),
    Field("filing_date", parse_date, True, "备案日期"),
    Field("project_type", _choice(PROJECT_TYPES), True, "项目类型"),
    Field("new_land_area_m2", parse_nonneg_decimal, True, "新增用地（平方米）"),
    Field("advanced_mature_process", parse_bool, True, "先进成熟工艺"),
    Field("changes_pollutant_discharge", parse_bool, False, "改变污染物排放"),
    Field("involves_major_hazard", parse_bool, False, "涉及危险化学品或重大危险源"),
    Field("new_buildings", parse_bool, False, "新建建筑物"),
    Field("energy_review_required", parse_bool, False, "需节能审查"),
)


def parse_records(
    records: Sequence[Mapping[str, Any]],
    fields: Sequence[Field],
    *,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    key: str | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[list[dict[str, Any]], list[InputError]]:
    """Check and convert raw records; return (values by field name, every problem found).

    ``first_row`` is the row number of ``records[0]`` (2 for a spreadsheet with a header row);
    ``row_numbers``, when given, is the row number of each record (a sheet with blank rows skipped).
    ``labels`` maps field names to the column names to print in errors. ``key`` is a field that must be
    unique across records.
    """
    labels = labels or {}
    known = {f.name for f in fields}
    errors: list[InputError] = []
    unknown_seen: set[str] = set()
    out: list[dict[str, Any]] = []
    first_by_key: dict[Any, int] = {}
    for i, raw in enumerate(records):
        row = row_numbers[i] if row_numbers is not None else first_row + i
        if not isinstance(raw, Mapping):
            errors.append(InputError(row, "-", f"每一行应为一个对象（字段: 值），实为 {type(raw).__name__}"))
            continue
        for k in raw:
            if k not in known and k not in unknown_seen:
                unknown_seen.add(k)
                errors.append(InputError(row, str(k), "未知列"))
        values: dict[str, Any] = {}
        for f in fields:
            label = labels.get(f.name, f.name)
            raw_value = raw.get(f.name)
            if _blank(raw_value):
                if f.required:
                    errors.append(InputError(row, label, "必填项为空"))
                values[f.name] = None
                continue
            try:
                values[f.name] = f.parse(raw_value)
            except ValueError as exc:
                errors.append(InputError(row, label, str(exc)))
                values[f.name] = None
        start, end = values.get("start_date"), values.get("completion_date")
        if start is not None and end is not None and end < start:
            errors.append(
                InputError(
                    row,
                    labels.get("completion_date", "completion_date"),
                    f"竣工日期 {end} 早于开工日期 {start}",
                )
            )
        if values.get("support_mode") == "loan_interest" and values.get("interest_paid_yuan") is None:
            errors.append(
                InputError(
                    row,
                    labels.get("interest_paid_yuan", "interest_paid_yuan"),
                    "第3.2条选择贷款贴息，须填写支持期内实际支付的利息",
                )
            )
        if key is not None and values.get(key) not in (None, ""):
            seen = first_by_key.setdefault(values[key], row)
            if seen != row:
                errors.append(
                    InputError(row, labels.get(key, key), f"编号重复：{values[key]}（与第{seen}行相同）")
                )
        out.append(values)
    return out, errors


def _build(cls: type, fields: Sequence[Field], values: Mapping[str, Any]) -> Any:
    kwargs = {f.name: values.get(f.name) for f in fields}
    return cls(**kwargs)


def projects_from_records(
    records: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[list[Project], list[InputError]]:
    values, errors = parse_records(
        records, PROJECT_FIELDS, first_row=first_row, labels=labels, key="project_id", row_numbers=row_numbers
    )
    if errors:
        return [], errors
    return [_build(Project, PROJECT_FIELDS, v) for v in values], []


def awards_from_records(
    records: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[list[Award], list[InputError]]:
    values, errors = parse_records(
        records, AWARD_FIELDS, first_row=first_row, labels=labels, row_numbers=row_numbers
    )
    if errors:
        return [], errors
    return [_build(Award, AWARD_FIELDS, v) for v in values], []


def land_cases_from_records(
    records: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[list[LandCase], list[InputError]]:
    values, errors = parse_records(
        records, LAND_FIELDS, first_row=first_row, labels=labels, key="case_id", row_numbers=row_numbers
    )
    if errors:
        return [], errors
    for v in values:
        v["measures"] = v["measures"] or ()
        v["priority"] = v["priority"] or ()
    return [_build(LandCase, LAND_FIELDS, v) for v in values], []


def filing_cases_from_records(
    records: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    labels: Mapping[str, str] | None = None,
    row_numbers: Sequence[int] | None = None,
) -> tuple[list[FilingCase], list[InputError]]:
    values, errors = parse_records(
        records, FILING_FIELDS, first_row=first_row, labels=labels, key="case_id", row_numbers=row_numbers
    )
    if errors:
        return [], errors
    for v in values:
        for name in (
            "changes_pollutant_discharge",
            "involves_major_hazard",
            "new_buildings",
            "energy_review_required",
        ):
            v[name] = bool(v[name])
    return [_build(FilingCase, FILING_FIELDS, v) for v in values], []
