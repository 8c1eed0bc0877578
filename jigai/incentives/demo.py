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
    summary = build_applications(seed=seed, now=now, skip={p.pk for p in completed})
    return {"acceptances": Acceptance.objects.count(), **summary}


# Applications (申报) at every stage, so that 我的申报, the clerk's check, the acceptance with its
# equipment lines and the decisions handed to funds all have content.
# The first stages go to the enterprises with a demo login: they see an application decided, approved,
# published and paid (jigai.funds' demo) as well as ones still in progress.
STAGES = (
    "rejected_line",
    "reinspected",
    "draft",
    "submitted",
    "returned",
    "forwarded",
    "failed",
    "rectifying",
    "loan_interest",
    "by_finance",
)
EQUIPMENT = (
    ("数控加工中心", "VMC-1160", "湖北华中数控有限公司"),
    ("工业机器人", "ER20-1700", "埃夫特智能装备股份有限公司"),
    ("全自动包装线", "ZB-300", "恩施州某机械制造有限公司"),
    ("在线检测设备", "JC-08", "武汉某仪器有限公司"),
)


def _lines(total: Decimal, rng: random.Random) -> list[tuple]:
    shares = [Decimal("0.45"), Decimal("0.30"), Decimal("0.15")]
    amounts = [round_yuan(total * s) for s in shares]
    amounts.append(total - sum(amounts))
    return [
        (name, model, rng.randint(1, 6), supplier, f"4200{rng.randint(10_000_000, 99_999_999)}", amount)
        for (name, model, supplier), amount in zip(EQUIPMENT, amounts, strict=True)
    ]


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    )
    return SimpleUploadedFile(name, body + b"trailer<</Root 1 0 R>>\n%%EOF\n", content_type="application/pdf")


def build_applications(*, seed: int, now: dt.datetime, skip: set[int]) -> dict:
    from jigai.attachments.services import attachment_store

    from .models import SupportMode

    rng = random.Random(seed + 1212)
    office, finance = User.objects.get(username="office"), User.objects.get(username="finance")
    team = [office, finance]
    by_code = {u.credit_code: u for u in User.objects.filter(role="enterprise").exclude(credit_code="")}
    clerks = {u.region_id: u for u in User.objects.filter(role="clerk").exclude(region=None)}
    candidates = [
        p
        for p in Project.objects.filter(status=ProjectStatus.COMPLETED, actual_completion_date__isnull=False)
        .select_related("enterprise")
        .order_by("id")
        if p.pk not in skip
        and p.equipment_investment_yuan > 0
        and p.equipment_investment_yuan <= p.fixed_asset_investment_yuan <= p.total_investment_yuan
    ]
    # Projects of enterprises with a demo user first, so that an enterprise login sees its applications.
    candidates.sort(key=lambda p: (p.enterprise.credit_code not in by_code, p.pk))
    made = 0
    for stage, project in zip(STAGES, candidates, strict=False):
        author = by_code.get(project.enterprise.credit_code) or clerks.get(project.region_id)
        clerk = clerks.get(project.region_id)
        if author is None or clerk is None:
            continue
        loan = stage == "loan_interest"
        app = services.application_create(
            user=author,
            project=project,
            claimed_equipment_investment_yuan=project.equipment_investment_yuan,
            claimed_fixed_asset_investment_yuan=project.fixed_asset_investment_yuan,
            support_mode=SupportMode.LOAN_INTEREST if loan else SupportMode.AWARD,
            at=now,
        )
        made += 1
        for name, model, qty, supplier, invoice, amount in _lines(project.equipment_investment_yuan, rng):
            services.equipment_line_add(
                user=author, application=app, name=name, model=model, quantity=qty, supplier=supplier,
                invoice_number=invoice, amount_yuan=amount, at=now,
            )  # fmt: skip
        if loan:
            services.loan_line_add(
                user=author, application=app, bank="中国农业银行恩施分行",
                amount_yuan=round_yuan(project.fixed_asset_investment_yuan / 2),
                interest_paid_yuan=Decimal("86400.00"), start_date=project.actual_completion_date - dt.timedelta(days=400),
                end_date=project.actual_completion_date + dt.timedelta(days=700), at=now,
            )  # fmt: skip
        files = list(services.REQUIRED_FILES) + (list(services.LOAN_FILES) if loan else [])
        for kind, label in files:
            attachment_store(user=author, owner=app, kind=kind, upload=_pdf(f"{label}.pdf"), at=now)
        if stage == "draft":
            continue
        services.application_submit(user=author, application=app, at=now)
        if stage == "submitted":
            continue
        if stage == "returned":
            services.application_return(
                user=clerk,
                application=app,
                reasons="设备发票复印件不清晰，请补充加盖公章的发票复印件。",
                at=now,
            )
            continue
        services.application_forward(user=clerk, application=app, at=now)
        if stage == "forwarded":
            continue
        lines = list(app.equipment_lines.order_by("id"))
        day = project.actual_completion_date + dt.timedelta(days=30)

        def inspect(outcome, verdicts=None, by=office, project=project, day=day, lines=lines, **kw):
            return services.acceptance_record(
                user=by, project=project, inspection_date=kw.pop("date", day), team=team, leader=by,
                findings=kw.pop("findings", FINDINGS[0]), outcome=outcome,
                line_verdicts=verdicts or {x.pk: ("accepted", "") for x in lines}, at=now, **kw,
            )  # fmt: skip

        if stage == "failed":
            inspect(Outcome.FAIL, findings="生产线未达到设计产能，主要设备尚在调试，不同意通过验收。")
        elif stage == "rectifying":
            inspect(Outcome.RECTIFY, findings="环保设施未完成验收，限期整改后复验。",
                    rectify_deadline_date=day + dt.timedelta(days=30))  # fmt: skip
        elif stage == "reinspected":
            inspect(Outcome.RECTIFY, findings="两张设备发票缺失，限期补齐后复验。",
                    rectify_deadline_date=day + dt.timedelta(days=30))  # fmt: skip
            inspect(
                Outcome.PASS,
                date=day + dt.timedelta(days=25),
                findings="整改到位，发票已补齐，同意通过验收。",
            )
        elif stage == "rejected_line":
            verdicts = {x.pk: ("accepted", "") for x in lines}
            verdicts[lines[-1].pk] = ("rejected", "发票开具日期早于合同签订日期，且设备未在现场")
            inspect(Outcome.PASS, verdicts, findings="逐项核对设备、发票与合同，一项设备不予核定。")
        elif stage == "by_finance":
            inspect(Outcome.PASS, by=finance)  # the office hands it to funds from its to-do list
        else:
            inspect(Outcome.PASS)
    return {"applications": made}
