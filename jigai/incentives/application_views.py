"""The application pages (申报): 我的申报 (the list), one application with its step line, the clerk's check
(forward or return with reasons), and the equipment-list import (upload → preview → 确认导入)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, in_unit, not_found
from jigai.attachments.selectors import attachments_for
from jigai.attachments.services import attachment_store
from jigai.core.edges import form_errors_to_messages, refused
from jigai.core.money import yuan_to_wan
from jigai.documents.http import xlsx_response
from jigai.imports import ImportWriteError, UploadRefused, build_template, check_upload, run, validate
from jigai.registry import selectors as registry_selectors
from jigai.registry.import_views import _forget, _keep, _kept
from jigai.registry.imports import context_for
from jigai.registry.models import Project, ProjectStatus

from . import selectors, services
from .application_forms import (
    ApplicationForm,
    AttachmentForm,
    EquipmentLineForm,
    LoanLineForm,
    ReturnForm,
    UploadForm,
)
from .equipment_import import equipment_import_spec
from .models import EDITABLE_STATES, Application, ApplicationState, EquipmentLine, LoanLine


def _app_or_404(request, pk: int) -> Application:
    app = selectors.application_detail(request.user, pk)
    if app is None:
        raise not_found(Application, pk, gettext("申报不存在或无权访问"))
    return app


@guard("application.view")
def application_list(request):
    state = request.GET.get("state", "")
    apps = list(selectors.application_list(request.user, state=state)[:500])
    candidates = []
    if can(request.user, "application.edit"):
        candidates = list(
            registry_selectors.project_queryset(request.user)
            .filter(status=ProjectStatus.COMPLETED, application__isnull=True)
            .select_related("enterprise")
            .order_by("name", "id")[:200]
        )
    return render(
        request,
        "incentives/application_list.html",
        {"applications": apps, "states": ApplicationState.choices, "state": state, "candidates": candidates},
    )


@guard("application.edit")
def application_new(request, project_pk: int):
    project = registry_selectors.project_detail(request.user, project_pk)
    if project is None:
        raise not_found(Project, project_pk, gettext("项目不存在或无权访问"))
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "claimed_equipment_investment_wan": yuan_to_wan(project.equipment_investment_yuan),
            "claimed_fixed_asset_investment_wan": yuan_to_wan(project.fixed_asset_investment_yuan),
        },
    )
    if request.method == "POST" and form.is_valid():
        with refused(form=form, field_map=ApplicationForm.FIELD_MAP) as attempt:
            app = services.application_create(
                user=request.user, project=project, at=timezone.now(), **form.domain_data()
            )
        if attempt.ok:
            messages.success(request, gettext("申报已创建，请填写或导入设备清单后提交。"))
            return redirect("applications:detail", pk=app.pk)
    return render(request, "incentives/application_form.html", {"project": project, "form": form})


@guard("application.view")
def application_detail(request, pk: int):
    app = _app_or_404(request, pk)
    user = request.user
    editable = app.state in EDITABLE_STATES and can(user, "application.edit") and in_unit(user, app)
    items = selectors.funds_items(app)
    context = {
        "app": app,
        "project": app.project,
        "steps": selectors.application_steps(app, items),
        "items": items,
        "lines": list(app.equipment_lines.all()),
        "loans": list(app.loan_lines.all()),
        "decisions": list(app.decisions.all()),
        "line_total": sum(line.amount_yuan for line in app.equipment_lines.all()),
        "editable": editable,
        "may_check": app.state == ApplicationState.SUBMITTED and can(user, "application.check"),
        "may_inspect": can(user, "acceptance.view") and app.state != ApplicationState.DRAFT,
        "may_propose": app.state == ApplicationState.DECIDED
        and app.proposed_at is None
        and can(user, "funds.propose"),
        "problems": services.completeness_problems(app) if app.state in EDITABLE_STATES else {},
        "attachments": list(attachments_for(app)),
        "may_attach": services.may_attach(user, app),
    }
    if editable:
        context["edit_form"] = ApplicationForm(
            initial={
                "claimed_equipment_investment_wan": yuan_to_wan(app.claimed_equipment_investment_yuan),
                "claimed_fixed_asset_investment_wan": yuan_to_wan(app.claimed_fixed_asset_investment_yuan),
                "support_mode": app.support_mode,
                "version": app.version,
            }
        )
        context["line_form"] = EquipmentLineForm()
        context["loan_form"] = LoanLineForm()
        context["attachment_form"] = AttachmentForm()
    if context["may_check"]:
        context["return_form"] = ReturnForm()
    return render(request, "incentives/application_detail.html", context)


@require_POST
@guard("application.edit")
def application_edit(request, pk: int):
    app = _app_or_404(request, pk)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.application_update(
                user=request.user,
                application=app,
                expected_version=form.cleaned_data.get("version") or 0,
                at=timezone.now(),
                **form.domain_data(),
            )
        if attempt.ok:
            messages.success(request, gettext("申报已保存。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def line_add(request, pk: int):
    app = _app_or_404(request, pk)
    form = EquipmentLineForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.equipment_line_add(
                user=request.user, application=app, at=timezone.now(), **form.cleaned_data
            )
        if attempt.ok:
            messages.success(request, gettext("设备已加入清单。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def line_delete(request, pk: int, line_pk: int):
    app = _app_or_404(request, pk)
    line = EquipmentLine.objects.filter(pk=line_pk, application=app).first()
    if line is None:
        raise not_found(EquipmentLine, line_pk)
    with refused(request=request):
        services.equipment_line_delete(user=request.user, line=line, at=timezone.now())
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def loan_add(request, pk: int):
    app = _app_or_404(request, pk)
    form = LoanLineForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.loan_line_add(user=request.user, application=app, at=timezone.now(), **form.cleaned_data)
        if attempt.ok:
            messages.success(request, gettext("贷款已登记。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def loan_delete(request, pk: int, loan_pk: int):
    app = _app_or_404(request, pk)
    loan = LoanLine.objects.filter(pk=loan_pk, application=app).first()
    if loan is None:
        raise not_found(LoanLine, loan_pk)
    with refused(request=request):
        services.loan_line_delete(user=request.user, line=loan, at=timezone.now())
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def submit(request, pk: int):
    app = _app_or_404(request, pk)
    with refused(request=request) as attempt:
        services.application_submit(user=request.user, application=app, at=timezone.now())
    if attempt.ok:
        messages.success(request, gettext("申报已提交，等待县市经办人受理。"))
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.check")
def forward(request, pk: int):
    app = _app_or_404(request, pk)
    with refused(request=request) as attempt:
        services.application_forward(user=request.user, application=app, at=timezone.now())
    if attempt.ok:
        messages.success(request, gettext("申报已受理，转州项目办和财政部门验收。"))
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.check")
def send_back(request, pk: int):
    app = _app_or_404(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.application_return(
                user=request.user, application=app, reasons=form.cleaned_data["reasons"], at=timezone.now()
            )
        if attempt.ok:
            messages.success(request, gettext("申报已退回补正。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("funds.propose")
def propose(request, pk: int):
    app = _app_or_404(request, pk)
    with refused(request=request) as attempt:
        services.application_propose(user=request.user, application=app, at=timezone.now())
    if attempt.ok:
        messages.success(request, gettext("奖补决定已提交资金审批。"))
    return redirect("applications:detail", pk=app.pk)


@require_POST
@guard("application.edit")
def attachment_upload(request, pk: int):
    """A supporting file (invoice, contract, completion report …) through jigai.attachments."""
    app = _app_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refused(request=request) as attempt:
            attachment_store(
                user=request.user,
                owner=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("附件已上传。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("applications:detail", pk=app.pk)


# --- the equipment list through the shared import engine ---------------------------------------------


def _table(app: Application) -> str:
    return f"equipment:{app.pk}"


@guard("application.edit")
def equipment_template(request, pk: int):
    app = _app_or_404(request, pk)
    return xlsx_response(gettext("设备清单导入模板.xlsx"), build_template(equipment_import_spec(app)))


@guard("application.edit")
def equipment_import(request, pk: int):
    """Upload → preview (nothing written) → 确认导入 (the kept file, never a re-uploaded one)."""
    app = _app_or_404(request, pk)
    if not (app.state in EDITABLE_STATES and in_unit(request.user, app)):
        messages.error(request, gettext("申报当前不能修改设备清单"))
        return redirect("applications:detail", pk=app.pk)
    spec = equipment_import_spec(app)
    ip = getattr(request, "client_ip", "")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"app": app, "form": form, "report": None, "token": None}
    if request.method == "POST" and request.POST.get("token"):
        kept = _kept(request.user, request.POST["token"])
        if kept is None or kept[1].get("table") != _table(app):
            messages.error(request, gettext("上传的文件已过期或已经导入，请重新上传"))
            return redirect("applications:import", pk=app.pk)
        data, meta = kept
        try:
            # The shared engine; the write (and its audit record) is services.equipment_lines_save's.
            report = run(
                spec, data, context_for(request.user, ip=ip, at=timezone.now()), filename=meta["filename"]
            )
        except ImportWriteError as exc:
            report = exc.report
        if report.written:
            _forget(request.user, request.POST["token"])
            messages.success(request, gettext("设备清单已导入。"))
            return redirect("applications:detail", pk=app.pk)
        context.update(report=report, issues=_issues(report))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = check_upload(upload, filename=upload.name)
        except UploadRefused as exc:
            form.add_error("file", exc.message)
        else:
            report = validate(
                spec,
                checked.data,
                context_for(request.user, ip=ip, at=timezone.now()),
                filename=checked.filename,
            )
            token = None
            if not report.refused and not report.has_rejections:
                token = _keep(request.user, _table(app), checked.filename, checked.sha256, checked.data, 0)
            context.update(report=report, token=token, issues=_issues(report))
    return render(request, "incentives/equipment_import.html", context)


def _issues(report) -> list:
    out = list(report.file_errors) + list(report.file_warnings)
    for row in report.rows:
        out.extend(row.issues)
    return out[:500]
