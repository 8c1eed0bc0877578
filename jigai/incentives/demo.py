"""Demo acceptances (验收, 4.2): every accepted demo project gets its passed inspection, and a few
completed ones a failed or a rectify-and-reinspect one, so the acceptance pages have content."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from jigai.accounts.models import User
from jigai.core import audit
from jigai.core.money import round_yuan
from jigai.registry.models import Project, ProjectStatus, ProjectTransition

from . import services
from .models import Acceptance, Outcome

FINDINGS = (
    "现场核查生产线设备已安装调试到位，设备发票、合同与申报清单相符，项目已竣工投产。",
    "设备已到位并投入使用，固定资产投资凭证齐全，同意通过验收。",
)


def build(*, seed: int, now: dt.datetime) -> dict:
    rng = random.Random(seed + 12)
    office, finance = User.objects.get(username="office"), User.objects.get(username="finance")
    accepted_on = dict(
        ProjectTransition.objects.filter(to_status=ProjectStatus.ACCEPTED).values_list(
            "project_id", "effective_date"
        )
    )
    rows = []
    for p in Project.objects.filter(status=ProjectStatus.ACCEPTED).order_by("id"):
        eq, fa = p.equipment_investment_yuan, p.fixed_asset_investment_yuan
        reason = ""
        if rng.random() < 0.15:  # an item or two of the claimed equipment not accepted
            eq = round_yuan(eq * Decimal(rng.choice(("0.92", "0.95", "0.97"))))
            reason = "部分设备发票与合同不符，未计入核定设备投资"
        rows.append(
            Acceptance(
                project=p,
                inspection_date=accepted_on.get(p.pk) or p.actual_completion_date or dt.date(2020, 12, 31),
                leader=office,
                findings=rng.choice(FINDINGS),
                outcome=Outcome.PASS,
                claimed_equipment_investment_yuan=p.equipment_investment_yuan,
                claimed_fixed_asset_investment_yuan=p.fixed_asset_investment_yuan,
                verified_equipment_investment_yuan=eq,
                verified_fixed_asset_investment_yuan=fa,
                adjustment_reason=reason,
                recorded_by=office,
                recorded_at=now,
            )
        )
    created = Acceptance.objects.bulk_create(rows, batch_size=500)
    Through = Acceptance.team.through
    Through.objects.bulk_create(
        [Through(acceptance_id=a.pk, user_id=u.pk) for a in created for u in (office, finance)],
        batch_size=1000,
    )
    # Bulk-created for speed, but never past the audit log: one record per acceptance, as the dispatch
    # demo does (no bulk path bypasses the audit).
    audit.record_many({"event": "create", "obj": a, "after": audit.snapshot(a)} for a in created)
    # Two completed projects: one failed, one told to rectify and then re-inspected and passed.
    completed = list(
        Project.objects.filter(status=ProjectStatus.COMPLETED, actual_completion_date__isnull=False).order_by(
            "id"
        )[:2]
    )
    team = [office, finance]
    for i, p in enumerate(completed):
        first = p.actual_completion_date + dt.timedelta(days=40)
        if i == 0:
            services.acceptance_record(
                user=office, project=p, inspection_date=first, team=team, leader=office,
                findings="主要设备尚未安装到位，生产线未达到设计产能，不同意通过验收。", outcome=Outcome.FAIL, at=now,
            )  # fmt: skip
        else:
            services.acceptance_record(
                user=finance, project=p, inspection_date=first, team=team, leader=finance,
                findings="环保设施未完成验收，设备发票缺两张，限期整改后复验。", outcome=Outcome.RECTIFY,
                rectify_deadline_date=first + dt.timedelta(days=30), at=now,
            )  # fmt: skip
            services.acceptance_record(
                user=office, project=p, inspection_date=first + dt.timedelta(days=28), team=team, leader=office,
                findings="整改到位，补齐发票，同意通过验收。", outcome=Outcome.PASS, at=now,
            )  # fmt: skip
    return {"acceptances": Acceptance.objects.count()}
