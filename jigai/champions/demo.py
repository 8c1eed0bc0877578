"""Demo champion declarations (隐形冠军, 3.1.2), 2018–2020: most verified (national and provincial
ranks, one rank not awarded, one lower award superseded by a higher one for the same technology, one
unlisted industry confirmed by the office), and one each still a draft, waiting for verification and
returned, so every page and to-do list has content. Each carries a certificate (a small PDF) through the
attachments; the verified ones are proposed to funds (its demo batches and approves them)."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone

from jigai.accounts.models import Role, User
from jigai.attachments import services as attachment_services
from jigai.registry.models import Enterprise

from . import services

TECHNOLOGIES = (
    "富硒茶多酚低温萃取工艺", "硒蛋白肽酶解技术", "魔芋精粉无硫加工工艺", "小水电智能监控系统",
    "轻质隔墙板自动化生产线", "中药饮片低温破壁技术", "锂电池正极材料包覆工艺", "玄参提取物纯化技术",
    "富硒饮用水灌装在线检测", "装配式建筑构件模具", "智能硒含量快速检测仪", "高山蔬菜冷链预冷工艺",
)  # fmt: skip


def _certificate(title: str) -> io.BytesIO:
    body = f"(Certificate) Tj % {title}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + b"% "
        + body
        + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    f = io.BytesIO(pdf)
    f.name = f"{title}获奖证书.pdf"
    f.size = len(pdf)
    return f


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def build(*, seed: int, now: dt.datetime) -> dict:
    rng = random.Random(seed * 31 + 5)
    office = User.objects.filter(username="office").first()
    enterprises = list(
        Enterprise.objects.filter(champion_industry__isnull=False)
        .select_related("region", "champion_industry")
        .order_by("id")[:40]
    )
    if office is None or len(enterprises) < 6:
        return {"champion_declarations": 0}
    rng.shuffle(enterprises)
    clerks = {}
    for u in User.objects.filter(role=Role.CLERK, is_active=True, region__isnull=False).order_by("pk"):
        clerks.setdefault(u.region_id, u)
    made = 0

    def declare(ent, year, level, rank, *, technology=None, industry=None, state="verified", confirm=""):
        nonlocal made
        clerk = clerks.get(ent.region_id)
        if clerk is None:
            return None
        day = dt.date(year, 11, 10) + dt.timedelta(days=rng.randint(0, 30))
        d = services.declaration_create(
            user=clerk, enterprise=ent, at=_at(day),
            technology=technology or rng.choice(TECHNOLOGIES), year=year, level=level, rank=rank,
            industry=industry or ent.champion_industry.name,
            issuer="中国工业经济联合会" if level == "national" else "湖北省经济和信息化厅",
        )  # fmt: skip
        made += 1
        if state == "draft":
            return d
        attachment_services.attachment_store(
            user=clerk, owner=d, kind="certificate", upload=_certificate(d.technology), at=_at(day)
        )
        d = services.declaration_submit(user=clerk, declaration=d, at=_at(day + dt.timedelta(days=1)))
        if state == "submitted":
            return d
        review = _at(day + dt.timedelta(days=8))
        if state == "returned":
            return services.declaration_return(
                user=office,
                declaration=d,
                reason="证书为复印件且未加盖发证机构公章，请上传原件扫描件",
                at=review,
            )
        return services.declaration_verify(
            user=office, declaration=d, industry_confirmation=confirm, at=review
        )

    plan = [(2018, 4), (2019, 5), (2020, 4)]
    pool = iter(enterprises)
    for year, count in plan:
        for _ in range(count):
            ent = next(pool)
            level = rng.choice(("national", "provincial", "provincial"))
            declare(ent, year, level, rng.randint(1, 3))
    # A rank the programme does not award; a lower award superseded by a higher one; an unlisted industry.
    declare(next(pool), 2019, "provincial", 4)
    twice = next(pool)
    declare(twice, 2020, "provincial", 1, technology="硒蛋白肽酶解技术")
    declare(twice, 2020, "national", 2, technology="硒蛋白肽酶解技术")
    declare(
        next(pool),
        2020,
        "provincial",
        2,
        industry="民族特色纺织",
        confirm="州领导小组会议认定民族特色纺织为重点行业",
    )
    # Still in progress: a draft, one waiting for the office, one returned.
    declare(next(pool), 2020, "national", 3, state="draft")
    declare(next(pool), 2020, "provincial", 1, state="submitted")
    declare(next(pool), 2020, "provincial", 2, state="returned")
    return {"champion_declarations": made}


def fund(*, now: dt.datetime) -> dict:
    """After funds' demo: the 2018 and 2019 awards go to the finance bureau in one batch and are approved
    (2018's budget allocated for them; 2019's may wait in its queue), so 2.2.a counts approved awards and
    the notice has awards to publish; 2020's stay proposed."""
    from decimal import Decimal

    from jigai.funds import services as funds_services
    from jigai.funds.models import Budget, Item, ItemState, Level

    office = User.objects.filter(username="office").first()
    finance = User.objects.filter(username="finance").first()
    items = list(
        Item.objects.filter(clause="3.1.2", state=ItemState.PROPOSED, year__lte=2019).order_by("year", "pk")
    )
    if office is None or finance is None or not items:
        return {"champion_awards_approved": 0}
    for year in sorted({i.year for i in items}):
        if Budget.objects.filter(year=year).exists():
            continue
        mine = [i for i in items if i.year == year]
        funds_services.budget_allocate(
            user=finance, year=year, level=Level.PREFECTURE,
            allocated_yuan=sum((i.prefecture_share_yuan for i in mine), Decimal("0")), reason="隐形冠军奖励", at=now,
        )  # fmt: skip
        for region in {i.region for i in mine}:
            funds_services.budget_allocate(
                user=finance, year=year, level=Level.COUNTY, region=region,
                allocated_yuan=sum((i.county_share_yuan for i in mine if i.region_id == region.pk), Decimal("0")),
                reason="隐形冠军奖励", at=now,
            )  # fmt: skip
    batch = funds_services.batch_prepare(
        user=office, title="隐形冠军企业奖励（第3.1.2条）第一批", items=items, note="经核实的获奖证书", at=now
    )
    for i in batch.items.order_by("pk"):
        funds_services.item_approve(user=finance, item=i, reason="同意", at=now)
    return {"champion_awards_approved": len(items)}
