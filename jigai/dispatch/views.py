"""Pages of the monthly dispatch: the month screen, statistics, status, imports and bulletins.

Each view checks the operation, scopes by role (another unit's record is a 404), makes one domain call
and renders. "Now" is read here, at the edge, and passed in.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.models import Role
from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit, audit_checkpoint
from jigai.core.edges import refused
from jigai.core.models import Region
from jigai.documents.http import docx_response, xlsx_response

from . import bulletin as bulletin_figures
from . import checks, exports, selectors, services
from . import render as bulletin_docs
from .forms import (
    BulletinCorrectionForm,
    CorrectionReasonForm,
    PublishForm,
    ReportRowForm,
    ReportRowFormSet,
    StatisticRowFormSet,
    to_wan,
    to_yuan,
)
from .imports import TABLES
from .models import Bulletin, ProgressReport
from .periods import Month


def _month(year: int, month: int) -> Month:
    try:
        return Month(year, month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


def _default_month(now: dt.datetime) -> Month:
    return selectors.latest_month(Month.of(now).previous)


def _param_month(request, now) -> Month:
    raw = request.GET.get("month", "")
    try:
        y, m = (int(x) for x in raw.split("-"))
        return Month(y, m)
    except ValueError:
        return _default_month(now)


def _unit_param(request, *, required: bool) -> Region | None:
    """The unit a page is about: a clerk's own; for the office the ?unit= code. Another unit → 404."""
    user = request.user
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    if user.role == Role.CLERK:
        if code and code != user.region.code:
            other = Region.objects.filter(code=code).values_list("pk", flat=True).first()
            raise not_found(Region, other)
        return user.region
    if user.role == Role.ENTERPRISE:
        if code:
            raise Http404("记录不存在或无权访问")
        return None
    if not code:
        if required:
            return selectors.units()[0]
        return None
    region = Region.objects.filter(code=code, level=Region.Level.UNIT).first()
    if region is None:
        raise Http404("报送单位不存在")
    return region


@guard("dispatch.view")
def index(request):
    now = timezone.now()
    month = _param_month(request, now)
    user = request.user
    status = selectors.month_status(user, month, now=now) if can(user, "dispatch.monitor") else []
    own_rows = []
    if user.role == Role.ENTERPRISE and can(user, "dispatch.report"):
        own_rows = selectors.month_entry_rows(user, month)
    readable = can(user, "dispatch.bulletin")
    latest = selectors.latest_editions() if readable else {}
    bulletins = [b for b in selectors.bulletin_list()[:24]] if readable else []
    return render(request, "dispatch/index.html", {
        "month": month, "prev": month.previous, "next": month.next, "status": status, "own_rows": own_rows,
        "deadline": month.deadline_date(), "bulletins": bulletins, "latest": latest,
        "published": any(b.year == month.year and b.month == month.month for b in bulletins),
        "totals": _totals(status),
    })  # fmt: skip


def _totals(status):
    keys = ("due", "on_time", "late", "missing", "pending")
    return {k: sum(getattr(s, k) for s in status) for k in keys}


# --- the month screen ----------------------------------------------------------------------------------


