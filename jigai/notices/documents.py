"""The notice (公示) as an official document (docs/documents.md, GB/T 9704-2012): who is to be paid what
under which clause, the objection period and where to send an objection. No personal data. Built from
the notice's published lines only; nothing here reads the clock."""

from __future__ import annotations

from django.conf import settings

from jigai.core.money import format_yuan
from jigai.documents import OfficialDocument, format_date_cn

ISSUER = "恩施州传统产业改造升级工作领导小组办公室"
SIGNATURE = "恩施州传统产业改造升级工作领导小组办公室"
PRINTER = "恩施州经济和信息化委员会办公室"


def notice_document(notice) -> OfficialDocument:
    entries = list(notice.entries.order_by("position"))
    doc = OfficialDocument(issuer=ISSUER, title=f"关于{notice.title}的公示")
    total = sum((e.amount_yuan for e in entries), start=0)
    doc.paragraph(
        "根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》奖补政策，经项目验收（或认定）、"
        f"州财政局审批，拟对以下{len(entries)}个事项予以奖补，合计{format_yuan(total)}元，现予以公示。"
    )
    doc.paragraph(
        f"公示期：{format_date_cn(notice.starts_on)}至{format_date_cn(notice.ends_on)}。"
        f"公示期内如有异议，请以书面形式向{settings.JIGAI_NOTICE_CONTACT}反映，并写明异议事项、理由及联系方式。"
        "公示期满无异议或异议经核查不成立的，按程序拨付奖补资金。"
    )
    doc.table(
        caption="表1 拟奖补事项",
        unit="单位：元",
        headers=["序号", "县市", "企业名称", "项目名称", "奖补类别", "金额"],
        rows=[
            [e.position, e.unit_name, e.enterprise_name, e.project_name or "—", e.clause_label, e.amount_yuan]
            for e in entries
        ],
        kinds=["int", "text", "text", "text", "text", format_yuan],
    )
    doc.signature(organ=SIGNATURE, date=notice.starts_on)
    doc.record(cc="州财政局，各县市经信部门", printer=PRINTER, print_date=notice.starts_on)
    return doc


def document_name(notice) -> str:
    return f"{notice.ref} 关于{notice.title}的公示.docx"
