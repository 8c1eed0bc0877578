"""Decisions, reasons and their Chinese explanation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .money import ZERO, format_yuan, format_yuan_zh, yuan_to_fen
from .params import ParameterUsed, default_parameters

ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
REVIEW = "review"
OUTCOMES = (INELIGIBLE, ELIGIBLE, REVIEW)  # index = the code used by the batch path
OUTCOME_ZH = {ELIGIBLE: "符合", INELIGIBLE: "不符合", REVIEW: "需人工审核"}

CLAUSE_TITLES = {
    "3.1.1": "技改设备投资补助",
    "3.1.2": "“隐形冠军”企业奖励",
    "3.2": "重点技改项目支持",
    "3.3": "技改用地：提高容积率不再增收土地价款",
    "3.5": "网上备案“零审批”",
}

#: Each clause id beside the programme text's own numbering (docs/programme.md, "Clause map"): every
#: memo and reason names both (issue 13, point 4).
CLAUSE_NUMBERING = {
    "3.1": "三（一）“从2018年起”",
    "3.1.1": "三（一）“一是”",
    "3.1.2": "三（一）“二是”",
    "3.2": "三（二）",
    "3.3": "三（三）",
    "3.5": "三（五）",
}

#: How 3.2 support is paid (三（二）: 通过贷款贴息、项目奖补等方式); chosen at payment, not by the rule
#: (docs/programme.md, reading 15).
PAYMENT_MODE_32 = "贷款贴息或项目奖补（原文“通过贷款贴息、项目奖补等方式”，拨付时确定；按贷款贴息拨付的，不超过企业实际支付的利息）"


def clause_label(clause: str) -> str:
    """``第3.1.1条〔三（一）“一是”〕``: our id and the text's own numbering."""
    numbering = CLAUSE_NUMBERING.get(clause)
    return f"第{clause}条" + (f"〔{numbering}〕" if numbering else "")


#: Stable reason codes. The position is the bit used by the batch path: never reorder, only append.
REASON_CODES: tuple[str, ...] = (
    "CONDITIONS_MET",
    "AMOUNT_COMPUTED",
    "ESTIMATE",
    "CAPPED",
    "AT_CAP",
    "NOT_REGISTERED",
    "NOT_CONFORMING",
    "NOT_IN_PLAN",
    "NO_RULE_IN_FORCE",
    "PERIOD_TOO_LONG",
    "BELOW_THRESHOLD",
    "NOT_MANUFACTURING",
    "NOT_KEY_PROJECT",
    "NOT_IN_PRODUCTION",
    "STACKING_HIGHER_ONLY",
    "RANK_NOT_AWARDED",
    "INDUSTRY_NOT_LISTED",
    "SUPERSEDED_BY_HIGHER_AWARD",
    "NOT_INDUSTRIAL_LAND",
    "NOT_EXISTING_LAND",
    "CHANGE_OF_USE",
    "NOT_CONFORMING_PLAN",
    "OUTSIDE_ORIGINAL_SITE",
    "NO_PLOT_RATIO_INCREASE",
    "ZERO_NEW_LAND_RENEWAL",
    "ADVANCED_PROCESS_EXPANSION",
    "NEW_LAND_REQUIRED",
    "NOT_ADVANCED_PROCESS",
    "PROJECT_TYPE_NOT_COVERED",
    "NEW_LAND_NEEDS_APPROVAL",
    "ORDINARY_APPROVALS",
    "OTHER_AWARD_SAME_TECHNOLOGY",
    "APPROVAL_PENDING",
    "NOT_APPROVED",
    "ZERO_NEW_LAND_STOCK",
    "NOT_ZERO_NEW_LAND",
    "LAND_MEASURES_RECORDED",
    "STATUTORY_APPROVALS",
    "INTEREST_CAPPED",
    "INTEREST_COVERS",
)
BIT = {code: 1 << i for i, code in enumerate(REASON_CODES)}

