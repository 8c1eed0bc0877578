"""A job's words in the active language.

What a job is called, its summary, progress message, failure and result message are stored as they were
written when it ran — in Chinese: the runner runs every kind under ``translation.override("zh-hans")``,
as the documents it builds are — and the jobs pages show them in the language of the page. A fixed text
is looked up in the catalogue by its Chinese (the kinds' titles and messages are marked below, where
their apps write them as plain strings); a text with figures in it is matched against the patterns below
and rebuilt from its catalogue entry with the same figures. A text the job kept with how it was said
(``jigai.core.said``: an import's result message and row problems, ``result_json["said"]``) is said
again. A text none of these knows (a bulletin's title in the summary, a domain error of a job that ran)
is a record: it is shown as written and the page marks it ``lang="zh-Hans"``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from jigai.core.said import said_from_json

HAN = re.compile(r"[\u4e00-\u9fff]")

# The fixed words of the kinds registered by other apps (registry, dispatch, assessment), so the catalogue
# has them whatever those apps mark.
FIXED = (
    gettext_noop("Excel 导入"),
    gettext_noop("生成月通报 Word"),
    gettext_noop("生成联席会议材料"),
    gettext_noop("数据库备份"),
    gettext_noop("发送待办提醒"),
    gettext_noop("整个数据库"),
    gettext_noop("排队中，等待执行"),
    gettext_noop("开始执行"),
    gettext_noop("已完成"),
    gettext_noop("失败"),
    gettext_noop("已生成"),
    gettext_noop("正在读取通报数据"),
    gettext_noop("正在排版公文"),
    gettext_noop("正在计算完成情况、排名与约谈"),
    gettext_noop("正在备份数据库"),
    gettext_noop("正在计算每个用户的待办并发送提醒"),
    gettext_noop("该月通报已不存在"),
    gettext_noop("任务参数有误：季度或会议日期无法识别"),
    gettext_noop("上传的文件已过期或已经导入，请重新上传"),
    gettext_noop("没有这个导入表"),
    gettext_noop("执行时发生意外错误，已记入系统日志，请联系系统管理员"),
)

_DAY = r"(?P<{name}>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)"
_PERIOD = r"(?P<period>\d{4}年(?:第[一二三四]季度|[上下]半年))"

# (the stored text's shape, its catalogue entry): named groups are the entry's placeholders.
PATTERNS = [
    (r"正在读取并检查：已读 (?P<rows>\d+) 行", gettext_noop("正在读取并检查：已读 %(rows)s 行")),
    (r"已读完 (?P<rows>\d+) 行，正在写入数据库", gettext_noop("已读完 %(rows)s 行，正在写入数据库")),
    (_DAY.format(name="day") + "的待办提醒", gettext_noop("%(day)s的待办提醒")),
    (
        _DAY.format(name="day")
        + r"：检查 (?P<users>\d+) 个用户，新提醒 (?P<created>\d+) 条，今天已提醒过 (?P<already>\d+) 条；"
        r"邮件 (?P<emails>\d+) 封，短信 (?P<texts>\d+) 条。",
        gettext_noop(
            "%(day)s：检查 %(users)s 个用户，新提醒 %(created)s 条，今天已提醒过 %(already)s 条；"
            "邮件 %(emails)s 封，短信 %(texts)s 条。"
        ),
    ),
    (_PERIOD + "，数据截至 " + _DAY.format(name="day"), gettext_noop("%(period)s，数据截至 %(day)s")),
    (
        r"已备份到 (?P<path>\S+)（SM4-GCM 加密，仅属主可读）：(?P<tables>\d+) 张表，(?P<rows>\d+) 行",
        gettext_noop("已备份到 %(path)s（SM4-GCM 加密，仅属主可读）：%(tables)s 张表，%(rows)s 行"),
    ),
    (r"没有“(?P<kind>[^”]*)”这种后台任务", gettext_noop("没有“%(kind)s”这种后台任务")),
    # An import's summary (registry/import_views.py): the table's title, the file, its rows, the mode.
    (
        r"(?P<table>[^：]+)：(?P<file>.+)，(?P<rows>\d+) 行（(?P<mode>全部或不导入|只导入无误的行)）",
        gettext_noop("%(table)s：%(file)s，%(rows)s 行（%(mode)s）"),
    ),
]
_COMPILED = [(re.compile(shape), entry) for shape, entry in PATTERNS]
_CN_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CN_PERIOD = re.compile(r"(\d{4})年(.+)")
_PARTS = {
    "第一季度": gettext_noop("第一季度"),
    "第二季度": gettext_noop("第二季度"),
    "第三季度": gettext_noop("第三季度"),
    "第四季度": gettext_noop("第四季度"),
    "上半年": gettext_noop("上半年"),
    "下半年": gettext_noop("下半年"),
}


def _value(name: str, value: str) -> str:
    if name == "day":
        y, m, d = (int(x) for x in _CN_DAY.fullmatch(value).groups())
        return date_format(dt.date(y, m, d), gettext("Y年n月j日"))
    if name == "period":
        year, part = _CN_PERIOD.fullmatch(value).groups()
        return gettext("%(year)s年%(part)s") % {"year": year, "part": gettext(_PARTS.get(part, part))}
    if name in ("table", "mode"):
        return gettext(value)  # an import table's title, an import mode (marked where they are defined)
    return value


def shown(text: str, said: dict | None = None) -> tuple[str, str]:
    """``text`` in the active language, and the ``lang`` its element needs ("" or "zh-Hans"). ``said``:
    how the text was said (``jigai.core.said``, kept beside it by the job), said again in this language."""
    if said:
        # In this language; what Chinese is left is data (a sheet's name, a cell's value).
        return str(said_from_json(said)), ""
    if not text or not HAN.search(text) or not (translation.get_language() or "").startswith("en"):
        return text, ""
    found = gettext(text)
    if found != text:
        return found, ""
    for shape, entry in _COMPILED:
        m = shape.fullmatch(text)
        if m:
            return gettext(entry) % {k: _value(k, v) for k, v in m.groupdict().items()}, ""
    return text, "zh-Hans"