@guard("dispatch.report")
def month_entry(request, year: int, month: int):
    """One unit's (or one enterprise's) whole month on one screen: a row per project, Enter submits."""
    period = _month(year, month)
    now = timezone.now()
    region = _unit_param(request, required=request.user.role == Role.OFFICE)
    rows = selectors.month_entry_rows(request.user, period, region=region)
    by_project = {r.project.pk: r for r in rows}
    prev_cum = {r.project.pk: (r.previous.cumulative_investment_yuan if r.previous else None) for r in rows}
    if request.method == "POST":
        formset = ReportRowFormSet(request.POST, form_kwargs={"previous_cumulative": None})
        reason_form = CorrectionReasonForm(request.POST)
        # Each row is checked against its own project's previous cumulative figure.
        for form in formset.forms:
            pid = form.data.get(f"{form.prefix}-project_id", "")
            form.previous_cumulative = prev_cum.get(int(pid)) if str(pid).isdigit() else None
        if formset.is_valid() and reason_form.is_valid():
            payload, unknown = [], False
            for form in formset.forms:
                row = by_project.get(form.cleaned_data["project_id"])
                if row is None:
                    unknown = True
                    continue
                if form.is_blank():
                    continue
                payload.append((row.project, form.domain_data()))
            if unknown:
                raise Http404("记录不存在或无权访问")
            with refused(request=request) as attempt:
                saved = services.month_save(
                    user=request.user,
                    month=period,
                    rows=payload,
                    reason=reason_form.cleaned_data["reason"],
                    at=now,
                )
            if isinstance(attempt.error, services.MonthSaveError):
                _row_errors(formset, attempt.error.rows)
            if attempt.ok:
                flagged = sum(1 for r in saved.reports if r.flags)
                messages.success(request, (
                    gettext("已保存：新报送 %(new)s 个，更正 %(corrected)s 个，未变化 %(same)s 个。")
                    % {"new": len(saved.created), "corrected": len(saved.corrected), "same": saved.unchanged}
                    + (gettext("其中 %(n)s 个项目有数据提示，请在“状态与提示”列核实（不影响保存）。") % {"n": flagged}
                       if flagged else "")
                ))  # fmt: skip
                return redirect(request.get_full_path())  # the saved month, its flags beside each row
    else:
        formset = _formset_for(rows, prev_cum)
        reason_form = CorrectionReasonForm()
    # Each form with its project (by id, not position: the list may have changed since the page was sent).
    table = []
    for form in formset.forms:
        pid = form.initial.get("project_id") or form.data.get(f"{form.prefix}-project_id", "")
        row = by_project.get(int(pid)) if str(pid).isdigit() else None
        if row is not None:
            table.append({"form": form, "row": row})
    return render(request, "dispatch/month_entry.html", {
        "month": period, "region": region, "formset": formset, "reason_form": reason_form, "table": table,
        "deadline": period.deadline_date(), "units": selectors.visible_units(request.user),
        "overdue": now >= period.deadline(),
    })  # fmt: skip


def _formset_for(rows, prev_cum):
    formset = ReportRowFormSet(initial=[ReportRowForm.initial_for(r) for r in rows])
    for form, r in zip(formset.forms, rows, strict=True):
        form.previous_cumulative = prev_cum.get(r.project.pk)
    return formset


def _row_errors(formset, errors_by_project):
    for form in formset.forms:
        errors = errors_by_project.get(form.cleaned_data.get("project_id"))
        if not errors:
            continue
        for field, msgs in errors.items():
            name = ReportRowForm.FIELD_MAP.get(field, field)
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)


