"""The bulletin as a GB/T 9704-2012 Word document and as .xlsx tables, from its snapshot alone.

A published bulletin is rendered from the figures frozen at publication, never from live data, so the
page, the .docx and the .xlsx agree with each other and stay the same for ever.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jigai.core import programme
from jigai.documents import DocumentNumber, OfficialDocument, format_pct, format_wan
from jigai.documents.spreadsheets import Sheet, write_xlsx

from . import conf
from .checks import FLAG_LABELS
from .models import ProgressState

STATE_LABELS = dict(ProgressState.choices)


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def pct_points(value: Decimal) -> str:
    return f"{abs(value * 100).quantize(Decimal('0.01'))}"


def _period(snapshot) -> str:
    m = snapshot["period"]["month"]
    return "1月" if m == 1 else f"1—{m}月"


def freeze_summary(snapshot: dict) -> list[dict]:
    """What publishing would freeze, in the office's words, for the confirmation step: how many projects
    have not reported, which units have no statistics, and the data checks raised (4.3)."""
    p, units = snapshot["prefecture"], snapshot["units"]
    due, unreported = p["due"], p["missing"] + p["pending"]
    out = []
    if due and unreported == due:
        out.append(
            {
                "level": "danger",
                "text": f"应报月调度的{due}个项目全部未报送（{unreported}/{due}），发布后将按未报送冻结。",
            }
        )
    elif unreported:
        out.append(
            {
                "level": "warning",
                "text": f"应报月调度的{due}个项目中有{unreported}个尚未报送，发布后将按未报送冻结。",
            }
        )
    else:
        out.append(
            {
                "level": "ok",
                "text": f"应报月调度的{due}个项目均已报送（按时{p['on_time']}个，逾期{p['late']}个）。",
            }
        )
    missing = [u["name"] for u in units if u.get("tech_ytd") is None]
    if len(missing) == len(units):
        out.append(
            {"level": "danger", "text": "各县市均无本月统计数据：技改投资、工业投资、增幅和排名将全部空缺。"}
        )
    elif missing:
        out.append(
            {
                "level": "warning",
                "text": f"{'、'.join(missing)}尚无本月统计数据，全州合计不含其数据，排名列为未报送。",
            }
        )
    else:
        out.append({"level": "ok", "text": f"{len(units)}个单位均已报送本月统计数据。"})
    flags = len(snapshot.get("flags") or [])
    if flags:
        out.append(
            {"level": "warning", "text": f"有{flags}条数据核查提示（见通报“数据核查提示”），发布前请核实。"}
        )
    return out


def summary_paragraphs(snapshot: dict) -> list[str]:
    """The body's opening figures in words (shared by the page and the document)."""
    p = snapshot["prefecture"]
    period = _period(snapshot)
    out = []
    tech, ind = dec(p["tech_ytd"]), dec(p["industrial_ytd"])
    if tech is None:
        out.append(f"{period}，各县市统计数据尚未报送，全州技改投资暂无法汇总。")
    else:
        text = f"{period}，全州完成技改投资{format_wan(tech)}万元"
        g = dec(p["tech_growth"])
        if g is not None:
            target = dec(p["tech_target"])
            side = "高于" if g >= target else "低于"
            text += f"，同比增长{format_pct(g)}，{side}年度增长{format_pct(target, places=0)}的目标{pct_points(g - target)}个百分点"
        text += "；"
        if ind is not None:
            text += f"完成工业投资{format_wan(ind)}万元"
            gi = dec(p["industrial_growth"])
            if gi is not None:
                target = dec(p["industrial_target"])
                side = "高于" if gi >= target else "低于"
                text += f"，同比增长{format_pct(gi)}，{side}年度增长{format_pct(target, places=0)}的目标{pct_points(gi - target)}个百分点"
        out.append(text.rstrip("；") + "。")
    out.append(
        f"全州今年已实施技改项目{p['implemented']}个，年度目标{p['projects_target']}个"
        f"（各县市任务合计{p['quota']}个）；其中本月新开工{p['new_starts_month']}个、累计新开工{p['new_starts_ytd']}个，"
        f"本月竣工投产{p['completions_month']}个、累计竣工投产{p['completions_ytd']}个。"
    )
    out.append(
        f"本月应报送月调度的在建项目{p['due']}个，按时报送{p['on_time']}个，逾期报送{p['late']}个，"
        f"未报送{p['missing']}个；滞后于序时进度{p['behind']}个，停工停滞{p['stalled']}个，"
        f"提出需协调解决问题{p['problems']}个。"
    )
    return out


