"""The filing receipt (备案回执, 3.5) and the minutes of a consultation meeting (会议纪要, 4.2) as
official documents (docs/documents.md, GB/T 9704-2012). Built from the records only; no clock."""

from __future__ import annotations

from jigai.documents import DocumentNumber, OfficialDocument, format_date_cn

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
PRINTER = "恩施州经济和信息化委员会办公室"
RECEIPT_PREFIX = "恩施州技改备"
MINUTES_ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
CLAUSE_35 = "对设备更新改造“零新增地”技术改造项目和采取先进成熟工艺的扩建项目，实行网上备案“零审批”制"


def receipt_number(filing) -> DocumentNumber:
    return DocumentNumber(RECEIPT_PREFIX, filing.receipt_year, filing.receipt_serial)


def project_receipt_title(project) -> str:
    return f"关于{project.name}网上备案的回执"


def receipt_title(filing) -> str:
    return project_receipt_title(filing.project)


def filing_receipt(filing) -> OfficialDocument:
    """备案回执: the project is filed with zero approval on the filing date (3.5); the statutory approvals
    that still apply are listed, each handled with the project secretary's help."""
    project = filing.project
    doc = OfficialDocument(
        issuer=ISSUER,
        title=receipt_title(filing),
        number=receipt_number(filing),
        addressees=project.enterprise.name,
    )
    doc.paragraph(
        f"你单位于{format_date_cn(filing.filing_date)}通过技改通网上报送的{project.name}备案信息收悉。"
        f"根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》“{CLAUSE_35}”的规定，"
        "经平台按第三（五）条核验，该项目符合网上备案“零审批”条件，予以备案。"
    )
    doc.heading1("一、备案项目")
    doc.table(
        caption="表1 备案项目基本情况",
        headers=["项目", "内容"],
        rows=[
            ["项目名称", project.name],
            ["项目单位", project.enterprise.name],
            ["统一社会信用代码", project.enterprise.credit_code],
            ["报送单位", project.region.name],
            ["项目类型", str(filing.get_project_type_display())],
            ["新增用地", f"{filing.new_land_area_m2:f}平方米"],
            ["建设内容", filing.content],
        ],
        kinds=["text", "text"],
    )
    doc.heading1("二、核验结论")
    for r in filing.reasons:
        doc.paragraph(f"{r['message']}（第{r['clause']}条）。")
    doc.heading1("三、仍需依法办理的事项")
    if filing.approvals:
        doc.paragraph(
            "以下事项为法律法规规定的程序，不因网上备案而免除，由项目秘书提供“一对一”全程代办服务："
            + "；".join(f"{i}. {a}" for i, a in enumerate(filing.approvals, start=1))
            + "。"
        )
    else:
        doc.paragraph("按项目报送的情况，无其他需办理的审批事项。项目情况发生变化的，请及时重新备案。")
    doc.paragraph("本回执由平台即时生成，备案号即本回执编号，可凭此办理后续手续。")
    doc.signature(organ=ISSUER, date=filing.filing_date)
    doc.record(cc=f"州发改委，{project.region.name}经信部门", printer=PRINTER, print_date=filing.filing_date)
    return doc


def minutes_title(meeting) -> str:
    return f"{meeting.title}纪要"


def meeting_minutes(meeting) -> OfficialDocument:
    """会议纪要: when, who, the projects and problems studied, and the decisions with owner and deadline."""
    doc = OfficialDocument(issuer=MINUTES_ISSUER, title=minutes_title(meeting))
    doc.paragraph(
        f"{format_date_cn(meeting.date)}，{meeting.chair}主持召开{meeting.title}"
        f"（{meeting.get_kind_display()}），研究技改项目推进中需要协调解决的问题。纪要如下："
    )
    doc.heading1("一、参会人员")
    doc.paragraph(meeting.participants.replace("\n", "，"))
    doc.heading1("二、研究的项目")
    projects = list(meeting.projects.select_related("enterprise", "region").order_by("region__code", "id"))
    if projects:
        doc.table(
            caption="表1 研究的项目",
            headers=["序号", "项目名称", "企业", "报送单位"],
            rows=[[i, p.name, p.enterprise.name, p.region.name] for i, p in enumerate(projects, start=1)],
            kinds=["int", "text", "text", "text"],
        )
    else:
        doc.paragraph("本次会议未研究具体项目。")
    doc.heading1("三、研究的问题")
    lines = [line.strip() for line in meeting.problems.splitlines() if line.strip()]
    for line in lines or ["无。"]:
        doc.paragraph(line)
    doc.heading1("四、议定事项")
    followups = list(meeting.followups.select_related("owner", "project").order_by("id"))
    if followups:
        doc.table(
            caption="表2 议定事项及落实责任",
            headers=["序号", "议定事项", "责任人", "完成期限"],
            rows=[
                [i, f.decision, f.owner.display_name or f.owner.get_username(), format_date_cn(f.due_date)]
                for i, f in enumerate(followups, start=1)
            ],
            kinds=["int", "text", "text", "text"],
        )
        doc.paragraph("各责任人按期落实，逾期未落实的列入督办问责（第4.3条）。")
    else:
        doc.paragraph("无。")
    doc.signature(organ=MINUTES_ISSUER, date=meeting.date)
    doc.record(distribution=[("发", "各参会单位。")], printer=PRINTER, print_date=meeting.date)
    return doc
