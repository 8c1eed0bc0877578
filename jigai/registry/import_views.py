"""The Excel import pages (issue 4): tables and templates, upload → preview → 确认导入 → result.

The uploaded bytes are kept on the server between the preview and the confirmation (under
``JIGAI_IMPORT_UPLOAD_DIR``, default ``var/uploads/``), named by the user's id and the file's SHA-256;
the confirmation names only that hash, so a file cannot be swapped in between, and another user's
upload cannot be confirmed. Kept uploads expire after ``JIGAI_IMPORT_UPLOAD_TTL_SECONDS`` (2 hours)
and are removed once written.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import guard
from jigai.core.money import format_wan_exact
from jigai.documents.http import xlsx_response
from jigai.imports import (
    ALL_SHEETS,
    Choice,
    ImportReport,
    ImportWriteError,
    TableSpec,
    UploadRefused,
    build_template,
    check_upload,
    tables,
    validate,
)
from jigai.imports.mapping import IGNORE
from jigai.imports.parsers import normalize_header
from jigai.imports.report import MODES, OUTCOMES, SEVERITIES
from jigai.jobs.services import job_start

from .imports import context_for, run_import
from .selectors import import_mapping_for
from .services import import_mapping_save

DEFAULT_TTL = 2 * 3600
SHOW_ISSUES = 2000  # issues listed on a page; the CLI and the JSON report have them all
# From this many rows to write, a preview on SQLite says that others' saves queue meanwhile (issue 11,
# point 14; docs/operator-guide.md, “大批量导入与 SQLite”).
LARGE_IMPORT_ROWS = 10_000
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _outcome_label(key: str) -> str:
    """An outcome's word in the page's language: 新增 is "New" as a count (elsewhere 新增 is "Add")."""
    return pgettext("import count", OUTCOMES[key]) if key == "new" else _(OUTCOMES[key])


def _table_choices() -> list[tuple[str, str]]:
    return [(name, _(tables.get(name).title)) for name in tables.names()]


class UploadForm(forms.Form):
    table = forms.ChoiceField(label=gettext_lazy("导入的表"))
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"),
        choices=list(MODES.items()),
        initial="all",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "全部或不导入：有任何一行被拒绝则不写入；只导入无误的行：被拒绝的行不导入，其余写入"
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度（可选）"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy(
            "“是否列入年度技改计划”“是否规上”等是/否列所指的年度；不填时取表头上方标题中的年度"
            "（如“2019年技改项目计划表”）"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = _table_choices()
        # The modes' words in the page's language (MODES keeps the Chinese, for the report).
        self.fields["mode"].choices = [(k, _(v)) for k, v in MODES.items()]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


# --- kept uploads ---------------------------------------------------------------------------------


def _upload_dir() -> Path:
    path = Path(getattr(settings, "JIGAI_IMPORT_UPLOAD_DIR", "") or Path(settings.VAR_DIR) / "uploads")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ttl() -> int:
    return int(getattr(settings, "JIGAI_IMPORT_UPLOAD_TTL_SECONDS", DEFAULT_TTL))


def _paths(user, token: str) -> tuple[Path, Path]:
    base = _upload_dir() / f"{int(user.pk)}-{token}"
    return base.with_suffix(".bin"), base.with_suffix(".json")


def _sweep() -> None:
    cutoff = time.time() - _ttl()
    for path in _upload_dir().glob("*-*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _keep(
    user,
    table: str,
    filename: str,
    sha256: str,
    data: bytes,
    updates: int,
    *,
    year: int | None = None,
    rows: int = 0,
) -> str:
    _sweep()
    data_path, meta_path = _paths(user, sha256)
    data_path.write_bytes(data)
    meta = {
        "table": table, "filename": filename, "at": time.time(), "updates": updates, "year": year, "rows": rows,
    }  # fmt: skip
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return sha256


def _remember(user, token: str, meta: dict, **changes) -> None:
    """Update a kept upload's facts (the chosen sheet, the updates it brings); its age is kept."""
    _data_path, meta_path = _paths(user, token)
    meta_path.write_text(json.dumps({**meta, **changes}, ensure_ascii=False), "utf-8")