#: Short Chinese labels of parameters, for explanations.
PARAMETER_LABELS = {
    "3.1.1.rate": "补助比例",
    "3.1.1.threshold_yuan": "设备投资起点",
    "3.1.1.cap_yuan": "单个项目上限（原则上）",
    "3.1.1.max_period_months": "改造期上限",
    "3.1.2.national_awards_yuan": "全国前三名奖励",
    "3.1.2.provincial_awards_yuan": "全省前三名奖励",
    "3.1.2.industries": "列明行业",
    "3.2.rate": "支持比例",
    "3.2.threshold_yuan": "固定资产投资起点",
    "3.2.cap_yuan": "单个项目支持上限",
    "3.2.manufacturing_divisions": "加工制造业范围",
    "3.3.industrial_land_no_extra_price": "工业用地提高容积率不再增收土地价款（第一句）",
    "3.3.no_extra_land_price": "“零新增地”不再收取土地出让价款（第二句）",
    "3.2.interest_mode_cap": "贷款贴息上限",
    "3.5.zero_approval_filing": "网上备案零审批",
    "stacking": "叠加规则",
    "cost_split.prefecture_share": "州级分担比例",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    code: str
    clause: str
    message: str
    values: dict[str, Any]

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "clause": self.clause,
            "clause_numbering": CLAUSE_NUMBERING.get(self.clause),
            "message": self.message,
            "values": dict(self.values),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """What a project (or award row, land case, filing) is entitled to under one clause, and why.

    Built with keyword arguments only (``Decision(clause=…, outcome=…, …)``): twelve fields, several of
    the same type, are too many to read or check by position.

    ``amount`` is yuan with 2 places, ``0.00`` unless eligible. ``year`` is the year whose parameters
    applied (plan year for 3.1.1, start year for 3.2, award year for 3.1.2: docs/programme.md, reading 13). ``prefecture_share`` and
    ``county_share`` split ``amount`` by ``cost_split.prefecture_share`` (docs/programme.md, reading 7).
    """

    clause: str
    subject: dict[str, Any]
    outcome: str
    amount: Decimal = ZERO
    capped: bool = False
    estimate: bool = False
    reasons: tuple[Reason, ...]
    parameters: tuple[ParameterUsed, ...]
    year: int | None = None
    prefecture_share: Decimal = ZERO
    county_share: Decimal = ZERO
    approvals: tuple[str, ...] | None = None
    land_measures: tuple[str, ...] | None = None

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def reason_bits(self) -> int:
        bits = 0
        for r in self.reasons:
            bits |= BIT[r.code]
        return bits

    @property
    def amount_fen(self) -> int:
        return yuan_to_fen(self.amount)

    @property
    def original_text(self) -> str:
        """The 原文 this decision applies: its own clause's parameters' reference text (the shipped
        parameters' when none was in force)."""
        for p in self.parameters:
            if p.clause == self.clause and p.text:
                return p.text
        return default_parameters().clause_text(self.clause)  # texts do not change with overrides

    def _cost_split_note(self) -> str:
        """The split is the platform's default, the text sets no ratio (docs/programme.md, reading 7)."""
        for p in self.parameters:
            if p.name == "cost_split.prefecture_share":
                basis = "默认各半" if p.raw == Decimal("0.5") else f"平台设定州级{p.display}"
                source = (
                    f"原文{CLAUSE_NUMBERING['3.2']}：州、县市财政通过贷款贴息、项目奖补等方式给予支持"
                    if self.clause == "3.2"
                    else f"原文{CLAUSE_NUMBERING['3.1']}：州、县市财政部门筹措传统产业技术改造资金"
                )
                return f"（州、县市分担比例原文未规定，按{basis}；{source}）"
        return ""

    def to_dict(self, *, explanation: bool = True) -> dict:
        out: dict[str, Any] = dict(self.subject)
        out.update(
            clause=self.clause,
            clause_numbering=CLAUSE_NUMBERING.get(self.clause),
            original_text=self.original_text,
            decision=self.outcome,
            amount_yuan=format_yuan(self.amount),
            capped=self.capped,
            estimate=self.estimate,
            year=self.year,
            prefecture_share_yuan=format_yuan(self.prefecture_share),
            county_share_yuan=format_yuan(self.county_share),
            reasons=[r.to_dict() for r in self.reasons],
            parameters=[p.to_dict() for p in self.parameters],
        )
        if self.approvals is not None:
            out["approvals"] = list(self.approvals)
        if self.land_measures is not None:
            out["land_measures"] = list(self.land_measures)
        if explanation:
            out["explanation"] = self.explain()
        return out

    def subject_label(self) -> str:
        s = self.subject
        if "project_id" in s:
            return f"项目 {s['project_id']}"
        if "enterprise_id" in s:
            level = {"national": "全国", "provincial": "全省"}.get(s.get("level"), s.get("level"))
            return f"企业 {s['enterprise_id']}「{s.get('technology')}」{s.get('year')}年{level}第{s.get('rank')}名"
        if "case_id" in s:
            return f"事项 {s['case_id']}"
        return "、".join(f"{k}={v}" for k, v in s.items())

    def explain(self) -> str:
        """A short Chinese explanation for a memo: conclusion, reasons, parameters with their periods."""
        title = CLAUSE_TITLES.get(self.clause, "")
        head = f"{clause_label(self.clause)}（{title}）｜{self.subject_label()}"
        verdict = OUTCOME_ZH[self.outcome]
        if self.clause in ("3.1.1", "3.1.2", "3.2"):
            concl = f"结论：{verdict}，金额 {format_yuan_zh(self.amount)} 元"
            notes = []
            if self.estimate and self.outcome == ELIGIBLE:
                notes.append("按计划数测算，以验收核定数为准")
            if self.capped:
                notes.append("已按上限核定")
            if notes:
                concl += "（" + "；".join(notes) + "）"
            if self.outcome == ELIGIBLE and self.amount > 0:
                concl += (
                    f"，其中州级 {format_yuan_zh(self.prefecture_share)} 元、"
                    f"县市 {format_yuan_zh(self.county_share)} 元"
                ) + self._cost_split_note()
            concl += "。"
            if self.clause == "3.2" and self.outcome == ELIGIBLE:
                concl += f"\n支持方式：{PAYMENT_MODE_32}。"
        elif self.clause == "3.5":
            remaining = "、".join(self.approvals or ())
            if self.outcome == ELIGIBLE:
                concl = "结论：项目实行网上备案“零审批”；" + (
                    f"仍须依法办理法定审批：{remaining}。" if remaining else "无需另办法定审批。"
                )
            elif self.outcome == REVIEW:
                concl = f"结论：需人工审核；仍需办理：{remaining}。"
            else:
                concl = f"结论：按常规程序审批，需办理：{remaining}。"
        elif self.clause == "3.3":
            codes = self.reason_codes
            if self.outcome == ELIGIBLE:
                concl = "结论：符合，不再增收土地价款" + (
                    "；属“零新增地”技术改造，不再收取土地出让价款。"
                    if "ZERO_NEW_LAND_STOCK" in codes
                    else "。"
                )
            elif self.outcome == REVIEW and "APPROVAL_PENDING" in codes:
                pending = next(r for r in self.reasons if r.code == "APPROVAL_PENDING").values["pending"]
                concl = (
                    "结论：需人工审核（尚待批准）——其余条件均符合，提高容积率获批后不再增收土地价款；"
                    f"待办：{'、'.join(pending)}。"
                )
            else:
                concl = f"结论：{verdict}。"

        else:
            concl = f"结论：{verdict}。"
        lines = [head]
        if self.original_text:
            lines.append(f"原文：{self.original_text}")
        lines.append(concl)
        if self.reasons:
            lines.append("理由：")
            lines.extend(f"{i}. {r.message}" for i, r in enumerate(self.reasons, 1))
        if self.parameters:
            params = "；".join(
                f"{PARAMETER_LABELS.get(p.name, p.name)} {p.display}"
                f"（{p.start.isoformat()}至{p.end.isoformat() if p.end else '今'}）"
                for p in self.parameters
            )
            lines.append(f"依据参数：{params}。")
        return "\n".join(lines)
