"""The quarterly joint meeting pack (4.1) as a background job (kind "meeting_pack"): the meeting-pack
page's 生成 button starts it for the chosen quarter and date; the job page shows its progress and the
.docx when done. The same document, permission ("assessment.pack") and export record as the page's
direct download, computed as of the date asked for."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import number_of
from jigai.core.errors import ValidationError
from jigai.dispatch.periods import FIRST_YEAR, LAST_YEAR
from jigai.documents import DocumentNumber
from jigai.jobs import kinds

from . import documents, selectors, services
from .periods import Period, PeriodError


def _from_form(data, user) -> tuple[dict, str]:
    errors: dict[str, list[str]] = {}
    try:
        period = Period.parse(str(data.get("period") or ""))
        if not period.is_quarter:
            raise PeriodError("联席会议材料按季度生成，请选择季度")
    except PeriodError as exc:
        errors["period"] = [str(exc)]
    try:
        as_of = dt.date.fromisoformat(str(data.get("as_of") or ""))
        if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
            errors["as_of"] = [f"会议日期须在 {FIRST_YEAR}—{LAST_YEAR} 年之间"]
    except ValueError:
        errors["as_of"] = ["会议日期（数据截至）不是日期，请写成 YYYY-MM-DD"]
    if errors:
        raise ValidationError(errors)
    return {
        "period": str(period),
        "as_of": as_of.isoformat(),
    }, f"{period.label}，数据截至 {as_of:%Y年%-m月%-d日}"


def _run(job, progress) -> kinds.FileResult:
    require(job.user, "assessment.pack")
    try:
        period = Period.parse(job.params["period"])
        as_of = dt.date.fromisoformat(job.params["as_of"])
    except (KeyError, PeriodError, ValueError) as exc:
        raise kinds.JobError("任务参数有误：季度或会议日期无法识别") from exc
    progress(1, 3, "正在计算完成情况、排名与约谈")
    data = selectors.meeting_pack_data(period, as_of=as_of, user=job.user)
    entry = number_of(DocKind.MEETING_PACK, ref=services.meeting_pack_ref(period))
    number = DocumentNumber(entry.issuer, entry.year, entry.serial) if entry else None
    progress(2, 3, "正在排版公文")
    doc = documents.meeting_pack(data, date=as_of, number=number)
    audit.record("export", object_type="assessment.meeting_pack", object_id=str(period),
                 message=f"生成{period.label}联席会议材料（后台任务）")  # fmt: skip
    progress(3, 3, "已生成")
    return kinds.FileResult(f"{period.label}联席会议材料.docx", doc.to_bytes())


def register() -> None:
    kinds.register(
        kinds.Kind(
            name="meeting_pack",
            title="生成联席会议材料",
            operation="assessment.pack",
            run=_run,
            from_form=_from_form,
            back_url=lambda p: (
                f"{reverse('assessment:meeting_pack')}?period={p['period']}&as_of={p['as_of']}"
            ),
        )
    )
