"""The published bulletin's Word document as a background job (kind "bulletin_docx"): the bulletin page's
生成 button starts it, the job page shows its progress and the download when done. Same document, same
permission ("dispatch.bulletin") and the same export record as the direct download."""

from __future__ import annotations

from django.urls import reverse

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.errors import ValidationError
from jigai.core.params import NO_ID, id_param
from jigai.jobs import kinds

from . import render as bulletin_docs
from .models import Bulletin


def _from_form(data, user) -> tuple[dict, str]:
    pk = id_param(data.get("bulletin"))
    bulletin = Bulletin.objects.filter(pk=pk).defer("snapshot").first() if pk not in (None, NO_ID) else None
    if bulletin is None:
        raise ValidationError({"bulletin": ["请选择要生成的月通报"]})
    return {"bulletin": bulletin.pk}, f"{bulletin.document_number} {bulletin.title}"[:300]


def _run(job, progress) -> kinds.FileResult:
    require(job.user, "dispatch.bulletin")
    bulletin = Bulletin.objects.filter(pk=job.params.get("bulletin")).first()
    if bulletin is None:
        raise kinds.JobError("该月通报已不存在")
    progress(1, 3, "正在读取通报数据")
    snapshot = bulletin.snapshot
    progress(2, 3, "正在排版公文")
    data = bulletin_docs.docx_bytes(snapshot)
    audit.record("export", obj=bulletin, message="生成月通报 .docx（后台任务）")
    progress(3, 3, "已生成")
    return kinds.FileResult(bulletin_docs.filename(snapshot, ".docx"), data)


def register() -> None:
    kinds.register(
        kinds.Kind(
            name="bulletin_docx",
            title="生成月通报 Word",
            operation="dispatch.bulletin",
            run=_run,
            from_form=_from_form,
            back_url=lambda p: reverse("dispatch:bulletin_detail", args=[p["bulletin"]]),
        )
    )
