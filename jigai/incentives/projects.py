"""A project in the library, as the policy engine's input record (registry → incentives)."""

from __future__ import annotations

from jigai.registry.models import Project, ProjectStatus

from .models import Acceptance, Outcome

IN_PRODUCTION = {ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED}


def project_record(p: Project) -> dict:
    """The facts of 3.1.1 and 3.2 from the library: actual dates where known, else planned ones.

    `plan_year` is the earliest annual plan the project is listed in (3.1.1 uses the parameters of the
    plan year); empty when it is in none, which 3.1.1 then refuses with its reason.

    Once the project has passed acceptance, the record carries the figures the inspection verified (as
    amended since), and 3.1.1 and 3.2 are decided on them, no longer an estimate on the claimed figures
    (4.2; docs/programme.md, reading 14).
    """
    years = sorted(y.year for y in p.plan_years.all())
    start = p.actual_start_date or p.planned_start_date
    completion = p.actual_completion_date or p.planned_completion_date
    record = {
        "project_id": str(p.pk),
        "registered_in_prefecture": p.enterprise.registered_in_prefecture,
        "conforms_industrial_policy": p.conforms_industrial_policy,
        "plan_year": years[0] if years else "",
        "industry_division": p.industry.code,
        "key_project": p.is_key,
        "start_date": start.isoformat() if start else "",
        "completion_date": completion.isoformat() if completion else "",
        "in_production": p.status in IN_PRODUCTION,
        "equipment_investment_yuan": str(p.equipment_investment_yuan),
        "fixed_asset_investment_yuan": str(p.fixed_asset_investment_yuan),
        "region_code": p.region.code,
    }
    if p.status == ProjectStatus.ACCEPTED:
        passed = Acceptance.objects.filter(project_id=p.pk, outcome=Outcome.PASS).first()
        if passed is not None:
            record["verified_equipment_investment_yuan"] = str(passed.verified_equipment_investment_yuan)
            record["verified_fixed_asset_investment_yuan"] = str(passed.verified_fixed_asset_investment_yuan)
    return record
