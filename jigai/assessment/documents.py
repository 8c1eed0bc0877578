"""The assessment's official documents (docs/documents.md, GB/T 9704-2012): the interview notice (约谈通知) and
the quarterly joint meeting pack (4.1 联席会议材料). Built from plain data; nothing here reads the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from jigai.core.dates import local_date
from jigai.documents import DocumentNumber, OfficialDocument, format_date_cn, format_wan, months_to

from .interviews import PRINCIPAL
from .periods import Period
from .ranking import BASES, FLAGS, pct_text
from .targets import year_share

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
SIGNATURE = "恩施州传统产业改造升级工作领导小组办公室"
PRINTER = "恩施州经济和信息化委员会办公室"
NOTICE_CC = "州人民政府办公室，州传统产业改造升级工作领导小组各成员单位"
PACK_ADDRESSEES = "州传统产业改造升级工作领导小组各成员单位"
CLAUSE_43 = (
    "实行月通报、季排名。对每季度技改投入增幅排名后两位的，由州政府约谈县市政府分管领导；"
    "对每半年度技改投入增幅排名后两位的，由州政府约谈县市政府主要领导"
)
_CN = "一二三四五六七八九十"


def government_of(region_code: str, region_name: str) -> str:
    """The body addressed: a county's people's government, or the high-tech zone's management committee."""
    return "州高新区管委会" if region_code == "GXQ" else f"{region_name}人民政府"


def _pct(text: str | None) -> str:
    return "—" if text is None else f"{text}%"


def _wan(yuan: str | Decimal | None) -> Decimal | None:
    return None if yuan is None else Decimal(yuan)


# --- interview notice --------------------------------------------------------------------------------


def notice_title(case) -> str:
    who = "主要领导" if case.level == PRINCIPAL else "分管领导"
    return f"关于约谈{government_of(case.region.code, case.region.name)}{who}的通知"


def interview_notice(case, *, follow_up_days: int = 30) -> OfficialDocument:
    """约谈通知 for an interview case. Before the notice is issued (no number yet) it is a draft."""
    region = case.region
    gov = government_of(region.code, region.name)
    number = None
    if case.notice_serial and case.notice_year:
        number = DocumentNumber(case.notice_number.split("〔")[0], case.notice_year, case.notice_serial)
    title = notice_title(case)
    doc = OfficialDocument(
        issuer=ISSUER, number=number, title=title if number else f"{title}（草稿）", addressees=gov
    )
    principal = _leader(gov, case.principal_title, case.principal_name) or "主要领导"
    deputy = _leader(gov, case.deputy_title, case.deputy_name) or "分管领导"
    if case.level == PRINCIPAL:
        whom = f"{principal}同志" + (f"，{deputy}同志参加" if case.deputy_attends else "")
    else:
        whom = f"{deputy}同志"
    doc.paragraph(
        f"根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》“{CLAUSE_43}”的规定，经州人民政府同意，"
        f"决定约谈{gov}{whom}。现将有关事项通知如下："
    )
    doc.heading1("一、约谈事由")
    rows = []
    for code in case.period_list:
        row = case.figures.get(code) or {}
        period = Period.parse(code)
        basis_label = "累计同比" if case.ranking.basis == "cumulative" else "当期同比"
        flags = "、".join(FLAGS.get(f, f) for f in row.get("flags", []))
        if row.get("growth_pct") is not None:
            what = f"技改投入增幅为{row['growth_pct']}%（{basis_label}）"
        else:
            what = f"技改投入增幅无法计算（{flags}）"
        doc.paragraph(
            f"{period.label}，{_you(region)}{what}，在全州"
            f"{_units_word()}中排名第{row.get('rank')}位，列后两位。"
        )
        rows.append(
            [
                period.label,
                _wan(row.get("current_yuan")),
                _wan(row.get("base_yuan")),
                _pct(row.get("growth_pct")),
                row.get("rank"),
            ]
        )
    doc.table(
        caption=f"表1 {region.name}技改投入增幅排名情况", unit="单位：万元",
        headers=["考核期间", "技改投资", "上年同期", "增幅", "排名"], rows=rows,
        kinds=["text", "money_wan", "money_wan", "text", "int"],
    )  # fmt: skip
    if case.level == PRINCIPAL and case.deputy_attends:
        doc.paragraph(
            "因同一期末季度、半年度排名均列后两位，按规定合并进行一次约谈，由主要领导接受约谈，分管领导参加。"
        )
    doc.heading1("二、约谈时间和地点")
    doc.paragraph(case.scheduled_text or "约谈具体时间和地点另行通知。")
    doc.heading1("三、有关要求")
    doc.paragraph("（一）被约谈领导须准时参加，不得委托他人代替。")
    doc.paragraph(
        "（二）请提前准备书面汇报材料，深入分析技改投入增幅排名靠后的原因，提出整改措施、责任人和完成时限。"
    )
    doc.paragraph(f"（三）约谈后{follow_up_days}日内，将整改落实情况书面报送领导小组办公室（州经信委）。")
    doc.signature(organ=SIGNATURE, date=case.notice_date or local_date(case.created_at))
    doc.record(cc=NOTICE_CC, printer=PRINTER, print_date=case.notice_date or local_date(case.created_at))
    return doc


