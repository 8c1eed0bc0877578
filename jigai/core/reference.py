"""Reference data loaded by migrations (docs/programme.md, "The nine reporting units" and "Reference data")."""


def load(apps) -> None:
    """Create or update every reference row; `apps` is a migration's app registry or django.apps.apps."""
    Region = apps.get_model("core", "Region")
    Industry = apps.get_model("core", "Industry")
    ChampionIndustry = apps.get_model("core", "ChampionIndustry")
    code, name, short, division = PREFECTURE
    Region.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short,
            "division_code": division,
            "level": "prefecture",
            "sort_order": 0,
        },
    )
    for order, (code, name, short, division) in enumerate(REPORTING_UNITS, start=1):
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "division_code": division,
                "level": "unit",
                "sort_order": order,
            },
        )
    for code, name, section in INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "section": section})
    for code, name in CHAMPION_INDUSTRIES:
        ChampionIndustry.objects.update_or_create(code=code, defaults={"name": name})


PREFECTURE = ("422800", "恩施土家族苗族自治州", "恩施州", "422800")

# code, name, short name, division code. Each unit's 2.1.b quota is a programme figure, dated:
# jigai/policy/parameters/2.1.b/unit_quotas.yaml (read through jigai.core.programme).
REPORTING_UNITS = [
    ("422801", "恩施市", "恩施市", "422801"),
    ("422802", "利川市", "利川市", "422802"),
    ("422822", "建始县", "建始县", "422822"),
    ("422823", "巴东县", "巴东县", "422823"),
    ("422825", "宣恩县", "宣恩县", "422825"),
    ("422826", "咸丰县", "咸丰县", "422826"),
    ("422827", "来凤县", "来凤县", "422827"),
    ("422828", "鹤峰县", "鹤峰县", "422828"),
    # The high-tech zone lies inside 恩施市 and has no division code of its own.
    ("GXQ", "州高新区", "高新区", "422801"),
]

# GB/T 4754-2017 divisions: all of section C (13–43) and the others the demo and the region use.
INDUSTRIES = [
    ("01", "农业", "A"),
    ("02", "林业", "A"),
    ("05", "农、林、牧、渔专业及辅助性活动", "A"),
    ("06", "煤炭开采和洗选业", "B"),
    ("08", "黑色金属矿采选业", "B"),
    ("09", "有色金属矿采选业", "B"),
    ("10", "非金属矿采选业", "B"),
    ("13", "农副食品加工业", "C"),
    ("14", "食品制造业", "C"),
    ("15", "酒、饮料和精制茶制造业", "C"),
    ("16", "烟草制品业", "C"),
    ("17", "纺织业", "C"),
    ("18", "纺织服装、服饰业", "C"),
    ("19", "皮革、毛皮、羽毛及其制品和制鞋业", "C"),
    ("20", "木材加工和木、竹、藤、棕、草制品业", "C"),
    ("21", "家具制造业", "C"),
    ("22", "造纸和纸制品业", "C"),
    ("23", "印刷和记录媒介复制业", "C"),
    ("24", "文教、工美、体育和娱乐用品制造业", "C"),
    ("25", "石油、煤炭及其他燃料加工业", "C"),
    ("26", "化学原料和化学制品制造业", "C"),
    ("27", "医药制造业", "C"),
    ("28", "化学纤维制造业", "C"),
    ("29", "橡胶和塑料制品业", "C"),
    ("30", "非金属矿物制品业", "C"),
    ("31", "黑色金属冶炼和压延加工业", "C"),
    ("32", "有色金属冶炼和压延加工业", "C"),
    ("33", "金属制品业", "C"),
    ("34", "通用设备制造业", "C"),
    ("35", "专用设备制造业", "C"),
    ("36", "汽车制造业", "C"),
    ("37", "铁路、船舶、航空航天和其他运输设备制造业", "C"),
    ("38", "电气机械和器材制造业", "C"),
    ("39", "计算机、通信和其他电子设备制造业", "C"),
    ("40", "仪器仪表制造业", "C"),
    ("41", "其他制造业", "C"),
    ("42", "废弃资源综合利用业", "C"),
    ("43", "金属制品、机械和设备修理业", "C"),
    ("44", "电力、热力生产和供应业", "D"),
    ("45", "燃气生产和供应业", "D"),
    ("46", "水的生产和供应业", "D"),
    ("65", "软件和信息技术服务业", "I"),
]

# 3.1.2: 硒食品加工、生物医药、清洁能源、新型建材、电子信息、智能制造等行业
CHAMPION_INDUSTRIES = [
    ("selenium_food", "硒食品加工"),
    ("biomedicine", "生物医药"),
    ("clean_energy", "清洁能源"),
    ("new_building_materials", "新型建材"),
    ("electronic_information", "电子信息"),
    ("smart_manufacturing", "智能制造"),
]