UNIT_INVESTMENT_HEADERS = [
    "单位",
    "技改投资累计",
    "同比增长",
    "排名",
    "项目库月调度累计",
    "工业投资累计",
    "同比增长",
]
UNIT_INVESTMENT_KINDS = ["text", "money_wan", "percent", "text", "money_wan", "money_wan", "percent"]
UNIT_PROJECT_HEADERS = ["单位", "年度任务", "实施项目", "本月新开工", "累计新开工", "本月竣工", "累计竣工",
                        "应报", "按时", "逾期", "未报"]  # fmt: skip
UNIT_PROJECT_KINDS = ["text"] + ["int"] * 10


def unit_investment_rows(snapshot: dict) -> list[list]:
    rows = [
        [u["name"], dec(u["tech_ytd"]), dec(u["tech_growth"]), str(u["tech_rank"]) if u["tech_ytd"] else "—",
         dec(u["library_ytd"]), dec(u["industrial_ytd"]), dec(u["industrial_growth"])]
        for u in snapshot["units"]
    ]  # fmt: skip
    p = snapshot["prefecture"]
    rows.append(["全州", dec(p["tech_ytd"]), dec(p["tech_growth"]), "", dec(p["library_ytd"]),
                 dec(p["industrial_ytd"]), dec(p["industrial_growth"])])  # fmt: skip
    return rows


def unit_project_rows(snapshot: dict) -> list[list]:
    keys = ("quota", "implemented", "new_starts_month", "new_starts_ytd", "completions_month", "completions_ytd",
            "due", "on_time", "late", "missing")  # fmt: skip
    rows = [[u["name"], *(u[k] for k in keys)] for u in snapshot["units"]]
    p = snapshot["prefecture"]
    rows.append(["全州", *(p[k] for k in keys)])
    return rows


BEHIND_HEADERS = ["单位", "项目名称", "计划总投资", "开工累计完成", "投资完成率", "序时进度", "形象进度"]
BEHIND_KINDS = ["text", "text", "money_wan", "money_wan", "percent", "percent", "text"]


def behind_rows(snapshot: dict) -> list[list]:
    return [
        [r["unit"], r["name"], dec(r["total"]), dec(r["cumulative"]), dec(r["invest_share"]), dec(r["time_share"]),
         f"{r['progress_pct']}%" + (f"（{r['progress_text']}）" if r["progress_text"] else "")]
        for r in snapshot["behind"]
    ]  # fmt: skip


def reporting_rows(snapshot: dict) -> list[list]:
    rows = [
        [r["unit"], r["name"], r["enterprise"], "逾期报送", r["submitted_at"][:10]] for r in snapshot["late"]
    ]
    rows += [[r["unit"], r["name"], r["enterprise"], "未报送", ""] for r in snapshot["missing"]]
    return rows


def problem_rows(snapshot: dict) -> list[list]:
    return [[r["unit"], r["name"], r["problems"], r["department_asked"] or "—"] for r in snapshot["problems"]]


def stalled_rows(snapshot: dict) -> list[list]:
    return [
        [r["unit"], r["name"], r["progress_text"] or "—", r["problems"] or "—"] for r in snapshot["stalled"]
    ]


