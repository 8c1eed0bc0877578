"""A realistic prefecture for 2017–2020: enterprises of the local industries and their projects.

Deterministic from a seed: the same seed gives the same enterprises, codes, amounts and dates.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from jigai.core.audit import record_many, snapshot
from jigai.core.codes import CREDIT_ALPHABET, credit_check_char
from jigai.core.models import ChampionIndustry, Industry, Region
from jigai.registry.models import (
    Enterprise,
    EnterpriseScaleYear,
    Project,
    ProjectPlanYear,
    ProjectStatus,
    ProjectTransition,
)

# Local industries: (label, GB/T 4754 division, champion tag, name stems, project stems)
INDUSTRIES = [
    (
        "富硒茶",
        "15",
        "selenium_food",
        ["硒茶", "茶业", "玉露茶业", "富硒茶叶", "红茶"],
        ["清洁化茶叶生产线改造", "名优绿茶自动化生产线", "茶叶精深加工技改", "茶饮料灌装线扩建"],
    ),
    (
        "魔芋",
        "13",
        "selenium_food",
        ["魔芋", "魔芋食品", "魔芋科技"],
        ["魔芋精粉生产线技改", "魔芋膳食纤维提取线", "魔芋休闲食品扩能"],
    ),
    (
        "富硒食品",
        "14",
        "selenium_food",
        ["硒食品", "富硒农业", "土家食品", "腊味"],
        ["富硒食品智能化生产线", "腊肉制品标准化车间改造", "速冻食品冷链技改"],
    ),
    (
        "中药材",
        "27",
        "biomedicine",
        ["药业", "制药", "生物科技", "中药饮片"],
        ["中药饮片GMP改造", "黄连提取物生产线", "中药配方颗粒技改", "原料药车间升级"],
    ),
    (
        "水电",
        "44",
        "clean_energy",
        ["水电开发", "电力", "能源"],
        ["水电站增效扩容改造", "机组自动化改造", "光伏电站技改"],
    ),
    (
        "新型建材",
        "30",
        "new_building_materials",
        ["建材", "新型墙材", "水泥", "砂石"],
        ["新型干法水泥窑协同处置", "加气混凝土砌块生产线", "机制砂绿色生产线", "装配式建筑构件生产线"],
    ),
    (
        "电子信息",
        "39",
        "electronic_information",
        ["电子", "光电", "信息科技"],
        ["电子元器件智能产线", "LED封装生产线扩建", "线路板自动化改造"],
    ),
    (
        "卷烟配套",
        "23",
        None,
        ["印务", "包装印刷", "彩印"],
        ["烟标印刷数字化改造", "高速凹印生产线", "包装材料生产线技改"],
    ),
    ("卷烟", "16", None, ["卷烟配套", "烟草机械"], ["烟叶复烤生产线改造", "卷接包设备升级"]),
    (
        "酒饮料",
        "15",
        "selenium_food",
        ["酒业", "饮品", "矿泉水"],
        ["白酒酿造智能化改造", "富硒矿泉水灌装线", "果酒生产线扩建"],
    ),
    (
        "智能制造",
        "35",
        "smart_manufacturing",
        ["机械", "装备制造", "智能装备"],
        ["数控加工中心更新", "智能化焊接生产线", "农机装备生产线改造"],
    ),
    ("化工", "26", None, ["化工", "新材料"], ["生产装置安全环保改造", "磷化工副产物综合利用"]),
    ("竹木家具", "21", None, ["家具", "竹木制品", "木业"], ["板式家具自动化生产线", "竹木制品深加工技改"]),
]

PLACES = {
    "422801": ["恩施", "芭蕉", "龙凤", "白杨", "崔坝", "屯堡", "沙地", "舞阳"],
    "422802": ["利川", "汪营", "团堡", "建南", "柏杨", "谋道", "忠路"],
    "422822": ["建始", "业州", "高坪", "景阳", "花坪", "长梁"],
    "422823": ["巴东", "信陵", "野三关", "沿渡河", "清太坪", "东瀼口"],
    "422825": ["宣恩", "椒园", "万寨", "沙道沟", "李家河", "晓关"],
    "422826": ["咸丰", "高乐山", "忠堡", "唐崖", "黄金洞", "清坪"],
    "422827": ["来凤", "翔凤", "绿水", "旧司", "大河", "三胡"],
    "422828": ["鹤峰", "容美", "走马", "燕子", "中营", "太平"],
    "GXQ": ["恩施高新", "金桂", "七里坪", "华硒", "龙凤坝"],
}
# Where each unit's industries lean: the zone and the cities carry more enterprises.
UNIT_WEIGHTS = {
    "422801": 55,
    "422802": 50,
    "422822": 35,
    "422823": 35,
    "422825": 35,
    "422826": 32,
    "422827": 30,
    "422828": 30,
    "GXQ": 48,
}
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
SURNAMES = "张王李刘陈杨黄赵周吴向谭田覃冉彭邓"
GIVEN = ["明", "华", "军", "丽", "勇", "芳", "涛", "红", "斌", "琴", "伟", "燕", "刚", "霞"]
LEADER_TITLES = [
    "州人民政府副州长",
    "州委常委、常务副州长",
    "州政协副主席",
    "州人大常委会副主任",
    "州经信委主任",
]


def credit_code(rng: random.Random, division: str, entity_type: str = "1") -> str:
    body = (
        "9"
        + entity_type
        + division
        + "".join(rng.choice(CREDIT_ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    )
    return body + credit_check_char(body)


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _wan(rng, low: int, high: int) -> Decimal:
    """A plausible amount in yuan, typed in 万元 with up to 2 decimals."""
    return Decimal(rng.randint(low * 100, high * 100)) * 100


def _months_later(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, 28)
    return dt.date(year, month, day)


def build_enterprises(rng: random.Random, target: int = 350) -> list[Enterprise]:
    units = list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))
    industries = {i.code: i for i in Industry.objects.all()}
    champions = {c.code: c for c in ChampionIndustry.objects.all()}
    total_weight = sum(UNIT_WEIGHTS.values())
    enterprises, used_names, used_codes = [], set(), set()
    for unit in units:
        count = round(target * UNIT_WEIGHTS[unit.code] / total_weight)
        for _ in range(count):
            _label, div, champ, stems, _p = rng.choice(INDUSTRIES)
            for _attempt in range(50):
                name = (
                    f"{rng.choice(PLACES[unit.code])}{rng.choice(['', '鄂西', '武陵', '清江', '硒都', '土家'])}"
                    f"{rng.choice(stems)}{rng.choice(SUFFIXES)}"
                )
                if name not in used_names:
                    break
            used_names.add(name)
            code = credit_code(rng, unit.division_code)
            while code in used_codes:
                code = credit_code(rng, unit.division_code)
            used_codes.add(code)
            enterprises.append(
                Enterprise(
                    name=name,
                    credit_code=code,
                    region=unit,
                    industry=industries[div],
                    champion_industry=champions.get(champ) if champ and rng.random() < 0.7 else None,
                    registered_in_prefecture=rng.random() > 0.03,
                    contact_person=_person(rng),
                    contact_phone=f"0718-{rng.randint(8000000, 8999999)}",
                    address=f"湖北省恩施州{unit.name}{rng.choice(PLACES[unit.code])}工业园",
                )
            )
    return enterprises


def build_scale_years(rng, enterprises) -> list[EnterpriseScaleYear]:
    rows = []
    for e in enterprises:
        base = rng.random()
        revenue = Decimal(rng.randint(300, 60000)) * 10000
        for year in range(2017, 2021):
            revenue = (revenue * Decimal(str(round(rng.uniform(0.92, 1.25), 2)))).quantize(Decimal("0.01"))
            above = revenue >= Decimal(20_000_000) if base < 0.6 else False
            rows.append(EnterpriseScaleYear(enterprise=e, year=year, above_scale=above, revenue_yuan=revenue))
    return rows


def build_projects(rng, enterprises, *, target: int, as_of: dt.date):
    """Return (projects, plan years by project index, transitions by project index)."""
    label_of = {}
    for _label, div, _c, _s, stems in INDUSTRIES:
        label_of.setdefault(div, []).extend(stems)
    projects, plans, histories, used = [], [], [], set()
    weights = [1 + (e.industry.code in ("15", "30", "27")) for e in enterprises]
    while len(projects) < target:
        e = rng.choices(enterprises, weights=weights)[0]
        plan_year = rng.choices([2017, 2018, 2019, 2020], weights=[1, 4, 4, 4])[0]
        size = rng.random()
        if size < 0.55:
            total = _wan(rng, 500, 3000)
        elif size < 0.9:
            total = _wan(rng, 3000, 12000)
        else:
            total = _wan(rng, 12000, 60000)
        equipment = (total * Decimal(str(round(rng.uniform(0.25, 0.7), 2)))).quantize(Decimal("100"))
        if rng.random() < 0.02:
            equipment = Decimal("3000000.00")  # exactly at the 3.1.1 threshold
        fixed = (total * Decimal(str(round(rng.uniform(0.7, 0.98), 2)))).quantize(Decimal("100"))
        fixed = max(fixed, equipment)
        start = dt.date(plan_year, rng.randint(1, 12), rng.randint(1, 28))
        months = rng.choice([6, 8, 10, 12, 12, 15, 18, 18, 24, 24, 30, 36, 40])
        planned_end = _months_later(start, months)
        stem = rng.choice(label_of.get(e.industry.code, ["生产线技术改造"]))
        name = f"{e.name.replace('有限责任公司', '').replace('股份有限公司', '').replace('有限公司', '')}{stem}项目"
        if name in used:
            name = name.replace("项目", f"（{plan_year}）项目")
        if name in used:
            continue
        used.add(name)
        key = total >= Decimal(20_000_000) and rng.random() < 0.7
        p = Project(
            enterprise=e,
            region=e.region,
            name=name,
            industry=e.industry,
            content=f"新购{rng.choice(['自动化', '智能化', '数控', '环保'])}设备{rng.randint(8, 120)}台（套），"
            f"改造厂房{rng.randint(2, 40) * 500}平方米，{stem}。",
            total_investment_yuan=total,
            equipment_investment_yuan=equipment,
            fixed_asset_investment_yuan=fixed,
            planned_start_date=start,
            planned_completion_date=planned_end,
            conforms_industrial_policy=rng.random() > 0.04,
            is_key=key,
            is_demonstration=key and rng.random() < 0.3,
            zero_new_land=rng.random() < 0.35,
        )
        if rng.random() < 0.6:
            p.project_code = (
                f"{plan_year}-{e.region.division_code}-{rng.choice(['39', '41', '42'])}-03-"
                f"{rng.randint(0, 999999):06d}"
            )
            if p.project_code in used:
                p.project_code = None
            else:
                used.add(p.project_code)
        if key:
            p.leader_name = _person(rng)
            p.leader_title = rng.choice(LEADER_TITLES)
        # Where the project stands at the demo's "today" (the end of the programme).
        history = []
        actual_start = start + dt.timedelta(days=rng.randint(-20, 90))
        if (plan_year == 2017 and rng.random() < 0.3) or actual_start > as_of or rng.random() < 0.06:
            status = ProjectStatus.RESERVE
        else:
            history.append((ProjectStatus.CONSTRUCTION, actual_start, "项目开工建设"))
            p.actual_start_date = actual_start
            status = ProjectStatus.CONSTRUCTION
            actual_end = _months_later(actual_start, months + rng.choice([0, 0, 1, 2, 3, 6]))
            if rng.random() < 0.04:
                status = ProjectStatus.TERMINATED
                history.append(
                    (ProjectStatus.TERMINATED, _months_later(actual_start, 4), "企业经营困难，项目终止")
                )
            elif actual_end <= as_of:
                p.actual_completion_date = actual_end
                history.append((ProjectStatus.COMPLETED, actual_end, "项目竣工投产"))
                status = ProjectStatus.COMPLETED
                accept = _months_later(actual_end, rng.randint(1, 5))
                if accept <= as_of and rng.random() < 0.75:
                    history.append((ProjectStatus.ACCEPTED, accept, "州经信委、州财政局组织验收通过"))
                    status = ProjectStatus.ACCEPTED
        p.status = status
        p.version = 1 + len(history)
        years = [plan_year] if plan_year >= 2018 or rng.random() < 0.5 else []
        if years and months > 12 and plan_year < 2020 and rng.random() < 0.5:
            years.append(plan_year + 1)
        if rng.random() < 0.05:
            years = []  # not listed in any year's plan
        projects.append(p)
        plans.append(years)
        histories.append(history)
    return projects, plans, histories


def build(
    *,
    seed: int,
    enterprises_target: int = 350,
    projects_target: int = 450,
    as_of: dt.date = dt.date(2020, 12, 31),
    actor_user=None,
) -> dict:
    rng = random.Random(seed)
    enterprises = build_enterprises(rng, enterprises_target)
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    enterprises = list(Enterprise.objects.select_related("region", "industry").order_by("id"))
    scale_years = EnterpriseScaleYear.objects.bulk_create(
        build_scale_years(rng, enterprises), batch_size=1000
    )
    projects, plans, histories = build_projects(rng, enterprises, target=projects_target, as_of=as_of)
    Project.objects.bulk_create(projects, batch_size=500)
    saved = list(Project.objects.order_by("id"))
    ProjectPlanYear.objects.bulk_create(
        [ProjectPlanYear(project=p, year=y) for p, ys in zip(saved, plans, strict=True) for y in ys],
        batch_size=1000,
    )
    tz = timezone.get_current_timezone()
    transitions = []
    for p, history in zip(saved, histories, strict=True):
        prev = ProjectStatus.RESERVE
        for to, when, reason in history:
            transitions.append(
                ProjectTransition(
                    project=p,
                    from_status=prev,
                    to_status=to,
                    reason=reason,
                    effective_date=when,
                    at=dt.datetime.combine(when, dt.time(10, 0), tzinfo=tz),
                    by=actor_user,
                    by_name=str(actor_user) if actor_user else "演示数据",
                )
            )
            prev = to
    ProjectTransition.objects.bulk_create(transitions, batch_size=1000)
    # Bulk writes bypass the per-save audit signals: record every created row explicitly.
    audit_rows = [
        {"event": "create", "obj": obj, "after": snapshot(obj)}
        for group in (enterprises, scale_years, saved)
        for obj in group
    ]
    audit_rows += [
        {"event": "create", "obj": p, "after": {"plan_year": y}, "object_type": "registry.projectplanyear"}
        for p, ys in zip(saved, plans, strict=True)
        for y in ys
    ]
    audit_rows += [
        {
            "event": "transition",
            "obj": t.project,
            "before": {"status": t.from_status},
            "after": {"status": t.to_status},
            "message": t.reason,
        }
        for t in transitions
    ]
    record_many(audit_rows)
    return {
        "enterprises": len(enterprises),
        "projects": len(saved),
        "transitions": len(transitions),
        "sample_enterprises": [(e.credit_code, e.name) for e in enterprises[:3]],
    }
