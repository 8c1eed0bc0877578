from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext

from jigai.accounts.permissions import guard, not_found
from jigai.core import audit
from jigai.core.money import yuan_to_wan
from jigai.core.params import id_param
from jigai.policy import award_records, evaluate_records
from jigai.registry import selectors
from jigai.registry.models import Project

from .forms import AwardForm, CalculatorForm
from .plain import plain_decision
from .projects import project_record


def _initial_from_project(project) -> dict:
    rec = project_record(project)
    return {
        "registered_in_prefecture": rec["registered_in_prefecture"],
        "conforms_industrial_policy": rec["conforms_industrial_policy"],
        "plan_year": rec["plan_year"] or None,
        "industry_division": rec["industry_division"],
        "key_project": rec["key_project"],
        "start_date": rec["start_date"] or None,
        "completion_date": rec["completion_date"] or None,
        "in_production": rec["in_production"],
        "equipment_investment_wan": yuan_to_wan(Decimal(rec["equipment_investment_yuan"])),
        "fixed_asset_investment_wan": yuan_to_wan(Decimal(rec["fixed_asset_investment_yuan"])),
        **{
            f"verified_{f}_wan": yuan_to_wan(Decimal(rec[f"verified_{f}_yuan"]))
            for f in ("equipment_investment", "fixed_asset_investment")
            if f"verified_{f}_yuan" in rec
        },
    }


@guard("policy.evaluate")
def calculator(request):
    project = None
    project_id = id_param(request.GET.get("project"))
    if project_id is not None:
        project = selectors.project_detail(request.user, project_id)
        if project is None:
            raise not_found(Project, project_id, gettext("项目不存在或无权访问"))
    decisions, errors, award_decisions = [], [], []
    form = CalculatorForm(
        request.POST if request.POST.get("kind") == "project" else None,
        initial=_initial_from_project(project) if project else None,
    )
    award_form = AwardForm(request.POST if request.POST.get("kind") == "award" else None)
    if request.method == "POST" and request.POST.get("kind") == "project" and form.is_valid():
        decisions, errors = evaluate_records([form.record(str(project.pk) if project else "试算")])
        audit.record("calculation", object_type="policy.evaluate", message="政策计算器")
    if request.method == "POST" and request.POST.get("kind") == "award" and award_form.is_valid():
        cd = award_form.cleaned_data
        award_decisions, errors = award_records([{"enterprise_id": "试算", **cd}])
        audit.record("calculation", object_type="policy.awards", message="政策计算器")
    return render(
        request,
        "incentives/calculator.html",
        {
            "form": form,
            "award_form": award_form,
            # The page shows the decisions in plain words; codes and raw values stay in the API.
            "decisions": [plain_decision(d) for d in decisions],
            "award_decisions": [plain_decision(d) for d in award_decisions],
            "errors": errors,
            "project": project,
        },
    )
