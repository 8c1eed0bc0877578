"""The demo's proposals to the money path: the 3.1.1 and 3.2 decisions of accepted demo projects, on
their verified figures, handed over as the incentives app will from its applications."""

from __future__ import annotations

from decimal import Decimal

from jigai.incentives.projects import project_record
from jigai.policy import evaluate_records
from jigai.registry.models import Project, ProjectStatus


def accepted_project_proposals(limit: int = 30) -> list[dict]:
    projects = list(
        # A project with an application (申报) is handed over by incentives itself (application:<id>:<clause>).
        Project.objects.filter(status=ProjectStatus.ACCEPTED, application__isnull=True)
        .select_related("enterprise", "region", "industry")
        .prefetch_related("plan_years")
        .order_by("pk")
    )
    by_id = {str(p.pk): p for p in projects}
    decisions, _errors = evaluate_records([project_record(p) for p in projects])
    out = []
    for d in decisions:
        amount = Decimal(d["amount_yuan"])
        if amount <= 0 or d["project_id"] not in by_id:
            continue
        p = by_id[d["project_id"]]
        out.append(
            {
                "source": f"demo:{p.pk}:{d['clause']}",
                "clause": d["clause"],
                # The budget year the amount counts in: the demo spreads its proposals over 2019 and 2020.
                "year": 2019 if len(out) < limit * 3 // 5 else 2020,
                "enterprise": p.enterprise,
                "project": p,
                "region": p.region,
                "entitled_yuan": amount,
                "prefecture_share_yuan": Decimal(d["prefecture_share_yuan"]),
                "county_share_yuan": Decimal(d["county_share_yuan"]),
                "decision": {k: v for k, v in d.items() if k != "explanation"},
                "explanation": d.get("explanation", ""),
            }
        )
        if len(out) >= limit:
            break
    return out