def flag_rows(snapshot: dict) -> list[list]:
    return [[r["unit"], r["name"] or "（全县市）", r.get("label") or FLAG_LABELS.get(r["code"], r["code"]),
             r["message"]] for r in snapshot["flags"]]  # fmt: skip


# A printed bulletin lists at most this many projects a table; the .xlsx has them all.
DOCX_LIST_LIMIT = 50


def _limited(doc: OfficialDocument, rows: list) -> list:
    if len(rows) <= DOCX_LIST_LIMIT:
        return rows
    doc.paragraph(f"共{len(rows)}个，下表列出前{DOCX_LIST_LIMIT}个，完整名单见同期Excel附表。")
    return rows[:DOCX_LIST_LIMIT]


def docx_bytes(snapshot: dict) -> bytes:
    document = snapshot.get("document")
    period = snapshot["period"]
    if document:
        number = DocumentNumber.parse(document["number"])
        title = document["title"]
        issue_date = dt.date.fromisoformat(document["issue_date"])
    else:
        number = None
        title = f"关于{period['year']}年{period['month']}月全州技改项目推进情况的通报（草稿）"
        issue_date = dt.date.fromisoformat(snapshot["as_of"][:10])
    doc = OfficialDocument(
        issuer=conf.get("JIGAI_BULLETIN_ISSUER"), number=number, title=title,
        addressees=conf.get("JIGAI_BULLETIN_ADDRESSEES"),
    )  # fmt: skip
    if document and document.get("edition", 1) > 1:
        doc.paragraph(
            f"本通报为{document['supersedes']}的更正版，原通报同时废止。更正原因：{document['correction_reason']}"
        )
    doc.paragraph(f"现将{period['year']}年{period['month']}月全州技改项目推进情况通报如下：")
    doc.heading1("一、总体情况")
    for text in summary_paragraphs(snapshot):
        doc.paragraph(text)
    doc.heading1("二、各县市推进情况")
    doc.paragraph("各县市技改投资、工业投资为统计部门1月至本月累计数，增幅为同比增长，排名按技改投资增幅。")
    doc.table(caption=f"表1　{period['label']}各县市技改投资完成情况", unit="单位：万元",
              headers=UNIT_INVESTMENT_HEADERS, kinds=UNIT_INVESTMENT_KINDS, rows=unit_investment_rows(snapshot),
              total_row=True, widths=[1.2, 1.5, 1.1, 0.7, 1.5, 1.5, 1.1])  # fmt: skip
    doc.table(caption=f"表2　{period['label']}各县市技改项目实施情况", unit="单位：个",
              headers=UNIT_PROJECT_HEADERS, kinds=UNIT_PROJECT_KINDS, rows=unit_project_rows(snapshot),
              total_row=True, widths=[1.4] + [1] * 10, font_size=10.5)  # fmt: skip
    doc.heading1("三、需要关注的项目")
    sections = [
        ("（一）滞后于序时进度的项目", "表3", BEHIND_HEADERS, BEHIND_KINDS, behind_rows(snapshot), "单位：万元",
         [1, 2.6, 1.2, 1.2, 1, 1, 1.6]),
        ("（二）停工停滞项目", "表4", ["单位", "项目名称", "形象进度", "存在问题"], None, stalled_rows(snapshot), None,
         [1, 2.4, 2, 2.6]),
        ("（三）未按时报送的项目", "表5", ["单位", "项目名称", "企业", "情况", "报送日期"], None,
         reporting_rows(snapshot), None, [1, 2.4, 2.2, 1, 1.2]),
        ("（四）需协调解决的问题", "表6", ["单位", "项目名称", "需协调解决的问题", "请求协调部门"], None,
         problem_rows(snapshot), None, [1, 2.2, 3, 1.6]),
    ]  # fmt: skip
    for heading, label, headers, kinds, rows, unit, widths in sections:
        doc.heading2(heading)
        if rows:
            rows = _limited(doc, rows)
            doc.table(caption=f"{label}　{heading[3:]}", unit=unit, headers=headers, kinds=kinds, rows=rows,
                      widths=widths)  # fmt: skip
        else:
            doc.paragraph("无。")
    doc.heading1("四、数据核查提示")
    rows = flag_rows(snapshot)
    if rows:
        doc.paragraph("以下数据经系统核查存在疑点，请有关县市核实，如有误请于下月报送时更正并说明原因。")
        rows = _limited(doc, rows)
        doc.table(caption="表7　数据核查提示", headers=["单位", "项目", "提示", "说明"], rows=rows,
                  widths=[1, 2.2, 1.4, 3.6])  # fmt: skip
    else:
        doc.paragraph("本月报送数据未发现疑点。")
    doc.heading1("五、工作要求")
    day = snapshot["settings"].get("JIGAI_REPORT_DEADLINE_DAY") or programme.deadline_day(period["year"])
    doc.paragraph(
        "各县市人民政府、州高新区管委会要对照年度目标任务，加快在建项目建设进度，狠抓新开工项目落地；"
        "对滞后于序时进度和停工停滞的项目，要逐一分析原因，落实挂点领导和责任单位，限期整改；"
        "对需协调解决的问题，请有关部门及时研究办理。"
    )
    doc.paragraph(f"请各县市于每月{day}日前报送上月项目月调度数据和统计数据，确保数据真实、准确、及时。")
    doc.signature(organ=conf.get("JIGAI_BULLETIN_SIGNATURE"), date=issue_date)
    doc.record(printer=conf.get("JIGAI_BULLETIN_PRINTER"), print_date=issue_date,
               distribution=tuple(conf.get("JIGAI_BULLETIN_DISTRIBUTION")))  # fmt: skip
    return doc.to_bytes()