def _leader(gov: str, title: str, name: str) -> str:
    """县长×××: the title without the government's name, which the sentence already gives once
    (a title entered as 来凤县人民政府县长 would otherwise read 来凤县人民政府来凤县人民政府县长)."""
    title = (title or "").strip()
    for prefix in (gov, gov.removesuffix("人民政府")):
        if prefix and title.startswith(prefix) and len(title) > len(prefix):
            title = title.removeprefix(prefix)
            break
    return f"{title}{(name or '').strip()}"


def _you(region) -> str:
    """How a notice addresses the unit: 你县, 你市 or 你区 (the high-tech zone)."""
    if region.code == "GXQ":
        return "你区"
    return "你市" if region.name.endswith("市") else "你县"


def _units_word() -> str:
    return "九个县市（园区）"


# --- meeting pack ------------------------------------------------------------------------------------


@dataclass
class PackData:
    """Everything the quarterly joint meeting pack shows, computed by `selectors.meeting_pack_data`."""

    period: Period
    as_of: dt.date
    month: int | None  # the statistics month reported on (the quarter's end, or the latest before it)
    investment: list[dict]  # per unit + 全州: tech/industrial ytd, base, growth
    prefecture: dict
    targets: list  # TargetLine
    rankings: list[dict]  # {"period": Period, "basis": str, "published": bool, "rows": [row dicts]}
    interviews_held: list[dict]
    interviews_due: list[dict]
    problems: list[str] = field(default_factory=list)