def _extra(meta: dict) -> dict:
    """The import context's extras a kept upload carries (the year of its 是/否 listing columns)."""
    return {"year": meta["year"]} if meta.get("year") else {}


def _sheets(meta: dict):
    sheet = meta.get("sheet")
    if not sheet:
        return None
    return ALL_SHEETS if sheet == ALL_SHEETS else [sheet]


def _kept(user, token: str) -> tuple[bytes, dict] | None:
    if not _TOKEN.match(token or ""):
        return None
    data_path, meta_path = _paths(user, token)
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if time.time() - float(meta.get("at", 0)) > _ttl() or hashlib.sha256(data).hexdigest() != token:
        _forget(user, token)
        return None
    return data, meta


def _forget(user, token: str) -> None:
    for path in _paths(user, token):
        path.unlink(missing_ok=True)


def _context(request, table: str, **extra):
    """The import context of the request's user, with the column mapping kept for the user's unit and
    this table (the preview's 列对应)."""
    context = context_for(request.user, ip=getattr(request, "client_ip", ""), at=timezone.now(), **extra)
    context.mapping = import_mapping_for(request.user, table)
    return context


def _mappable(report: ImportReport) -> bool:
    """The report names headers the user may map, or required fields no header names."""
    return bool(report.unrecognised or report.missing_columns)


# --- report for the page --------------------------------------------------------------------------


def _show(value, money: bool = False, labels: dict | None = None) -> str:
    if value is None:
        return _("（空）")
    if money:
        return _("%(amount)s 万元") % {"amount": format_wan_exact(value)}
    if labels and str(value) in labels:
        return str(labels[str(value)])  # a choice as the sheet names it (滞后), not its stored code
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _report_context(report: ImportReport, spec: TableSpec) -> dict:
    money = {c.label for c in spec.columns if c.is_money}  # shown in 万元, as clerks write them
    choices = {c.label: {o.code: o.label for o in c.parser.options} for c in spec.columns
               if isinstance(c.parser, Choice)}  # fmt: skip
    errors = list(report.file_errors)
    warnings = list(report.file_warnings)
    for row in report.rows:
        for issue in row.issues:
            (errors if issue.severity == "error" else warnings).append(issue)
    updates = [
        {
            "sheet": r.sheet,
            "row": r.row,
            "key": r.key,
            "changes": [
                (
                    label,
                    _show(old, label in money, choices.get(label)),
                    _show(new, label in money, choices.get(label)),
                )
                for label, (old, new) in r.changes.items()
            ],
        }
        for r in report.rows
        if r.outcome == "updated"
    ]
    counts = report.counts
    return {
        "report": report,
        "counts": counts,
        "outcomes": [(_outcome_label(k), counts[k], k) for k in ("new", "updated", "unchanged", "rejected")],
        "errors": errors[:SHOW_ISSUES],
        "errors_total": len(errors),
        "warnings": warnings[:SHOW_ISSUES],
        "warnings_total": len(warnings),
        "updates": updates[:SHOW_ISSUES],
        "updates_total": len(updates),
        "skipped": report.skipped[:SHOW_ISSUES],
        "severities": SEVERITIES,
        "mode_label": MODES.get(report.mode, report.mode),
        "modes": list(MODES.items()),
        "sqlite_wait": _sqlite_wait(counts),
    }


def _sqlite_wait(counts: dict) -> int:
    """Rows to write when they are many and the database is SQLite (one writer at a time), else 0."""
    rows = counts["new"] + counts["updated"]
    return rows if connection.vendor == "sqlite" and rows >= LARGE_IMPORT_ROWS else 0


# --- pages ----------------------------------------------------------------------------------------


@guard("import.run")
def index(request):
    form = UploadForm(initial={"table": request.GET.get("table") or "projects", "mode": "all"})
    return _index(request, form)


