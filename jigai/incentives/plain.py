"""The policy engine's decisions in the office's words, for the calculator page.

The engine's reasons carry stable codes (``NOT_IN_PLAN``, ``NO_RULE_IN_FORCE``) and raw values
(``plan_year=None``, ``missing=['3.2.rate', …]``) for the API and the batch path; the page shows none of
them. Here each decision becomes: the clause with the text's own numbering and its 原文 quoted, the
verdict, the amount in 万元 (with the exact yuan beside it), the reasons with every amount in 万元 and
thousands separators, and the figures compared, each named in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import get_language, gettext, gettext_noop

from jigai.policy.decision import CLAUSE_NUMBERING, CLAUSE_TITLES, OUTCOME_ZH, PARAMETER_LABELS
from jigai.policy.money import format_decimal, format_wan

_YUAN = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?元")

#: The figures a reason compares, by the engine's key: (label, kind).
VALUE_LABELS = {
    "plan_year": (gettext_noop("列入年度计划"), "plan_year"),
    "start_date": (gettext_noop("开工日期"), "date"),
    "completion_date": (gettext_noop("竣工日期"), "date"),
    "latest_completion_date": (gettext_noop("最迟竣工日期（改造期上限）"), "date"),
    "period_months": (gettext_noop("改造期（月）"), "int"),
    "max_period_months": (gettext_noop("改造期上限（月）"), "int"),
    "equipment_investment_yuan": (gettext_noop("设备投资"), "money"),
    "fixed_asset_investment_yuan": (gettext_noop("固定资产投资"), "money"),
    "threshold_yuan": (gettext_noop("起点"), "money"),
    "cap_yuan": (gettext_noop("上限"), "money"),
    "base_yuan": (gettext_noop("计算基数"), "money"),
    "computed_yuan": (gettext_noop("按比例计算"), "money"),
    "amount_yuan": (gettext_noop("核定金额"), "money"),
    "rate": (gettext_noop("比例"), "rate"),
    "year": (gettext_noop("适用年度"), "year"),
    "start_year": (gettext_noop("开工年度"), "year"),
    "award_year": (gettext_noop("获奖年度"), "year"),
    "basis": (gettext_noop("依据"), "basis"),
    "missing": (gettext_noop("该年度缺少的政策参数"), "params"),
    "industry_division": (gettext_noop("行业大类"), "text"),
    "industry_name": (gettext_noop("行业"), "text"),
    "in_production": (gettext_noop("已建成投产"), "bool"),
    "registered_in_prefecture": (gettext_noop("州内注册"), "bool"),
    "conforms_industrial_policy": (gettext_noop("符合国家产业政策"), "bool"),
    "key_project": (gettext_noop("重点项目"), "bool"),
    "interest_paid_yuan": (gettext_noop("实际支付利息"), "money"),
    "this_yuan": (gettext_noop("本项金额"), "money"),
    "rank": (gettext_noop("名次"), "int"),
    "level": (gettext_noop("排名级别"), "level"),
}
LEVELS = {"national": gettext_noop("全国"), "provincial": gettext_noop("全省同行业")}
#: A reason in a word, by the engine's code, for a page in another language than the engine's Chinese
#: (the figures it compares are in the next column). A code without one shows the engine's sentence.
REASON_WORDS = {
    "NO_RULE_IN_FORCE": gettext_noop("该年度无有效的本条政策规定"),
    "NOT_REGISTERED": gettext_noop("企业未在州内注册"),
    "NOT_CONFORMING": gettext_noop("项目不符合国家产业政策"),
    "NOT_IN_PLAN": gettext_noop("项目未列入年度工业技术改造计划"),
    "NOT_KEY_PROJECT": gettext_noop("项目未列为重点技术改造项目"),
    "NOT_IN_PRODUCTION": gettext_noop("项目尚未建成投产（第3.2条在项目建成投产后给予支持）"),
    "ESTIMATE": gettext_noop("尚无验收核定数，按计划投资额测算，验收后以核定数为准"),
    "AMOUNT_COMPUTED": gettext_noop("按计算基数和比例计算金额"),
    "CAPPED": gettext_noop("计算额超过单个项目上限，按上限核定"),
    "AT_CAP": gettext_noop("金额恰为单个项目上限"),
    "PERIOD_TOO_LONG": gettext_noop("改造期超过上限"),
    "BELOW_THRESHOLD": gettext_noop("投资低于起点"),
    "CONDITIONS_MET": gettext_noop("符合本条全部条件"),
    "NOT_MANUFACTURING": gettext_noop("不属于加工制造业"),
    "INTEREST_CAPPED": gettext_noop("以贷款贴息方式支持，以支持期内实际支付的利息为限"),
    "INTEREST_COVERS": gettext_noop(
        "以贷款贴息方式支持，实际支付的利息不低于按比例计算的金额，按比例金额支持"
    ),
    "STACKING_HIGHER_ONLY": gettext_noop("同一项目同时符合第3.1.1条和第3.2条，只享受较高一项"),
    "RANK_NOT_AWARDED": gettext_noop("名次不在奖励范围内"),
    "INDUSTRY_NOT_LISTED": gettext_noop("行业不在原文列明的行业之内（原文以“等”结尾），转人工审核"),
    "SUPERSEDED_BY_HIGHER_AWARD": gettext_noop("同一单项技术同一年度只享受较高奖励"),
    "OTHER_AWARD_SAME_TECHNOLOGY": gettext_noop("同一单项技术同一年度另有申报，人工审核后只享受较高一项奖励"),
}
BASIS = {
    "planned": gettext_noop("计划投资额（测算）"),
    "verified": gettext_noop("验收核定数"),
    "plan_year": gettext_noop("列入计划年度"),
    "start_year": gettext_noop("开工年度"),
    "award_year": gettext_noop("获奖年度"),
}
#: The engine's Chinese words the page shows, in the catalogue (jigai.policy stays free of Django):
#: each clause's title, each verdict, each parameter's label. test_plain checks none is missing.
ENGINE_WORDS = (
    gettext_noop("技改设备投资补助"),
    gettext_noop("“隐形冠军”企业奖励"),
    gettext_noop("重点技改项目支持"),
    gettext_noop("技改用地：提高容积率不再增收土地价款"),
    gettext_noop("网上备案“零审批”"),
    gettext_noop("符合"),
    gettext_noop("不符合"),
    gettext_noop("需人工审核"),
    gettext_noop("补助比例"),
    gettext_noop("设备投资起点"),
    gettext_noop("单个项目上限（原则上）"),
    gettext_noop("改造期上限"),
    gettext_noop("全国前三名奖励"),
    gettext_noop("全省前三名奖励"),
    gettext_noop("列明行业"),
    gettext_noop("支持比例"),
    gettext_noop("固定资产投资起点"),
    gettext_noop("单个项目支持上限"),
    gettext_noop("加工制造业范围"),
    gettext_noop("工业用地提高容积率不再增收土地价款（第一句）"),
    gettext_noop("“零新增地”不再收取土地出让价款（第二句）"),
    gettext_noop("贷款贴息上限"),
    gettext_noop("网上备案零审批"),
    gettext_noop("叠加规则"),
    gettext_noop("州级分担比例"),
)


def wan(yuan) -> str:
    """An amount in 万元 with thousands separators: two decimals, more only where they carry a digit
    (300万元 → ``300.00``; 370,370.367元 → ``37.0370367``), so nothing is rounded away in a comparison."""
    d = Decimal(str(yuan)).scaleb(-4)
    places = 2
    while places < 8 and d != d.quantize(Decimal(1).scaleb(-places)):
        places += 1
    return format_wan(Decimal(str(yuan)), places=places, grouping=True)


def _wan_text(yuan) -> str:
    return gettext("%(amount)s万元") % {"amount": wan(yuan)}


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
        shown = gettext("未列入") if kind == "plan_year" else gettext("未填写")
    elif kind == "money":
        shown = _wan_text(value)
    elif kind == "rate":
        shown = f"{(Decimal(str(value)) * 100).normalize():f}%"
    elif kind in ("year", "plan_year"):
        shown = gettext("%(year)s年") % {"year": value}
    elif kind == "bool":
        shown = gettext("是") if value else gettext("否")
    elif kind == "level":
        shown = gettext(LEVELS[str(value)]) if str(value) in LEVELS else str(value)
    elif kind == "basis":
        shown = gettext(BASIS[str(value)]) if str(value) in BASIS else str(value)
    elif kind == "params":
        shown = gettext("、").join(gettext(PARAMETER_LABELS.get(str(v), str(v))) for v in value)
    elif kind == "date":
        y, m, d = str(value)[:10].split("-")
        shown = gettext("%(year)s年%(month)s月%(day)s日") % {"year": int(y), "month": int(m), "day": int(d)}
    else:
        shown = str(value)
    return gettext("%(label)s：%(value)s") % {"label": gettext(label), "value": shown}


def plain_decision(d: dict) -> dict:
    clause = d["clause"]
    return {
        "clause": clause,
        "numbering": CLAUSE_NUMBERING.get(clause, ""),
        "title": gettext(CLAUSE_TITLES[clause]) if clause in CLAUSE_TITLES else "",
        "original_text": d.get("original_text") or "",
        "decision": d["decision"],
        "verdict": gettext(OUTCOME_ZH[d["decision"]]) if d["decision"] in OUTCOME_ZH else d["decision"],
        "amount_wan": wan(d.get("amount_yuan") or "0"),
        "amount_yuan": format_decimal(d.get("amount_yuan") or "0", places=2, grouping=True),
        "capped": d.get("capped"),
        "estimate": d.get("estimate"),
        "reasons": [
            {
                **_reason_message(r),
                "values": [t for k, v in r.get("values", {}).items() if (t := value_text(k, v))],
            }
            for r in d.get("reasons", [])
        ],
        "parameters": [_parameter(p) for p in d.get("parameters", [])],
        "explanation": in_wan(d.get("explanation") or ""),
    }


def _reason_message(r: dict) -> dict:
    """The engine's sentence on a Chinese page; its reason in a word on another (``lang`` empty), or the
    engine's sentence marked ``lang="zh-Hans"`` for a code without one."""
    if (get_language() or "zh-hans").startswith("zh") or r.get("code") not in REASON_WORDS:
        lang = "" if (get_language() or "zh-hans").startswith("zh") else "zh-Hans"
        return {"message": in_wan(r["message"]), "lang": lang}
    return {"message": gettext(REASON_WORDS[r["code"]]), "lang": ""}


