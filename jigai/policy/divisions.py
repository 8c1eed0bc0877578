"""Industry divisions the 3.2 rule names (issue 13, point 4: the memo shows the industry's name)."""

from __future__ import annotations

#: GB/T 4754-2017 section C (制造业), divisions 13–43: the names the 3.2 memo shows beside the code.
#: The same table as jigai/core/reference.py INDUSTRIES (section C); jigai/incentives/tests checks they agree.
MANUFACTURING_DIVISIONS: dict[str, str] = {
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
}


def division_name(code: str | None) -> str | None:
    """The GB/T 4754-2017 name of a section C division (``"27"`` → 医药制造业), else ``None``."""
    return None if code is None else MANUFACTURING_DIVISIONS.get(str(code).zfill(2))
