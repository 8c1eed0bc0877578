"""A large import as a background job (kind "import"): the import page's 确认导入 of a kept upload of
more than ``JIGAI_JOBS_IMPORT_ROWS`` rows (default 3,000) runs on the task queue with a progress bar.

The job runs exactly what the synchronous confirmation runs (``run_import`` on the kept file, the same
context, mapping and mode) as the user who confirmed, so its report is the same; the job keeps a summary
of it (message, counts, the first problems) for its page and the API.
"""

from __future__ import annotations

from django.utils import timezone

from jigai.core.said import said_json
from jigai.imports import ImportReport, ImportWriteError, tables
from jigai.jobs import kinds

from .import_views import _extra, _forget, _kept, _sheets
from .imports import context_for, run_import
from .selectors import import_mapping_for

ISSUES_KEPT = 200


def import_summary(report: ImportReport, *, failed: bool = False) -> dict:
    """What the job page shows of an import's report (the same for the synchronous path)."""
    issues = list(report.file_errors) + list(report.file_warnings)
    for row in report.rows:
        issues.extend(row.issues)
    lines = [i.as_text() for i in issues[:ISSUES_KEPT]]
    return {
        "message": report.message,
        "counts": report.counts,
        "written": report.written,
        "failed": failed,
        "mode": report.mode,
        "filename": report.filename,
        "issues": lines,
        "issues_total": len(issues),
        # How each was said, so the job's page says them again in its own language (jigai.core.said).
        "said": {
            "message": said_json(report.message),
            "issues": [said_json(line) for line in lines],
        },
    }


def _run(job, progress) -> dict:
    user, params = job.user, job.params
    token = params.get("token", "")
    kept = _kept(user, token)
    if kept is None:
        raise kinds.JobError("上传的文件已过期或已经导入，请重新上传")
    data, meta = kept
    if meta.get("table") not in tables.names():
        raise kinds.JobError("没有这个导入表")
    spec = tables.get(meta["table"])
    expected = int(meta.get("rows") or 0)

    def told(stage: str, rows: int) -> None:
        if stage == "read":
            progress(rows, max(expected, rows), f"正在读取并检查：已读 {rows} 行")
        else:
            progress(rows, rows, f"已读完 {rows} 行，正在写入数据库")

    context = context_for(
        user, ip=params.get("ip", ""), at=timezone.now(), reason=params.get("reason", ""), **_extra(meta)
    )
    context.mapping = import_mapping_for(user, spec.name)
    context.progress = told
    try:
        report = run_import(
            spec, data, context, mode=params.get("mode", "all"), filename=meta.get("filename") or "upload",
            sheets=_sheets(meta),
        )  # fmt: skip
    except ImportWriteError as exc:
        raise kinds.JobError(exc.report.message) from exc
    if report.written:
        _forget(user, token)
    return import_summary(report)


def register() -> None:
    kinds.register(
        kinds.Kind(
            name="import",
            title="Excel 导入",
            operation="import.run",
            run=_run,
            back_url=lambda p: "/imports/",
        )
    )
