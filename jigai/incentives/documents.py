"""The acceptance opinion (验收意见, 4.2) as an official document (docs/documents.md, GB/T 9704-2012).

Built from the acceptance record only; nothing here reads the clock."""

from __future__ import annotations

from jigai.core.dates import local_date
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import number_of
from jigai.documents import DocumentNumber, OfficialDocument, format_date_cn, format_wan

from .models import EquipmentLine, LineVerdict, Outcome

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
OPINION_NUMBER_PREFIX = "恩施州技改办"  # the office's 发文机关代字, shared with bulletins and notices
SIGNATURE = "恩施州传统产业改造升级工作领导小组办公室"
PRINTER = "恩施州经济和信息化委员会办公室"
CLAUSE_42 = "对竣工投产的技改项目及时检查验收……对通过验收的企业予以奖补"
CONCLUSION = {
    Outcome.PASS: "同意通过验收。项目投资以本意见核定数为准，据此按政策测算奖补。",
    Outcome.FAIL: "不同意通过验收。项目不予奖补，待具备条件后可重新申请验收。",
    Outcome.RECTIFY: "限期整改后复验。请于{deadline}前完成整改，并书面报告整改情况，届时组织复验。",
}


def opinion_title(acceptance) -> str:
    return f"关于{acceptance.project.name}竣工验收的意见"


def _person(user) -> str:
    return str(user)  # display_name, else the login


def acceptance_opinion(acceptance) -> OfficialDocument:
    """验收意见 of one inspection: the team, what it found, the claimed and verified investment and the
    conclusion (4.2; docs/programme.md, reading 14)."""
    project = acceptance.project
    enterprise = project.enterprise
    entry = number_of(DocKind.ACCEPTANCE_OPINION, obj=acceptance)
    number = DocumentNumber(entry.issuer, entry.year, entry.serial) if entry else None
    doc = OfficialDocument(
        issuer=ISSUER, number=number, title=opinion_title(acceptance), addressees=f"{enterprise.name}"
    )
    doc.paragraph(
        f"根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》“{CLAUSE_42}”的规定，"
        f"验收组于{format_date_cn(acceptance.inspection_date)}对你单位{project.name}进行了竣工验收。"
        "现将验收意见告知如下："
    )
    doc.heading1("一、项目基本情况")
    done = project.actual_completion_date
    doc.paragraph(
        f"项目由{project.region.name}报送，总投资{_wan(project.total_investment_yuan)}万元"
        + (f"，于{format_date_cn(done)}竣工投产" if done else "")
        + "。"
    )
    doc.heading1("二、验收组")
    members = sorted(acceptance.team.all(), key=lambda u: (u.pk != acceptance.leader_id, u.pk))
    doc.table(
        caption="表1 验收组成员",
        headers=["序号", "姓名", "单位", "职责"],
        rows=[
            [i, _person(u), str(u.get_role_display()), "组长" if u.pk == acceptance.leader_id else "成员"]
            for i, u in enumerate(members, start=1)
        ],
        kinds=["int", "text", "text", "text"],
    )
    doc.heading1("三、验收情况")
    for line in acceptance.findings.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.heading1("四、核定投资")
    doc.table(
        caption="表2 申报投资与核定投资",
        unit="单位：万元",
        headers=["项目", "申报数", "核定数"],
        rows=[
            [
                "设备投资",
                acceptance.claimed_equipment_investment_yuan,
                acceptance.verified_equipment_investment_yuan,
            ],
            [
                "固定资产投资",
                acceptance.claimed_fixed_asset_investment_yuan,
                acceptance.verified_fixed_asset_investment_yuan,
            ],
        ],
        kinds=["text", "money_wan", "money_wan"],
    )
    lines = list(EquipmentLine.objects.filter(acceptance=acceptance).order_by("id"))
    if lines:  # each line of the application's equipment list, accepted or rejected with its reason
        doc.table(
            caption="表3 设备清单逐项核定",
            unit="单位：万元",
            headers=["设备名称", "规格型号", "数量", "发票号码", "金额", "核定意见"],
            rows=[
                [
                    x.name,
                    x.model,
                    x.quantity,
                    x.invoice_number,
                    x.amount_yuan,
                    "核定" if x.verdict == LineVerdict.ACCEPTED else f"不予核定：{x.rejection_reason}",
                ]
                for x in lines
            ],
            kinds=["text", "text", "int", "text", "money_wan", "text"],
        )
    if acceptance.adjustment_reason:
        doc.paragraph(f"核定数与申报数不同的原因：{acceptance.adjustment_reason}")
    for m in acceptance.amendments.all():
        doc.paragraph(
            f"{format_date_cn(local_date(m.at))}更正核定数为设备投资{_wan(m.after_equipment_investment_yuan)}万元、"
            f"固定资产投资{_wan(m.after_fixed_asset_investment_yuan)}万元，原因：{m.reason}"
        )
    doc.heading1("五、验收结论")
    deadline = format_date_cn(acceptance.rectify_deadline_date) if acceptance.rectify_deadline_date else ""
    doc.paragraph(CONCLUSION[Outcome(acceptance.outcome)].format(deadline=deadline))
    doc.signature(organ=SIGNATURE, date=acceptance.inspection_date)
    doc.record(
        cc=f"州财政局，{project.region.name}经信部门", printer=PRINTER, print_date=acceptance.inspection_date
    )
    return doc


def _wan(yuan) -> str:
    return format_wan(yuan)