def meeting_pack(data: PackData, *, date: dt.date, number: DocumentNumber | None = None) -> OfficialDocument:
    period = data.period
    doc = OfficialDocument(
        issuer=ISSUER,
        number=number,
        title=f"恩施州传统产业改造升级工作领导小组{period.year}年第{_CN[period.index - 1]}季度联席会议材料",
        addressees=PACK_ADDRESSEES,
    )
    doc.paragraph(
        f"根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》“领导小组…每季度召开联席会议，通报全州技改"
        f"投入完成情况”的要求，现将{period.label}全州传统产业技术改造推进情况报告如下。"
    )

    doc.heading1("一、全州技改投入完成情况")
    p = data.prefecture
    if data.month is None:
        doc.paragraph("本季度尚无统计数据。")
    else:
        doc.paragraph(
            f"{months_to(data.month)}，全州完成技改投资{_fmt_wan(p.get('tech_now'))}万元，同比增长{_pct(p.get('tech_growth'))}；"
            f"完成工业投资{_fmt_wan(p.get('ind_now'))}万元，同比增长{_pct(p.get('ind_growth'))}。"
            + (f"{p['missing']}未报送统计数据，全州合计不含其数据。" if p.get("missing") else "")
        )
        doc.table(
            caption=f"表1 {period.year}年{months_to(data.month)}各县市（园区）技改投资完成情况", unit="单位：万元",
            headers=["单位", "技改投资", "上年同期", "增幅", "工业投资", "增幅"],
            rows=[[r["name"], r["tech_now"], r["tech_base"], _pct(r["tech_growth"]), r["ind_now"],
                   _pct(r["ind_growth"])] for r in data.investment],
            kinds=["text", "money_wan", "money_wan", "text", "money_wan", "text"], total_row=True,
        )  # fmt: skip

    doc.heading1("二、目标任务完成情况")
    doc.paragraph(
        f"截至{format_date_cn(data.as_of)}，{period.year}年已过{_year_share(data.as_of, period.year)}。"
    )
    doc.table(
        caption=f"表2 {period.year}年目标任务完成情况",
        headers=["条款", "指标", "范围", "完成", "目标", "序时进度", "状态"],
        rows=[[t.clause, t.label, t.scope, t.actual, t.target, t.expected or "—", t.status_label] for t in data.targets],
    )  # fmt: skip

    doc.heading1(f"三、{period.short_label}技改投入增幅排名")
    for index, ranking in enumerate(data.rankings, start=3):
        rp = ranking["period"]
        state = "已发布" if ranking["published"] else "未发布，供会议研究"
        doc.heading2(f"（{_CN[index - 3]}）{rp.label}（{BASES[ranking['basis']]}，{state}）")
        doc.table(
            caption=f"表{index} {rp.label}技改投入增幅排名", unit="单位：万元",
            headers=["名次", "单位", "技改投资", "上年同期", "增幅", "说明"],
            rows=[[r["rank"], r["name"], _wan(r["current_yuan"]), _wan(r["base_yuan"]), _pct(r["growth_pct"]),
                   _row_note(r)] for r in ranking["rows"]],
            kinds=["int", "text", "money_wan", "money_wan", "text", "text"],
        )  # fmt: skip
    table_no = 3 + len(data.rankings)

    doc.heading1("四、约谈情况")
    if data.interviews_held:
        doc.table(
            caption=f"表{table_no} 已约谈情况",
            headers=["单位", "层级", "约谈日期", "整改报告期限", "整改情况"],
            rows=[[c["unit"], c["level"], c["held_date"], c["deadline"], c["follow_up"]] for c in data.interviews_held],
            kinds=["text", "text", "date", "date", "text"],
        )  # fmt: skip
        table_no += 1
    else:
        doc.paragraph("本期无已约谈事项。")
    if data.interviews_due:
        doc.table(
            caption=f"表{table_no} 待约谈情况",
            headers=["单位", "层级", "依据", "状态"],
            rows=[[c["unit"], c["level"], c["periods"], c["status"]] for c in data.interviews_due],
        )  # fmt: skip
    else:
        doc.paragraph("无待约谈事项。")

    doc.heading1("五、需要研究决定的问题")
    if data.problems:
        for number, text in enumerate(data.problems, start=1):
            doc.paragraph(f"{number}. {text}")
    else:
        doc.paragraph("无。")
    doc.signature(organ=SIGNATURE, date=date)
    doc.record(cc="州人民政府办公室", printer=PRINTER, print_date=date)
    return doc


def _row_note(row: dict) -> str:
    notes = [FLAGS.get(f, f) for f in row.get("flags", [])]
    if row.get("bottom"):
        notes.insert(0, "后两位")
    return "、".join(notes)


def _fmt_wan(yuan) -> str:
    return format_wan(yuan) if yuan is not None else "—"


def _year_share(as_of: dt.date, year: int) -> str:
    return f"{pct_text(year_share(year, as_of), 1)}%"