def _index(request, form, refused: str | None = None, status: int = 200):
    specs = [tables.get(name) for name in tables.names()]
    listed = [(spec, "、".join(c.header for c in spec.columns if c.required)) for spec in specs]
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "specs": listed,
            "refused": refused,
            "max_mb": settings.JIGAI_UPLOAD_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@guard("import.run")
def template(request, table: str):
    if table not in tables.names():
        raise Http404(_("没有这个导入表"))
    spec = tables.get(table)
    return xlsx_response(f"{spec.title}导入模板.xlsx", build_template(spec))


@require_POST
@guard("import.run")
def upload(request):
    """Check and validate the whole file, keep it, show the preview. Nothing is written."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    upload = form.cleaned_data["file"]
    table, mode = form.cleaned_data["table"], form.cleaned_data["mode"]
    try:
        # Size first (from the upload's declared size, before reading), then type, zip and XML checks.
        checked = check_upload(upload, filename=upload.name)
    except UploadRefused as exc:
        return _index(request, form, refused=exc.message, status=400)
    spec = tables.get(table)
    year = form.cleaned_data.get("year")
    extra = {"year": year} if year else {}
    context = _context(request, table, **extra)
    report = validate(spec, checked.data, context, mode=mode, filename=checked.filename)
    token = None
    if not report.refused or report.needs_sheet or _mappable(report):
        # A workbook of several data sheets is kept too: the preview asks which sheet to import.
        updates = report.counts["updated"]
        token = _keep(
            request.user, table, checked.filename, checked.sha256, checked.data, updates, year=year,
            rows=report.counts["total"],
        )  # fmt: skip
    return _preview(request, report, spec, token, mode)


def _kept_post(request):
    """The POSTed token and mode with the kept upload and its table's spec, or None (with a message)
    when the upload has expired or was already imported."""
    token = request.POST.get("token", "")
    mode = request.POST.get("mode", "all")
    if mode not in MODES:
        mode = "all"
    kept = _kept(request.user, token)
    if kept is None:
        messages.error(request, _("上传的文件已过期或已经导入，请重新上传"))
        return None
    data, meta = kept
    if meta.get("table") not in tables.names():
        _forget(request.user, token)
        raise Http404(_("没有这个导入表"))
    return token, mode, data, meta, tables.get(meta["table"])


@require_POST
@guard("import.run")
def choose_sheet(request):
    """The sheet of a kept workbook to import (issue 13 point 14): preview that sheet alone."""
    found = _kept_post(request)
    if found is None:
        return redirect("imports:index")
    token, mode, data, meta, spec = found
    sheet = request.POST.get("sheet", "").strip()[:100]
    if not sheet:
        messages.error(request, _("请选择要导入的工作表"))
        return redirect("imports:index")
    meta = {**meta, "sheet": sheet}
    context = _context(request, spec.name, **_extra(meta))
    report = validate(
        spec, data, context, mode=mode, filename=meta.get("filename") or "upload", sheets=_sheets(meta)
    )
    if report.refused and not _mappable(report):
        _forget(request.user, token)
        return _preview(request, report, spec, None, mode)
    _remember(request.user, token, meta, updates=report.counts["updated"], rows=report.counts["total"])
    return _preview(request, report, spec, token, mode)


@require_POST
@guard("import.map")
def map_columns(request):
    """The preview's 列对应: which field each unrecognised header is (or 忽略), kept for the user's unit
    and table, then the same kept file previewed again at once with it."""
    found = _kept_post(request)
    if found is None:
        return redirect("imports:index")
    token, mode, data, meta, spec = found
    keys = {c.key for c in spec.columns} | {IGNORE}
    chosen: dict[str, str] = {}
    for i in range(200):
        header = request.POST.get(f"header_{i}")
        if header is None:
            break
        key = request.POST.get(f"field_{i}", "")
        if key and key in keys and normalize_header(header):
            chosen[header[:256]] = key
    if chosen:
        import_mapping_save(user=request.user, table=spec.name, mapping=chosen, at=timezone.now())
    context = _context(request, spec.name, **_extra(meta))
    report = validate(
        spec, data, context, mode=mode, filename=meta.get("filename") or "upload", sheets=_sheets(meta)
    )
    if report.refused and not report.needs_sheet and not _mappable(report):
        _forget(request.user, token)
        return _preview(request, report, spec, None, mode)
    _remember(request.user, token, meta, updates=report.counts["updated"], rows=report.counts["total"])
    return _preview(request, report, spec, token, mode)


def _mapping_rows(report: ImportReport, spec: TableSpec) -> list[dict]:
    """The 列对应 form: each unrecognised header with the field chosen for it so far (blank: not yet)."""
    return [{"header": h, "field": report.mapping.get(normalize_header(h), "")} for h in report.unrecognised]


def _preview(request, report: ImportReport, spec: TableSpec, token, mode: str, **extra):
    asks_reason = bool(spec.change_reason and report.counts["updated"])
    missing = [spec.column(k).label for k in report.missing_columns]
    extra = {
        "mapping_rows": _mapping_rows(report, spec),
        "missing_labels": missing,
        "field_choices": [(c.key, c.label) for c in spec.columns],
        "mapped": [
            (h, _("忽略") if k == IGNORE else spec.column(k).label)
            for h, k in report.mapping.items()
            if k == IGNORE or k in {c.key for c in spec.columns}
        ],
        **extra,
    }
    return render(
        request,
        "imports/preview.html",
        {
            **_report_context(report, spec),
            "spec": spec,
            "token": token,
            "mode": mode,
            "preview": True,
            "asks_reason": asks_reason,
            **extra,
        },
        status=400 if extra.get("reason_error") else 200,
    )


@require_POST
@guard("import.run")
def confirm(request):
    """Run the kept file (never a re-uploaded one) in one transaction and show the result."""
    found = _kept_post(request)
    if found is None:
        return redirect("imports:index")
    token, mode, data, meta, spec = found
    reason = " ".join(request.POST.get("reason", "").split())[:500]
    ip = getattr(request, "client_ip", "")
    if spec.change_reason and meta.get("updates") and not reason:
        # A correction of stored data says why (dispatch: 更正原因); show the preview again.
        context = _context(request, spec.name, **_extra(meta))
        report = validate(
            spec, data, context, mode=mode, filename=meta.get("filename") or "upload", sheets=_sheets(meta)
        )
        message = _("文件将更正已报送的数据，请填写%(label)s") % {"label": spec.change_reason}
        return _preview(request, report, spec, token, mode, reason_error=message)
    rows = int(meta.get("rows") or 0)
    if rows > settings.JIGAI_JOBS_IMPORT_ROWS:
        # A large file runs as a background job with a progress bar (import_jobs.py); same run, same report.
        job = job_start(
            user=request.user, kind="import", params={"token": token, "mode": mode, "reason": reason, "ip": ip},
            summary=f"{spec.title}：{meta.get('filename') or 'upload'}，{rows} 行（{MODES[mode]}）", at=timezone.now(),
        )  # fmt: skip
        return redirect("jobs:detail", pk=job.pk)
    context = context_for(request.user, ip=ip, at=timezone.now(), reason=reason, **_extra(meta))
    context.mapping = import_mapping_for(request.user, spec.name)
    failed = False
    try:
        report = run_import(
            spec, data, context, mode=mode, filename=meta.get("filename") or "upload", sheets=_sheets(meta)
        )
    except ImportWriteError as exc:
        report, failed = exc.report, True
    if report.written:
        _forget(request.user, token)
    keep = None if report.written or failed or report.refused else token
    return render(
        request,
        "imports/preview.html",
        {
            **_report_context(report, spec),
            "spec": spec,
            "token": keep,
            "mode": mode,
            "preview": False,
            "failed": failed,
        },
    )
