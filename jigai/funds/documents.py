"""The payment notice (资金拨付通知) as an official document (docs/documents.md, GB/T 9704-2012).

Built from the payment record only; nothing here reads the clock."""

from __future__ import annotations

from jigai.core.dates import local_date
from jigai.documents import OfficialDocument, format_date_cn

from .models import Level

ISSUER = "恩施州财政局"
PRINTER = "恩施州财政局办公室"


def notice_title(payment) -> str:
    return f"关于拨付{payment.item.enterprise.name}技术改造奖补资金的通知"


def payment_notice(payment) -> OfficialDocument:
    """资金拨付通知 of one payment: the enterprise, the clause and the decision it pays, the level's share,
    the voucher, and (for a reversed payment) the reversal with its reason."""
    item = payment.item
    level = "州级" if payment.level == Level.PREFECTURE else f"{item.region.name}县市级"
    doc = OfficialDocument(
        issuer=ISSUER,
        title=notice_title(payment),
        addressees=f"{item.region.name}财政局，{item.enterprise.name}",
    )
    what = f"{item.project.name}" if item.project_id else "隐形冠军奖励"
    doc.paragraph(
        f"根据《恩施州传统产业技术改造三年行动方案（2018—2020年）》第{item.clause}条的规定，"
        f"经州传统产业改造升级工作领导小组办公室报批、州财政局审批并经公示无异议，"
        f"现拨付{item.enterprise.name}{what}{item.year}年度奖补资金。"
    )
    doc.heading1("一、拨付明细")
    doc.table(
        caption="表1 资金拨付明细",
        unit="单位：元",
        headers=["项目", "条款", "批准金额", "本次拨付级次", "本次拨付金额", "凭证号"],
        rows=[[what, item.clause, item.approved_yuan, level, payment.amount_yuan, payment.voucher_no]],
        kinds=["text", "text", "decimal", "text", "decimal", "text"],
    )
    doc.heading1("二、政策依据")
    for line in (item.explanation or "").splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    if item.cap_exception_approved:
        doc.paragraph(f"本项奖补超过政策“原则上”上限，经州财政局批准例外，理由：{item.cap_exception_reason}")
    doc.heading1("三、有关要求")
    doc.paragraph("请按规定及时将资金拨付到位，专款专用，并做好资金使用的跟踪管理。")
    if payment.reversed_at is not None:
        doc.paragraph(
            f"该笔拨付已于{format_date_cn(local_date(payment.reversed_at))}冲回，原因：{payment.reverse_reason}"
        )
    doc.signature(organ=ISSUER, date=payment.paid_on)
    doc.record(
        cc="州经信委（州传统产业改造升级工作领导小组办公室）", printer=PRINTER, print_date=payment.paid_on
    )
    return doc