@guard("dispatch.view")
def report_detail(request, pk: int):
    report = (
        selectors.report_queryset(request.user)
        .select_related("project__enterprise", "region")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise not_found(ProgressReport, pk)
    return render(request, "dispatch/report_detail.html", {
        "report": report, "revisions": report.revisions.order_by("version", "id"),
        "can_correct": services.can_report_project(request.user, report.project),
    })  # fmt: skip


@guard("dispatch.monitor")
@translation.override("zh-hans")
def month_export(request, year: int, month: int):
    """A month's reports as .xlsx (the import template's columns, so a correction re-imports)."""
    period = _month(year, month)
    region = _unit_param(request, required=False)
    qs = selectors.report_queryset(request.user).filter(year=period.year, month=period.month)
    if region is not None:
        qs = qs.filter(region=region)
    audit.record(
        "export",
        object_type="dispatch.progressreport",
        message=f"导出{period.label}月调度 {request.GET.urlencode()}",
    )
    return xlsx_response(f"{period.label}项目月调度.xlsx", exports.reports_xlsx(qs, period))


# --- statistics ------------------------------------------------------------------------------------


@guard("dispatch.statistics")
def statistics(request, year: int, month: int):
    period = _month(year, month)
    now = timezone.now()
    visible = selectors.visible_units(request.user)
    current = selectors.statistics_for(period.year, period.month)
    initial = []
    for u in visible:
        s = current.get(u.pk)
        initial.append({
            "region_id": u.pk, "version": s.version if s else None,
            "industrial_wan": to_wan(s.industrial_investment_ytd_yuan) if s else None,
            "tech_wan": to_wan(s.tech_investment_ytd_yuan) if s else None, "note": s.note if s else "",
        })  # fmt: skip
    if request.method == "POST":
        formset = StatisticRowFormSet(request.POST, initial=initial)
        if formset.is_valid():
            by_id = {u.pk: u for u in visible}
            done, failed, warnings = {"created": 0, "updated": 0, "unchanged": 0}, False, []
            with transaction.atomic():  # the whole screen, or nothing
                for form in formset.forms:
                    cd = form.cleaned_data
                    region = by_id.get(cd.get("region_id"))
                    if region is None:
                        raise Http404("记录不存在或无权访问")
                    if cd.get("tech_wan") is None:
                        continue
                    with refused(form=form, above_form=True) as attempt, transaction.atomic():
                        _stat, outcome = services.statistic_save(
                            user=request.user, region=region, year=period.year, month=period.month,
                            industrial_yuan=to_yuan(cd["industrial_wan"]), tech_yuan=to_yuan(cd["tech_wan"]),
                            note=cd.get("note", ""), at=now, expected_version=cd.get("version"),
                        )  # fmt: skip
                    if attempt.ok:
                        done[outcome] += 1
                        for w in checks.statistic_warnings(
                            industrial_yuan=_stat.industrial_investment_ytd_yuan,
                            tech_yuan=_stat.tech_investment_ytd_yuan,
                        ):
                            warnings.append(f"{region.name}：{w['message']}")
                    failed = failed or not attempt.ok
                if failed:
                    transaction.set_rollback(True)
            if not failed:
                messages.success(
                    request,
                    gettext("统计数据已保存：新填 %(new)s 个，修改 %(changed)s 个。")
                    % {"new": done["created"], "changed": done["updated"]},
                )
                for w in warnings:
                    messages.warning(request, w)
                return redirect(reverse("dispatch:statistics", args=[period.year, period.month]))
    else:
        formset = StatisticRowFormSet(initial=initial)
    rows = list(zip(formset.forms, visible, strict=True))
    growth = {g.region_id: g for g in selectors.investment_growth(year=period.year, month=period.month)}
    return render(request, "dispatch/statistics.html", {
        "month": period, "rows": [(f, u, growth.get(u.pk)) for f, u in rows], "formset": formset,
        "table": selectors.statistics_table(request.user, period.year), "months": range(1, 13),
    })  # fmt: skip


# --- imports ---------------------------------------------------------------------------------------


@guard("dispatch.import")
def import_upload(request, table: str):
    """The monthly tables import through the shared pages (/imports/: check, preview, confirm)."""
    if table not in TABLES:
        raise Http404("没有这种导入表")
    return redirect(f"{reverse('imports:index')}?{urlencode({'table': table})}")


@guard("dispatch.import")
def import_template(request, table: str):
    if table not in TABLES:
        raise Http404("没有这种导入表")
    return redirect("imports:template", table)


# --- bulletins -------------------------------------------------------------------------------------


@guard("dispatch.bulletin")
def bulletin_list(request):
    return render(request, "dispatch/bulletin_list.html", {
        "bulletins": selectors.bulletin_list(), "latest": selectors.latest_editions(),
    })  # fmt: skip


def _bulletin(pk: int) -> Bulletin:
    b = Bulletin.objects.filter(pk=pk).first()
    if b is None:
        raise Http404("通报不存在")
    return b


def _page_context(snapshot: dict) -> dict:
    from .charts import chart_options

    return {
        "s": snapshot,
        "summary": bulletin_docs.summary_paragraphs(snapshot),
        "charts": chart_options(snapshot),
    }


@guard("dispatch.bulletin")
def bulletin_detail(request, pk: int):
    b = _bulletin(pk)
    editions = list(
        Bulletin.objects.filter(year=b.year, month=b.month).defer("snapshot").order_by("edition", "id")
    )
    return render(request, "dispatch/bulletin.html", {
        **_page_context(b.snapshot), "bulletin": b, "editions": editions,
        "latest": editions[-1].pk == b.pk, "correction_form": BulletinCorrectionForm(),
        "audit_checkpoint": audit_checkpoint.line(cp) if (cp := b.snapshot.get("audit_checkpoint")) else "",
    })  # fmt: skip


@guard("dispatch.bulletin")
@translation.override("zh-hans")  # an official document reads in Chinese in either interface
def bulletin_docx(request, pk: int):
    b = _bulletin(pk)
    audit.record("export", obj=b, message="下载月通报 .docx")
    return docx_response(bulletin_docs.filename(b.snapshot, ".docx"), bulletin_docs.docx_bytes(b.snapshot))


@guard("dispatch.bulletin")
@translation.override("zh-hans")  # an official document reads in Chinese in either interface
def bulletin_xlsx(request, pk: int):
    b = _bulletin(pk)
    audit.record("export", obj=b, message="下载月通报 .xlsx")
    return xlsx_response(bulletin_docs.filename(b.snapshot, ".xlsx"), bulletin_docs.xlsx_bytes(b.snapshot))


@guard("dispatch.draft")
def bulletin_draft(request, year: int, month: int):
    """The bulletin computed from the data as it is now, before publication (not frozen)."""
    period = _month(year, month)
    snapshot = bulletin_figures.compute(period, as_of=timezone.now())
    fmt = request.GET.get("format", "")
    if fmt in ("docx", "xlsx"):
        audit.record("export", object_type="dispatch.bulletin", message=f"下载{period.label}通报草稿 .{fmt}")
    if fmt in ("docx", "xlsx"):
        with translation.override("zh-hans"):  # an official document reads in Chinese in either interface
            if fmt == "docx":
                return docx_response(
                    bulletin_docs.filename(snapshot, ".docx"), bulletin_docs.docx_bytes(snapshot)
                )
            return xlsx_response(
                bulletin_docs.filename(snapshot, ".xlsx"), bulletin_docs.xlsx_bytes(snapshot)
            )
    published = Bulletin.objects.filter(year=period.year, month=period.month).order_by("-edition").first()
    return render(request, "dispatch/bulletin.html", {
        **_page_context(snapshot), "bulletin": None, "draft": True, "published": published,
        "publish_form": PublishForm(), "month": period,
    })  # fmt: skip


@require_POST
@guard("dispatch.publish")
def bulletin_publish(request, year: int, month: int):
    period = _month(year, month)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("dispatch:bulletin_draft", year=period.year, month=period.month)
    if not form.cleaned_data.get("confirm"):
        # A deliberate step (4.3): show what publishing would freeze and ask once more.
        snapshot = bulletin_figures.compute(period, as_of=timezone.now())
        return render(request, "dispatch/bulletin_confirm.html", {
            "s": snapshot, "month": period, "issue_date": form.cleaned_data["issue_date"],
            "facts": bulletin_docs.freeze_summary(snapshot),
            "title": services.bulletin_title(period),
        })  # fmt: skip
    with refused(request=request) as attempt:
        b = services.bulletin_publish(user=request.user, year=period.year, month=period.month, at=timezone.now(),
                                      issue_date=form.cleaned_data.get("issue_date"))  # fmt: skip
    if not attempt.ok:
        return redirect("dispatch:bulletin_draft", year=period.year, month=period.month)
    messages.success(
        request, gettext("已发布：%(number)s《%(title)s》") % {"number": b.document_number, "title": b.title}
    )
    return redirect("dispatch:bulletin_detail", pk=b.pk)


@require_POST
@guard("dispatch.publish")
def bulletin_correct(request, pk: int):
    b = _bulletin(pk)
    form = BulletinCorrectionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, gettext("请填写更正原因") if field == "reason" else e)
        return redirect("dispatch:bulletin_detail", pk=b.pk)
    with refused(request=request) as attempt:
        new = services.bulletin_correct(user=request.user, bulletin=b, reason=form.cleaned_data["reason"],
                                        at=timezone.now(), issue_date=form.cleaned_data.get("issue_date"))  # fmt: skip
    if not attempt.ok:
        return redirect("dispatch:bulletin_detail", pk=b.pk)
    messages.success(request, gettext("已发布更正版：%(number)s") % {"number": new.document_number})
    return redirect("dispatch:bulletin_detail", pk=new.pk)