def _parameter(p: dict) -> str:
    name, value = p["name"], p["value"]
    stacking = {
        "both": gettext_noop("3.1.1与3.2可同时享受"),
        "higher_only": gettext_noop("3.1.1与3.2只享受较高一项"),
    }
    interest_cap = {
        "actual_interest": gettext_noop("不超过支持期内实际支付的利息"),
        "one_percent": gettext_noop("按投资额的1%"),
    }
    if name == "stacking":
        shown = gettext(stacking[str(value)]) if str(value) in stacking else str(value)
    elif name == "3.2.interest_mode_cap":
        shown = gettext(interest_cap[str(value)]) if str(value) in interest_cap else str(value)
    elif name.endswith("months"):
        shown = gettext("%(n)s个月") % {"n": value}
    elif name.endswith("divisions") and isinstance(value, list) and len(value) == 2:
        shown = gettext("行业大类%(first)s—%(last)s") % {"first": value[0], "last": value[1]}
    elif name.endswith("_yuan") and not isinstance(value, (list, dict)):
        shown = _wan_text(value) if _is_number(value) else str(value)
    elif name.endswith("rate") or name.endswith("share"):
        shown = f"{(Decimal(str(value)) * 100).normalize():f}%"
    elif isinstance(value, bool):
        shown = gettext("是") if value else gettext("否")
    elif isinstance(value, list):
        shown = gettext("、").join(str(v) for v in value)
    elif isinstance(value, dict):
        shown = gettext("、").join(
            gettext("第%(rank)s名%(amount)s") % {"rank": k, "amount": _wan_text(v)} for k, v in value.items()
        )
    else:
        shown = str(value)
    label = gettext(PARAMETER_LABELS[name]) if name in PARAMETER_LABELS else name
    start, end = p["start"][:4], (p.get("end") or "")[:4]
    span = (
        gettext("%(start)s年起至%(end)s年") % {"start": start, "end": end}
        if end
        else gettext("%(start)s年起") % {"start": start}
    )
    return gettext("%(label)s %(value)s（%(span)s）") % {"label": label, "value": shown, "span": span}


def _is_number(value) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True