def xlsx_bytes(snapshot: dict) -> bytes:
    label = snapshot["period"]["label"]
    doc = snapshot.get("document")
    tag = f"（{doc['number']}）" if doc else "（草稿）"
    return write_xlsx([
        Sheet(title="技改投资", caption=f"{label}各县市技改投资完成情况{tag}　单位：万元",
              headers=UNIT_INVESTMENT_HEADERS, kinds=UNIT_INVESTMENT_KINDS, rows=unit_investment_rows(snapshot)),
        Sheet(title="项目实施", caption=f"{label}各县市技改项目实施情况{tag}　单位：个",
              headers=UNIT_PROJECT_HEADERS, kinds=UNIT_PROJECT_KINDS, rows=unit_project_rows(snapshot)),
        Sheet(title="滞后于序时进度", caption=f"{label}滞后于序时进度的项目{tag}　单位：万元",
              headers=BEHIND_HEADERS, kinds=BEHIND_KINDS, rows=behind_rows(snapshot)),
        Sheet(title="停工停滞", caption=f"{label}停工停滞项目{tag}",
              headers=["单位", "项目名称", "形象进度", "存在问题"], rows=stalled_rows(snapshot)),
        Sheet(title="报送情况", caption=f"{label}未按时报送的项目{tag}",
              headers=["单位", "项目名称", "企业", "情况", "报送日期"], rows=reporting_rows(snapshot)),
        Sheet(title="协调问题", caption=f"{label}需协调解决的问题{tag}",
              headers=["单位", "项目名称", "需协调解决的问题", "请求协调部门"], rows=problem_rows(snapshot)),
        Sheet(title="数据核查", caption=f"{label}数据核查提示{tag}",
              headers=["单位", "项目", "提示", "说明"], rows=flag_rows(snapshot)),
    ])  # fmt: skip


def filename(snapshot: dict, suffix: str) -> str:
    doc = snapshot.get("document")
    base = f"{snapshot['period']['label']}技改项目推进情况通报"
    if doc and doc.get("edition", 1) > 1:
        base += f"（更正版{doc['edition'] - 1}）" if doc["edition"] > 2 else "（更正版）"
    elif not doc:
        base += "（草稿）"
    return base + suffix
