"""Breaking an official document's title into lines that keep words whole.

GB/T 9704-2012 7.3.1: 标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或
菱形. Word breaks Chinese anywhere, so the builder breaks the title itself: the caller may give the lines
(``"\\n"`` in the title), otherwise :func:`title_lines` chooses breaks that never split a number, a
date, a Latin word or a document number, never put closing punctuation at a line start or opening
punctuation at a line end, prefer the joints of common words, and keep the lines close in length.
"""

from __future__ import annotations

import math
import re

from .formatting import text_width

__all__ = ["title_lines"]

_OPENERS = set("（《“‘〔【(<[「『")
_CLOSERS = set("）》”’〕】)>]」』，。、；：！？,.;:!?%％")

# Runs inside which no break is allowed: dates, numbers with their unit, Latin words, 〔2019〕12号.
_UNBREAKABLE = re.compile(
    r"\d+年(?:\d+月(?:\d+日)?)?|\d+月(?:\d+日)?|\d+(?:\.\d+)?(?:%|％|万元|亿元|万|亿|元|个|户|家|项|号|批)?"
    r"|[A-Za-z][A-Za-z0-9\-]*|〔\d{4}〕\d+号|（\d{4}[—\-–]\d{4}年?）"
)
# Spans where a break is possible but costly (a quoted name, a book title).
_SOFT_SPANS = re.compile(r"《[^《》]*》|“[^“”]*”|（[^（）]*）")

# A break right after one of these reads naturally.
_WORD_ENDS = (
    "关于", "的", "和", "与", "及", "暨", "项目", "情况", "工作", "企业", "改造", "升级", "技改", "方案",
    "办法", "意见", "事项", "问题", "会议", "名单", "结果", "领导小组", "办公室", "全州", "各县市", "年度",
    "季度", "月份", "实施", "推进", "开展", "通报", "通知", "印发", "转发", "公布", "公示", "产业", "投资",
    "奖补", "资金", "考核", "约谈", "验收", "申报", "管理", "行动", "计划", "工业", "领域", "冠军", "县市",
    "政府", "领导", "排名", "增幅", "发展", "建设", "服务", "金融", "银行", "补助", "政策", "措施",
)  # fmt: skip
# A break right before one of these reads naturally.
_WORD_STARTS = (
    "关于", "的通知", "的通报", "的报告", "的请示", "的意见", "的决定", "的批复", "的函", "的公告",
    "的公示", "的纪要", "情况", "工作", "项目", "实施", "推进", "开展", "做好", "加强", "进一步", "有关",
)  # fmt: skip

_FORBIDDEN = math.inf


def _break_costs(text: str) -> list[float]:
    """Cost of breaking before ``text[i]`` for each i (index 0 and len unused)."""
    costs = [20.0] * (len(text) + 1)
    for match in _UNBREAKABLE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            costs[i] = _FORBIDDEN
    for match in _SOFT_SPANS.finditer(text):
        for i in range(match.start() + 1, match.end()):
            costs[i] = max(costs[i], 60.0)
    for i in range(1, len(text)):
        if text[i] in _CLOSERS or text[i - 1] in _OPENERS:
            costs[i] = _FORBIDDEN
            continue
        if costs[i] == _FORBIDDEN:
            continue
        head, tail = text[:i], text[i:]
        if any(head.endswith(w) for w in _WORD_ENDS) or any(tail.startswith(w) for w in _WORD_STARTS):
            costs[i] -= 20.0
        # A break between two CJK characters not at a word joint probably splits a word.
        elif not (text[i - 1] in _CLOSERS or text[i] in _OPENERS):
            costs[i] += 15.0
    return costs


def _best_split(text: str, lines: int, per_line: float) -> list[str] | None:
    costs = _break_costs(text)
    n = len(text)
    widths = [0.0]
    for ch in text:
        widths.append(widths[-1] + text_width(ch))
    mean = widths[-1] / lines

    def line_cost(start: int, end: int, index: int) -> float:
        width = widths[end] - widths[start]
        if width > per_line:
            return _FORBIDDEN
        # 梯形: lines of similar length, a slightly longer first line reads best.
        deviation = width - mean
        return deviation * deviation - (0.5 * deviation if index == 0 else 0.0)

    # best[k][i]: least cost for text[:i] in k lines.
    best = [[_FORBIDDEN] * (n + 1) for _ in range(lines + 1)]
    back = [[0] * (n + 1) for _ in range(lines + 1)]
    best[0][0] = 0.0
    for k in range(1, lines + 1):
        for i in range(1, n + 1):
            if k < lines and (i == n or costs[i] == _FORBIDDEN):
                continue
            if k == lines and i != n:
                continue
            for j in range(k - 1, i):
                if best[k - 1][j] == _FORBIDDEN:
                    continue
                cost = best[k - 1][j] + line_cost(j, i, k - 1) + (costs[i] if i < n else 0.0)
                if cost < best[k][i]:
                    best[k][i] = cost
                    back[k][i] = j
    if best[lines][n] == _FORBIDDEN:
        return None
    result, end = [], n
    for k in range(lines, 0, -1):
        start = back[k][end]
        result.append(text[start:end])
        end = start
    return result[::-1]


def title_lines(title: str, *, per_line: float = 20) -> list[str]:
    """The lines of ``title``: the caller's own (split on newlines) when given, otherwise chosen so that
    each fits ``per_line`` full-width characters (2号 on a 156 mm line: 20)."""
    given = [line.strip() for line in title.replace("\r\n", "\n").split("\n")]
    given = [line for line in given if line]
    if len(given) != 1:
        return given
    text = given[0]
    if text_width(text) <= per_line:
        return [text]
    minimum = math.ceil(text_width(text) / per_line)
    for count in range(minimum, minimum + 3):
        split = _best_split(text, count, per_line)
        if split:
            return split
    # Nothing fits without breaking a protected run: fall back to plain character breaks.
    lines, current = [], ""
    for ch in text:
        if text_width(current + ch) > per_line:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current]
