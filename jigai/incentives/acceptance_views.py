"""The acceptance page of a project (验收, 4.2): the inspections so far, a form for the next, amendments."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit
from jigai.core.edges import refused
from jigai.core.money import wan_to_yuan, yuan_to_wan
from jigai.documents.http import docx_response
from jigai.policy import evaluate_records
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project, ProjectStatus

from . import documents, selectors, services
from .acceptance_forms import AcceptanceForm, AmendmentForm
from .models import Acceptance, Outcome
from .projects import project_record


def _project_or_404(request, pk: int) -> Project:
    project = registry_selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk, gettext("项目不存在或无权访问"))
    return project


@guard("acceptance.view")
def project_acceptance(request, pk: int):
    project = _project_or_404(request, pk)
    application = selectors.application_for_project(project)
    may_inspect = can(request.user, "acceptance.inspect") and project.status == ProjectStatus.COMPLETED
    form = None
    if may_inspect:
        form = AcceptanceForm(
            request.POST if request.method == "POST" else None,
            initial={"inspection_date": timezone.localdate(), "team": [request.user], "leader": request.user},
        )
        if request.method == "POST" and form.is_valid():
            verdicts = None
            if application is not None:  # each equipment line accepted or rejected with a reason (4.2)
                verdicts = {
                    line.pk: (
                        request.POST.get(f"line_{line.pk}", ""),
                        request.POST.get(f"reason_{line.pk}", ""),
                    )
                    for line in application.equipment_lines.all()
                }
            with refused(form=form, field_map={**AcceptanceForm.FIELD_MAP, "lines": None}) as attempt:
                acceptance = services.acceptance_record(
                    user=request.user,
                    project=project,
                    at=timezone.now(),
                    line_verdicts=verdicts,
                    **form.domain_data(),
                )
            if attempt.ok:
                messages.success(
                    request,
                    gettext("验收结果“%(outcome)s”已登记。") % {"outcome": acceptance.get_outcome_display()},
                )
                return redirect("acceptance:project", pk=project.pk)
    elif request.method == "POST":
        return redirect("acceptance:project", pk=project.pk)
    acceptances = list(selectors.acceptance_list(request.user, project_id=project.pk))
    passed = next((a for a in acceptances if a.outcome == Outcome.PASS), None)
    amend_form = None
    if passed is not None and can(request.user, "acceptance.amend"):
        amend_form = AmendmentForm(
            initial={
                "verified_equipment_investment_wan": yuan_to_wan(passed.verified_equipment_investment_yuan),
                "verified_fixed_asset_investment_wan": yuan_to_wan(
                    passed.verified_fixed_asset_investment_yuan
                ),
                "version": passed.version,
            }
        )
    decisions = []
    if passed is not None:  # 4.2: decided on the verified figures (docs/programme.md, reading 14)
        decisions, _errors = evaluate_records([project_record(project)])
    return render(
        request,
        "incentives/acceptance.html",
        {
            "project": project,
            "acceptances": acceptances,
            "passed": passed,
            "form": form,
            "amend_form": amend_form,
            "decisions": decisions,
            "application": application,
            "lines": list(application.equipment_lines.order_by("id")) if application else [],
        },
    )


@require_POST
@guard("acceptance.amend")
def acceptance_amend(request, pk: int):
    acceptance = selectors.acceptance_detail(request.user, pk)
    if acceptance is None:
        raise not_found(Acceptance, pk, gettext("验收记录不存在或无权访问"))
    form = AmendmentForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data

        with refused(request=request) as attempt:
            services.acceptance_amend(
                user=request.user,
                acceptance=acceptance,
                verified_equipment_investment_yuan=wan_to_yuan(cd["verified_equipment_investment_wan"]),
                verified_fixed_asset_investment_yuan=wan_to_yuan(cd["verified_fixed_asset_investment_wan"]),
                reason=cd["reason"],
                expected_version=cd["version"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("验收核定数已更正。"))
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(
                    request, gettext("%(label)s：%(error)s") % {"label": label, "error": e} if label else e
                )
    return redirect("acceptance:project", pk=acceptance.project_id)


@guard("acceptance.view")
def opinion_docx(request, pk: int):
    """验收意见 (.docx, GB/T 9704-2012) of one inspection; the download is audited."""
    acceptance = selectors.acceptance_detail(request.user, pk)
    if acceptance is None:
        raise not_found(Acceptance, pk, gettext("验收记录不存在或无权访问"))
    data = documents.acceptance_opinion(acceptance).to_bytes()
    audit.record("export", obj=acceptance, message=f"下载验收意见 {acceptance.project.name}")
    name = f"{documents.opinion_title(acceptance)}（{acceptance.inspection_date:%Y-%m-%d}）.docx"
    return docx_response(name, data)
