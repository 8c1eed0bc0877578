"""Assessment pages: targets, rankings (publish), interviews, early warning, accountability, meeting pack."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.models import Role
from jigai.accounts.permissions import can, guard, not_found, require
from jigai.core import audit
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import number_of
from jigai.core.edges import refused
from jigai.core.models import Region
from jigai.core.params import int_param
from jigai.dispatch.periods import FIRST_YEAR, LAST_YEAR
from jigai.documents import DocumentNumber
from jigai.documents.http import docx_response

from . import accountability, documents, selectors, services
from .forms import CloseForm, FollowUpForm, LeaderForm, NotifyForm, RecordForm, TargetFigureForm
from .models import CaseStatus, InterviewCase, UnitLeader
from .periods import Period, PeriodError
from .ranking import BASES, FLAGS
from .targets import STATUS_LABELS
from .templatetags.assessment_tags import period_label


def _date(value, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return default
    # Months exist from 2000 to 2100 (dispatch.periods.Month); a day outside them has no figures.
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else default


def default_period(today: dt.date) -> Period:
    """The latest quarter whose end month has statistics, else the last quarter that ended."""
    latest = selectors.latest_statistic_month()
    y, m = latest if latest else (today.year, today.month)
    p = Period.containing(y, m)
    return p if m == p.end_month else p.previous()


def default_as_of(today: dt.date) -> dt.date:
    """Today, or — when the data end earlier (the demo's end in 2020) — the end of the month after the
    latest month with statistics, so the lists show the programme as it stood then."""
    latest = selectors.latest_statistic_month()
    if latest is None:
        return today
    y, m = (latest[0] + 1, 1) if latest[1] == 12 else (latest[0], latest[1] + 1)
    end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return min(today, end)


def latest_data_year(today: dt.date) -> int:
    """The latest year the programme has data for (statistics or a leaders' list), not the calendar's:
    after the programme's last year the pages open on it, not on an empty current year."""
    latest = selectors.latest_statistic_month()
    leaders_year = UnitLeader.objects.aggregate(y=Max("year"))["y"]
    years = [y for y in (latest[0] if latest else None, leaders_year) if y]
    return max(years) if years else today.year


def _period(request, today: dt.date) -> Period:
    text = request.GET.get("period") or ""
    if not text:
        return default_period(today)
    try:
        return Period.parse(text)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return default_period(today)


def _basis(request, year: int) -> str:
    default = selectors.default_basis(year)
    basis = request.GET.get("basis") or default
    return basis if basis in BASES else default


def _period_choices(around: Period) -> list[Period]:
    out = []
    for year in range(around.year - 2, around.year + 1):
        for kind, last in (("Q", 4), ("H", 2)):
            out.extend(Period(year, kind, i) for i in range(1, last + 1))
    return sorted(out, key=lambda p: (p.year, p.end_month, p.kind != "Q"))


@guard("assessment.view")
def index(request):
    today = timezone.localdate()
    period = default_period(today)
    view = selectors.ranking_view(period)
    cases = selectors.case_list(request.user).exclude(status=CaseStatus.CLOSED)
    region_id = request.user.region_id if request.user.role == Role.CLERK else None
    as_of = default_as_of(today)
    overdue = [i for i in accountability.overdue_items(as_of=as_of, region_id=region_id, months_back=3)
               if i.done_date is None]  # fmt: skip
    return render(request, "assessment/index.html", {
        "period": period, "view": view, "open_cases": cases[:20], "open_count": cases.count(),
        "overdue_count": len(overdue), "published": selectors.published_rankings(8), "as_of": as_of,
    })  # fmt: skip


# --- targets -----------------------------------------------------------------------------------------


@guard("assessment.view")
def targets(request):
    today = timezone.localdate()
    latest = selectors.latest_statistic_month()
    year = int_param(request.GET.get("year"), latest[0] if latest else today.year, 2000, 2100)
    as_of = _date(request.GET.get("as_of"), today)
    report = selectors.targets_report(year, as_of=as_of)
    growth, projects, coverage = (report.by_clause(c) for c in ("2.1.a", "2.1.b", "2.1.c"))
    charts = report.charts
    return render(request, "assessment/targets.html", {
        "report": report, "year": year, "as_of": as_of, "years": range(2018, max(today.year, year) + 1),
        "growth_rows": list(zip(growth[0].details, growth[1].details, strict=True)),
        "projects_lines": projects[0].details, "coverage_lines": coverage[0].details,
        "charts_labels": json.dumps(charts["units"], ensure_ascii=False),
        "charts_growth": json.dumps([
            {"name": gettext("工业投资增幅（%）"), "data": charts["industrial_growth"]},
            {"name": gettext("技改投资增幅（%）"), "data": charts["tech_growth"], "markTarget": True},
        ], ensure_ascii=False),
        "charts_projects": json.dumps([
            {"name": gettext("实施项目"), "data": charts["projects"]}, {"name": gettext("任务数"), "data": charts["quotas"], "type": "line"},
        ], ensure_ascii=False),
        "figure_form": TargetFigureForm(initial={"clause": "2.2.a"}), "statuses": STATUS_LABELS,
        "can_manage": can(request.user, "assessment.manage"),
    })  # fmt: skip


@require_POST
@guard("assessment.manage")
def target_figure(request):
    year = int_param(request.POST.get("year"), None, 2000, 2100)
    form = TargetFigureForm(request.POST)
    if year is None or not form.is_valid():
        messages.error(request, gettext("请填写有效的年度和数值"))
    else:
        services.target_figure_set(user=request.user, year=year, **form.cleaned_data)
        messages.success(request, gettext("%(year)s年数据已保存。") % {"year": year})
    return redirect(f"{reverse('assessment:targets')}?year={year or ''}")


# --- rankings ----------------------------------------------------------------------------------------


@guard("assessment.view")
def rankings(request):
    today = timezone.localdate()
    period = _period(request, today)
    basis = _basis(request, period.year)
    view = selectors.ranking_view(period, basis)
    round_published = [selectors.published_ranking(p) for p in period.round()]
    return render(request, "assessment/rankings.html", {
        "period": period, "basis": basis, "bases": BASES, "view": view, "flags": FLAGS,
        "periods": _period_choices(period), "round": period.round(),
        "can_publish": can(request.user, "assessment.publish") and not any(round_published),
        "drafts": selectors.interview_drafts(period, basis) if view.published is None else None,
        "published": selectors.published_rankings(),
    })  # fmt: skip


@require_POST
@guard("assessment.publish")
def ranking_publish(request, period: str):
    try:
        p = Period.parse(period)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    basis = request.POST.get("basis") or selectors.default_basis(p.year)
    with refused(request=request) as attempt:
        published = services.ranking_publish(user=request.user, period=p, basis=basis, at=timezone.now())
    if attempt.ok:
        n = InterviewCase.objects.filter(ranking__in=published).count()
        labels = gettext("、").join(period_label(Period.parse(r.period)) for r in published)
        messages.success(
            request,
            gettext("已发布%(periods)s排名（已冻结），启动约谈 %(n)s 件。") % {"periods": labels, "n": n},
        )
    return redirect(f"{reverse('assessment:rankings')}?period={p}&basis={basis}")


# --- interviews --------------------------------------------------------------------------------------


@guard("assessment.view")
def case_list(request):
    year = int_param(request.GET.get("year"), None, 2000, 2100)
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    region = (request.GET.get("region") or "").strip()
    cases = selectors.case_list(request.user, year=year, status=status, region=region)
    regions = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
    if request.user.role == Role.CLERK:
        regions = regions.filter(pk=request.user.region_id)
    return render(request, "assessment/case_list.html", {
        "cases": cases, "year": year, "status": status, "region": region, "statuses": CaseStatus.choices,
        "regions": regions,
    })  # fmt: skip


def _case_or_404(request, pk: int) -> InterviewCase:
    case = selectors.case_detail(request.user, pk)
    if case is None:
        raise not_found(InterviewCase, pk, "约谈不存在或无权访问")
    return case


@guard("assessment.view")
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    record = getattr(case, "record", None)
    interview_ok = can(request.user, "assessment.interview")
    ctx = {
        "case": case,
        "record": record,
        "follow_ups": case.follow_ups.order_by("reported_date", "id"),
        "figures": [(Period.parse(p), case.figures.get(p, {})) for p in case.period_list],
        "flags": FLAGS,
        "notify_form": None,
        "record_form": None,
        "follow_form": None,
        "close_form": None,
    }
    v = {"version": case.version}
    today = timezone.localdate()
    if interview_ok and case.status in (CaseStatus.OPEN, CaseStatus.NOTIFIED):
        ctx["notify_form"] = NotifyForm(initial={**v, "notice_date": case.notice_date or today,
                                                 "scheduled_text": case.scheduled_text})  # fmt: skip
    if interview_ok and case.status == CaseStatus.NOTIFIED:
        ctx["record_form"] = RecordForm(initial={**v, "held_date": today,
                                                 "follow_up_deadline_date": today + dt.timedelta(days=30)})  # fmt: skip
    if can(request.user, "assessment.followup") and case.status in (CaseStatus.HELD, CaseStatus.FOLLOWED_UP):
        ctx["follow_form"] = FollowUpForm(initial={**v, "reported_date": today})
    if interview_ok and case.status == CaseStatus.FOLLOWED_UP:
        ctx["close_form"] = CloseForm(initial=v)
    return render(request, "assessment/case_detail.html", ctx)


@guard("assessment.view")
@translation.override("zh-hans")  # an official document reads in Chinese in either interface
def notice_docx(request, pk: int):
    case = _case_or_404(request, pk)
    data = documents.interview_notice(case).to_bytes()
    audit.record("export", obj=case, message=f"下载约谈通知 {case.notice_number or '草稿'}")
    name = f"{documents.notice_title(case)}{'（' + case.notice_number + '）' if case.notice_number else '（草稿）'}.docx"
    return docx_response(name, data)


def _case_action(request, pk: int, operation: str, form_class, call):
    require(request.user, operation)
    case = _case_or_404(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(
                    request, gettext("%(field)s：%(error)s") % {"field": label, "error": e} if label else e
                )
    else:
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        with refused(request=request) as attempt:
            call(case, data, version)
        if attempt.ok:
            messages.success(request, gettext("已保存。"))
    return redirect("assessment:case_detail", pk=pk)


@require_POST
def case_notify(request, pk: int):
    return _case_action(
        request,
        pk,
        "assessment.interview",
        NotifyForm,
        lambda case, d, v: services.interview_notify(
            user=request.user, case=case, expected_version=v, at=timezone.now(), **d
        ),
    )


@require_POST
def case_record(request, pk: int):
    return _case_action(
        request,
        pk,
        "assessment.interview",
        RecordForm,
        lambda case, d, v: services.interview_record(
            user=request.user, case=case, at=timezone.now(), expected_version=v, **d
        ),
    )


@require_POST
def case_follow_up(request, pk: int):
    return _case_action(
        request,
        pk,
        "assessment.followup",
        FollowUpForm,
        lambda case, d, v: services.followup_submit(
            user=request.user, case=case, at=timezone.now(), expected_version=v, **d
        ),
    )


@require_POST
def case_close(request, pk: int):
    return _case_action(
        request,
        pk,
        "assessment.interview",
        CloseForm,
        lambda case, d, v: services.interview_close(user=request.user, case=case, expected_version=v, **d),
    )


# --- unit leaders ------------------------------------------------------------------------------------


@guard("assessment.view")
def leaders(request):
    today = timezone.localdate()
    year = int_param(request.GET.get("year") or request.POST.get("year"), latest_data_year(today), 2000, 2100)
    regions = selectors.units()
    current = selectors.leaders_for(year)
    can_manage = can(request.user, "assessment.manage")
    if request.method == "POST":
        require(request.user, "assessment.manage")
        saved, errors = 0, 0
        for r in regions:
            form = LeaderForm(request.POST, prefix=r.code)
            if not form.is_valid():
                errors += 1
                messages.error(
                    request,
                    gettext("%(field)s：%(error)s")
                    % {
                        "field": r.name,
                        "error": gettext("；").join(e for errs in form.errors.values() for e in errs),
                    },
                )
                continue
            if any(form.cleaned_data.values()) or r.pk in current:
                services.unit_leader_save(user=request.user, region=r, year=year, data=form.cleaned_data)
                saved += 1
        if not errors:
            messages.success(
                request,
                gettext("%(year)s年县市领导名单已保存（%(n)s 个单位）。") % {"year": year, "n": saved},
            )
            return redirect(f"{reverse('assessment:leaders')}?year={year}")
    rows = []
    for r in regions:
        leader = current.get(r.pk)
        initial = {k: getattr(leader, k) for k in services.LEADER_FIELDS} if leader else {}
        rows.append({"region": r, "leader": leader, "form": LeaderForm(initial=initial, prefix=r.code)})
    return render(request, "assessment/leaders.html", {
        "rows": rows, "year": year, "years": range(2017, today.year + 2), "can_manage": can_manage,
    })  # fmt: skip


# --- early warning -----------------------------------------------------------------------------------


@guard("assessment.view")
def warning(request):
    today = timezone.localdate()
    latest = selectors.latest_statistic_month() or (today.year, today.month)
    year = int_param(request.GET.get("year"), latest[0], 2000, 2100)
    month = int_param(request.GET.get("month"), latest[1] if year == latest[0] else 12, 1, 12)
    basis = _basis(request, year)
    outlooks = selectors.warning_compute(year, month, basis)
    return render(request, "assessment/warning.html", {
        "outlooks": outlooks, "year": year, "month": month, "basis": basis, "bases": BASES, "flags": FLAGS,
        "years": range(2018, max(today.year, year) + 1), "months": range(1, 13),
    })  # fmt: skip


# --- accountability ----------------------------------------------------------------------------------


@guard("assessment.view")
def accountability_list(request):
    today = timezone.localdate()
    as_of = _date(request.GET.get("as_of"), default_as_of(today))
    region_id = request.user.region_id if request.user.role == Role.CLERK else None
    only = request.GET.get("source") or None
    items = accountability.overdue_items(as_of=as_of, region_id=region_id, only=[only] if only else None)
    state = request.GET.get("state", "")
    if state == "open":
        items = [i for i in items if i.done_date is None]
    elif state == "late":
        items = [i for i in items if i.done_date is not None]
    return render(request, "assessment/accountability.html", {
        "items": items, "summary": accountability.summarise(items), "as_of": as_of, "sources": accountability.sources(),
        "source": only or "", "state": state,
    })  # fmt: skip


# --- meeting pack ------------------------------------------------------------------------------------


@guard("assessment.pack")
def meeting_pack(request):
    today = timezone.localdate()
    period = _period(request, today)
    if not period.is_quarter:
        period = Period.containing(period.year, period.end_month)
    # The meeting is held after the quarter: by default the 20th of the following month (or today).
    y, m = (period.year + 1, 1) if period.end_month == 12 else (period.year, period.end_month + 1)
    as_of = _date(request.GET.get("as_of"), min(today, dt.date(y, m, 20)))
    ref = services.meeting_pack_ref(period)
    if request.method == "POST":
        require(request.user, "assessment.publish")
        with refused(request=request) as attempt:
            entry = services.meeting_pack_number(
                user=request.user, period=period, at=timezone.now(), issue_date=as_of
            )
        if attempt.ok:
            messages.success(request, gettext("已登记发文字号：%(number)s") % {"number": entry.text})
        return redirect(f"{reverse('assessment:meeting_pack')}?period={period}&as_of={as_of:%Y-%m-%d}")
    entry = number_of(DocKind.MEETING_PACK, ref=ref)
    if request.GET.get("download"):
        with translation.override("zh-hans"):  # an official document reads in Chinese in either interface
            data = selectors.meeting_pack_data(period, as_of=as_of, user=request.user)
            number = DocumentNumber(entry.issuer, entry.year, entry.serial) if entry else None
            doc = documents.meeting_pack(data, date=as_of, number=number)
        audit.record("export", object_type="assessment.meeting_pack", object_id=str(period),
                     message=f"下载{period.label}联席会议材料")  # fmt: skip
        return docx_response(f"{period.label}联席会议材料.docx", doc.to_bytes())
    quarters = [p for p in _period_choices(period) if p.is_quarter]
    context = {
        "period": period, "as_of": as_of, "quarters": quarters, "number": entry,
        "can_number": can(request.user, "assessment.publish"),
    }  # fmt: skip
    return render(request, "assessment/meeting_pack.html", context)
