"""The policy engine's decisions in the office's words, for the calculator page.

The engine's reasons carry stable codes (``NOT_IN_PLAN``, ``NO_RULE_IN_FORCE``) and raw values
(``plan_year=None``, ``missing=['3.2.rate', …]``) for the API and the batch path; the page shows none of
them. Here each decision becomes: the clause with the text's own numbering and its 原文 quoted, the
verdict, the amount in 万元 (with the exact yuan beside it), the reasons with every amount in 万元 and
thousands separators, and the figures compared, each named in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from jigai.policy.decision import CLAUSE_TITLES, OUTCOME_ZH, PARAMETER_LABELS, clause_label
from jigai.policy.money import format_decimal, format_wan

_YUAN = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?元")

#: The figures a reason compares, by the engine's key: (label, kind).
VALUE_LABELS = {
    "plan_year": ("列入年度计划", "plan_year"),
    "start_date": ("开工日期", "date"),
    "completion_date": ("竣工日期", "date"),
    "latest_completion_date": ("最迟竣工日期（改造期上限）", "date"),
    "period_months": ("改造期（月）", "int"),
    "max_period_months": ("改造期上限（月）", "int"),
    "equipment_investment_yuan": ("设备投资", "money"),
    "fixed_asset_investment_yuan": ("固定资产投资", "money"),
    "threshold_yuan": ("起点", "money"),
    "cap_yuan": ("上限", "money"),
    "base_yuan": ("计算基数", "money"),
    "computed_yuan": ("按比例计算", "money"),
    "amount_yuan": ("核定金额", "money"),
    "rate": ("比例", "rate"),
    "year": ("适用年度", "year"),
    "start_year": ("开工年度", "year"),
    "award_year": ("获奖年度", "year"),
    "basis": ("依据", "basis"),
    "missing": ("该年度缺少的政策参数", "params"),
    "industry_division": ("行业大类", "text"),
    "industry_name": ("行业", "text"),
    "in_production": ("已建成投产", "bool"),
    "registered_in_prefecture": ("州内注册", "bool"),
    "conforms_industrial_policy": ("符合国家产业政策", "bool"),
    "key_project": ("重点项目", "bool"),
}
BASIS = {
    "planned": "计划投资额（测算）",
    "verified": "验收核定数",
    "plan_year": "列入计划年度",
    "start_year": "开工年度",
    "award_year": "获奖年度",
}


def wan(yuan) -> str:
    """An amount in 万元 with thousands separators: two decimals, more only where they carry a digit
    (300万元 → ``300.00``; 370,370.367元 → ``37.0370367``), so nothing is rounded away in a comparison."""
    d = Decimal(str(yuan)).scaleb(-4)
    places = 2
    while places < 8 and d != d.quantize(Decimal(1).scaleb(-places)):
        places += 1
    return format_wan(Decimal(str(yuan)), places=places, grouping=True)


def in_wan(text: str) -> str:
    """Every yuan amount in a sentence written in 万元: ``不低于3,000,000.00元`` → ``不低于300.00万元``."""

    def repl(m: re.Match) -> str:
        return f"{wan(Decimal(m.group(1).replace(',', '') + (m.group(2) or '')))}万元"

    return _YUAN.sub(repl, text)


def value_text(key: str, value) -> str | None:
    label, kind = VALUE_LABELS.get(key, (None, None))
    if label is None:
        return None  # an engine detail without a plain reading: the API has it
    if value is None or value == "" or value == []:
        shown = "未列入" if kind == "plan_year" else "未填写"
    elif kind == "money":
        shown = f"{wan(value)}万元"
    elif kind == "rate":
        shown = f"{(Decimal(str(value)) * 100).normalize():f}%"
    elif kind in ("year", "plan_year"):
        shown = f"{value}年"
    elif kind == "bool":
        shown = "是" if value else "否"
    elif kind == "basis":
        shown = BASIS.get(str(value), str(value))
    elif kind == "params":
        shown = "、".join(PARAMETER_LABELS.get(str(v), str(v)) for v in value)
    elif kind == "date":
        y, m, d = str(value)[:10].split("-")
        shown = f"{int(y)}年{int(m)}月{int(d)}日"
    else:
        shown = str(value)
    return f"{label}：{shown}"


def plain_decision(d: dict) -> dict:
    clause = d["clause"]
    return {
        "clause": clause,
        "heading": f"{clause_label(clause)} {CLAUSE_TITLES.get(clause, '')}".strip(),
        "original_text": d.get("original_text") or "",
        "decision": d["decision"],
        "verdict": OUTCOME_ZH.get(d["decision"], d["decision"]),
        "amount_wan": wan(d.get("amount_yuan") or "0"),
        "amount_yuan": format_decimal(d.get("amount_yuan") or "0", places=2, grouping=True),
        "capped": d.get("capped"),
        "estimate": d.get("estimate"),
        "reasons": [
            {
                "message": in_wan(r["message"]),
                "values": [t for k, v in r.get("values", {}).items() if (t := value_text(k, v))],
            }
            for r in d.get("reasons", [])
        ],
        "parameters": [_parameter(p) for p in d.get("parameters", [])],
        "explanation": in_wan(d.get("explanation") or ""),
    }


def _parameter(p: dict) -> str:
    name, value = p["name"], p["value"]
    if name == "stacking":
        shown = {"both": "3.1.1与3.2可同时享受", "higher_only": "3.1.1与3.2只享受较高一项"}.get(
            str(value), str(value)
        )
    elif name.endswith("months"):
        shown = f"{value}个月"
    elif name.endswith("divisions") and isinstance(value, list) and len(value) == 2:
        shown = f"行业大类{value[0]}—{value[1]}"
    elif name.endswith("_yuan") and not isinstance(value, (list, dict)):
        shown = f"{wan(value)}万元"
    elif name.endswith("rate") or name.endswith("share"):
        shown = f"{(Decimal(str(value)) * 100).normalize():f}%"
    elif isinstance(value, bool):
        shown = "是" if value else "否"
    elif isinstance(value, list):
        shown = "、".join(str(v) for v in value)
    elif isinstance(value, dict):
        shown = "、".join(f"第{k}名{wan(v)}万元" for k, v in value.items())
    else:
        shown = str(value)
    label = PARAMETER_LABELS.get(name, name)
    span = f"{p['start'][:4]}年起" + (f"至{p['end'][:4]}年" if p.get("end") else "")
    return f"{label} {shown}（{span}）"
