"""Pages of the enterprise services (企业服务): the overview, a project's services, my projects (秘书),
online filing with its receipt, consultation meetings with their minutes. Each view validates, makes one
domain call and renders; another unit's or enterprise's record answers 404 (docs/security.md)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_POST

from jigai.accounts.models import Role
from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit
from jigai.core.edges import form_errors_to_messages, refused
from jigai.core.errors import NotFoundError
from jigai.documents.http import docx_response
from jigai.registry.models import Project, ProjectStatus

from . import documents, selectors, services
from .forms import (
    DECISION_ROWS,
    DecisionForm,
    FactsForm,
    FilingForm,
    FollowUpCloseForm,
    ItemAddForm,
    ItemForm,
    LandForm,
    LandPriorityForm,
    MeetingForm,
    SecretaryForm,
)
from .models import ApprovalItem, Filing, FollowUp, Meeting, Outcome

LIVE = (ProjectStatus.RESERVE, ProjectStatus.CONSTRUCTION, ProjectStatus.COMPLETED)


def _project_or_404(request, pk: int) -> Project:
    project = selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk, gettext("项目不存在或无权访问"))
    return project


@guard("support.view")
def index(request):
    user = request.user
    today = timezone.localdate()
    projects = selectors.projects_for(user)
    ctx = {
        "today": today,
        "overdue": list(selectors.overdue_items(user, today)[:100]),
        "filings": list(selectors.filings_for(user).order_by("-filed_at", "-id")[:20]),
        "is_secretary": user.secretary_of.exists(),
    }
    if user.role == Role.ENTERPRISE:
        ctx["own"] = [
            {"project": p, "secretary": selectors.secretary_of(p), "items": selectors.project_items(p)}
            for p in projects.select_related("region").order_by("name", "id")[:50]
        ]
    else:
        ctx["unassigned"] = list(
            projects.filter(is_key=True, status__in=LIVE, secretary__isnull=True)
            .select_related("enterprise", "region")
            .order_by("region__code", "name", "id")[:100]
        )
        ctx["key_count"] = projects.filter(is_key=True, status__in=LIVE).count()
    return render(request, "support/index.html", ctx)


@guard("support.view")
def mine(request):
    """我的项目: the projects the user serves as secretary, each with what waits on them."""
    return render(
        request,
        "support/mine.html",
        {"rows": selectors.secretary_projects(request.user), "today": timezone.localdate()},
    )


def _project_context(request, project, **forms) -> dict:
    user = request.user
    secretary = selectors.secretary_of(project)
    land = selectors.land_of(project)
    items = selectors.project_items(project)
    may_edit = can(user, "support.approval")
    ctx = {
        "project": project,
        "secretary": secretary,
        "items": items,
        "today": timezone.localdate(),
        "land": land,
        "land_decision": services.land_decision(land) if land else None,
        "filings": list(project.filings.select_related("filed_by").order_by("-filed_at", "-id")),
        "meetings": list(selectors.meetings_for(user).filter(projects=project).order_by("-date", "-id"))
        if can(user, "support.meeting.view")
        else [],
        "may_edit": may_edit,
        "may_file": can(user, "support.filing") and project.status in LIVE,
    }
    if can(user, "support.secretary"):
        ctx["secretary_form"] = forms.get("secretary_form") or SecretaryForm(
            initial={
                "secretary": secretary.user if secretary else None,
                "phone": secretary.phone if secretary else "",
                "version": secretary.version if secretary else 0,
            }
        )
    if may_edit:
        ctx["facts_form"] = forms.get("facts_form") or FactsForm()
        ctx["add_form"] = ItemAddForm()
        ctx["item_forms"] = [
            (
                i,
                ItemForm(
                    initial={
                        "state": i.state,
                        "department": i.department,
                        "time_limit_days": i.time_limit_days,
                        "started_date": i.started_date,
                        "done_date": i.done_date,
                        "note": i.note,
                        "version": i.version,
                    },
                    prefix=f"i{i.pk}",
                ),
            )
            for i in items
        ]
    if can(user, "support.land"):
        initial = {"version": land.version if land else 0, "application_date": timezone.localdate()}
        if land:
            initial.update({f: getattr(land, f) for f in LandForm.base_fields if f != "version"})
        ctx["land_form"] = forms.get("land_form") or LandForm(initial=initial)
        ctx["priority_form"] = LandPriorityForm(initial={"started_date": timezone.localdate()})
    return ctx


@guard("support.view")
def project(request, pk: int):
    project = _project_or_404(request, pk)
    return render(request, "support/project.html", _project_context(request, project))


@require_POST
@guard("support.secretary")
def secretary(request, pk: int):
    project = _project_or_404(request, pk)
    form = SecretaryForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        with refused(form=form) as attempt:
            services.secretary_assign(
                user=request.user,
                project=project,
                secretary=cd["secretary"],
                phone=cd["phone"],
                expected_version=cd.get("version"),
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("项目秘书已指定。"))
            return redirect("support:project", pk=project.pk)
    return render(request, "support/project.html", _project_context(request, project, secretary_form=form))


def _proposed_message(created) -> str:
    if not created:
        return gettext("按第3.5条提出审批事项：该项目需要的审批事项都已列入，没有新增。")
    kinds = pgettext("list separator", "、").join(str(i.get_kind_display()) for i in created)
    return ngettext(
        "按第3.5条新增审批事项 %(n)s 项：%(kinds)s。",
        "按第3.5条新增审批事项 %(n)s 项：%(kinds)s。",
        len(created),
    ) % {"n": len(created), "kinds": kinds}


@require_POST
@guard("support.approval")
def propose(request, pk: int):
    project = _project_or_404(request, pk)
    form = FactsForm(request.POST)
    if form.is_valid():
        with refused(form=form) as attempt:
            _, created = services.approvals_propose(
                user=request.user,
                project=project,
                facts=form.facts(),
                today=timezone.localdate(),
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, _proposed_message(created))
            return redirect("support:project", pk=project.pk)
    return render(request, "support/project.html", _project_context(request, project, facts_form=form))


@require_POST
@guard("support.approval")
def item_add(request, pk: int):
    project = _project_or_404(request, pk)
    form = ItemAddForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.approval_add(
                user=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("审批事项已添加。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("support:project", pk=project.pk)


@require_POST
@guard("support.approval")
def item_update(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    if item is None:
        raise not_found(ApprovalItem, pk, gettext("审批事项不存在或无权访问"))
    form = ItemForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        cd = form.cleaned_data
        with refused(request=request) as attempt:
            services.approval_update(
                user=request.user,
                item=item,
                state=cd["state"],
                department=cd["department"],
                time_limit_days=cd["time_limit_days"],
                started_date=cd.get("started_date"),
                done_date=cd.get("done_date"),
                note=cd.get("note", ""),
                expected_version=cd["version"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("“%(kind)s”已更新。") % {"kind": item.get_kind_display()})
    else:
        form_errors_to_messages(request, form)
    return redirect("support:project", pk=item.project_id)


@require_POST
@guard("support.land")
def land(request, pk: int):
    project = _project_or_404(request, pk)
    form = LandForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        with refused(form=form) as attempt:
            services.land_save(
                user=request.user,
                project=project,
                data={k: v for k, v in cd.items() if k != "version"},
                expected_version=cd.get("version"),
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("用地情况已保存。"))
            return redirect("support:project", pk=project.pk)
    return render(request, "support/project.html", _project_context(request, project, land_form=form))


@require_POST
@guard("support.land")
def land_priority(request, pk: int):
    project = _project_or_404(request, pk)
    form = LandPriorityForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            items = services.land_priority(
                user=request.user,
                project=project,
                kinds=form.cleaned_data["kinds"],
                started_date=form.cleaned_data["started_date"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(
                request,
                ngettext("已登记优先办理 %(n)s 项。", "已登记优先办理 %(n)s 项。", len(items))
                % {"n": len(items)},
            )
    else:
        form_errors_to_messages(request, form)
    return redirect("support:project", pk=project.pk)


# --- online filing -----------------------------------------------------------------------------------------


@guard("support.view")
def filings(request):
    return render(
        request,
        "support/filings.html",
        {"filings": selectors.filings_for(request.user).order_by("-filed_at", "-id")[:500]},
    )


@guard("support.filing")
def filing_new(request):
    projects = selectors.projects_for(request.user).filter(status__in=LIVE).select_related("enterprise")
    projects = projects.order_by("name", "id")
    initial = {"filing_date": timezone.localdate(), "project": request.GET.get("project") or None}
    form = FilingForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        with refused(form=form) as attempt:
            filing = services.filing_submit(
                user=request.user,
                project=cd["project"],
                facts=form.facts(),
                content=cd["content"],
                filing_date=cd["filing_date"],
                at=timezone.now(),
            )
        if attempt.ok:
            if filing.outcome == Outcome.ELIGIBLE:
                messages.success(
                    request,
                    gettext("备案成功（零审批），备案号 %(number)s。") % {"number": filing.receipt_number},
                )
            else:
                messages.warning(
                    request, gettext("该项目不符合网上备案“零审批”条件，原因和需办理的审批见下。")
                )
            return redirect("support:filing", pk=filing.pk)
    return render(request, "support/filing_new.html", {"form": form})


def _filing_or_404(request, pk: int) -> Filing:
    filing = selectors.filing_detail(request.user, pk)
    if filing is None:
        raise not_found(Filing, pk, gettext("备案记录不存在或无权访问"))
    return filing


@guard("support.view")
def filing(request, pk: int):
    f = _filing_or_404(request, pk)
    number = documents.receipt_number(f) if f.outcome == Outcome.ELIGIBLE else None
    return render(request, "support/filing.html", {"filing": f, "number": number})


@guard("support.view")
def receipt_docx(request, pk: int):
    """备案回执 (.docx, GB/T 9704-2012) of a qualifying filing; the download is audited."""
    f = _filing_or_404(request, pk)
    if f.outcome != Outcome.ELIGIBLE:
        raise NotFoundError(gettext("该备案不符合“零审批”条件，没有备案回执"))
    with translation.override("zh-hans"):  # an official document: Chinese in either interface
        data = documents.filing_receipt(f).to_bytes()
    audit.record("export", obj=f, message=f"下载备案回执 {documents.receipt_number(f)}")
    return docx_response(f"{documents.receipt_title(f)}（{documents.receipt_number(f)}）.docx", data)


# --- consultation meetings ---------------------------------------------------------------------------------


@guard("support.meeting.view")
def meetings(request):
    user = request.user
    return render(
        request,
        "support/meetings.html",
        {
            "meetings": selectors.meetings_for(user).order_by("-date", "-id")[:200],
            "followups": selectors.followups_for(user)
            .filter(done_date__isnull=True)
            .order_by("due_date", "id")[:200],
            "today": timezone.localdate(),
            "may_record": can(user, "support.meeting"),
        },
    )


def _agenda_text(reports) -> str:
    return "\n".join(
        f"{r.region.name} {r.project.name}（{r.year}年{r.month}月）：{r.problems.strip()}"
        + (f"（请求协调：{r.department_asked}）" if r.department_asked else "")
        for r in reports
    )


@guard("support.meeting")
def meeting_new(request):
    user = request.user
    projects = selectors.projects_for(user).select_related("region").order_by("region__code", "name", "id")
    since = selectors.last_meeting_date(user)
    reports = selectors.agenda(user, since=since)
    initial = {
        "date": timezone.localdate(),
        "kind": Meeting.Kind.CONSULTATION,
        "problems": _agenda_text(reports),
        "projects": sorted({r.project_id for r in reports}),
    }
    form = MeetingForm(request.POST or None, projects=projects, initial=initial)
    rows = [
        DecisionForm(request.POST or None, projects=projects, prefix=f"d{i}") for i in range(DECISION_ROWS)
    ]
    if request.method == "POST" and form.is_valid() and all(r.is_valid() for r in rows):
        cd = form.cleaned_data
        decisions = [r.cleaned_data for r in rows if (r.cleaned_data.get("decision") or "").strip()]
        with refused(form=form) as attempt:
            meeting = services.meeting_record(
                user=user,
                kind=cd["kind"],
                title=cd["title"],
                date=cd["date"],
                chair=cd["chair"],
                participants=cd["participants"],
                projects=list(cd["projects"]),
                problems=cd["problems"],
                decisions=decisions,
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("会商已登记，议定事项已列入责任人的待办。"))
            return redirect("support:meeting", pk=meeting.pk)
    return render(
        request,
        "support/meeting_new.html",
        {"form": form, "rows": rows, "reports": reports, "since": since},
    )


def _meeting_or_404(request, pk: int) -> Meeting:
    m = selectors.meeting_detail(request.user, pk)
    if m is None:
        raise not_found(Meeting, pk, gettext("会商记录不存在或无权访问"))
    return m


@guard("support.meeting.view")
def meeting(request, pk: int):
    m = _meeting_or_404(request, pk)
    user = request.user
    followups = list(m.followups.select_related("owner", "project").order_by("id"))
    closable = {
        f.pk: FollowUpCloseForm(
            initial={"done_date": timezone.localdate(), "version": f.version}, prefix=f"f{f.pk}"
        )
        for f in followups
        if f.done_date is None
        and can(user, "support.followup")
        and (f.owner_id == user.pk or user.role == Role.OFFICE)
    }
    return render(
        request,
        "support/meeting.html",
        {
            "meeting": m,
            "projects": list(
                m.projects.select_related("region", "enterprise").order_by("region__code", "id")
            ),
            "followups": [(f, closable.get(f.pk)) for f in followups],
            "today": timezone.localdate(),
        },
    )


@guard("support.meeting.view")
def minutes_docx(request, pk: int):
    m = _meeting_or_404(request, pk)
    with translation.override("zh-hans"):  # an official document: Chinese in either interface
        data = documents.meeting_minutes(m).to_bytes()
    audit.record("export", obj=m, message=f"下载会议纪要 {m.title}")
    return docx_response(f"{documents.minutes_title(m)}（{m.date:%Y-%m-%d}）.docx", data)


@require_POST
@guard("support.followup")
def followup_close(request, pk: int):
    f = selectors.followup_detail(request.user, pk)
    if f is None:
        raise not_found(FollowUp, pk, gettext("议定事项不存在或无权访问"))
    form = FollowUpCloseForm(request.POST, prefix=f"f{f.pk}")
    if form.is_valid():
        cd = form.cleaned_data
        with refused(request=request) as attempt:
            services.followup_close(
                user=request.user,
                followup=f,
                done_date=cd["done_date"],
                result=cd["result"],
                expected_version=cd["version"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("落实情况已报告。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("support:meeting", pk=f.meeting_id)


ITEM_COLUMNS = [
    ("报送单位", "text"),
    ("企业", "text"),
    ("项目", "text"),
    ("审批事项", "text"),
    ("责任部门", "text"),
    ("办理状态", "text"),
    ("时限（工作日）", "int"),
    ("受理日期", "date"),
    ("办结期限", "date"),
    ("办结日期", "date"),
    ("逾期", "bool"),
    ("备注", "text"),
]


@guard("support.view")
def items_xlsx(request):
    """The approval items the user may see (an enterprise its own, a clerk their county's), as .xlsx;
    ``?overdue=1`` only the overdue ones. The export is audited. A filed table: Chinese in either
    interface."""
    with translation.override("zh-hans"):
        return _items_xlsx(request)


def _items_xlsx(request):
    from jigai.documents.http import xlsx_response
    from jigai.documents.spreadsheets import Sheet, write_xlsx

    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.overdue_items(request.user, today) if overdue else selectors.items_for(request.user)
    qs = qs.order_by("project__region__code", "project__name", "project_id", "kind", "id")
    rows = (
        [
            i.project.region.name,
            i.project.enterprise.name,
            i.project.name,
            str(i.get_kind_display()),
            i.department,
            str(i.get_state_display()),
            i.time_limit_days,
            i.started_date,
            i.due_date,
            i.done_date,
            i.state == "in_progress" and i.due_date is not None and i.due_date < today,
            i.note,
        ]
        for i in qs.iterator()
    )
    title = "逾期审批事项" if overdue else "审批事项"
    data = write_xlsx(
        [
            Sheet(
                title=title,
                caption=f"{title}（{today:%Y-%m-%d}）",
                headers=[h for h, _ in ITEM_COLUMNS],
                kinds=[k for _, k in ITEM_COLUMNS],
                rows=rows,
            )
        ]
    )
    audit.record("export", object_type="support.approvalitem", message=f"导出{title}")
    return xlsx_response(f"{title}_{today:%Y%m%d}.xlsx", data)
