"""Reference-data checks: unified social credit codes (GB 32100-2015) and project codes."""

from __future__ import annotations

import re

from jigai.core.said import say

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {ch: i for i, ch in enumerate(CREDIT_ALPHABET)}


class CodeError(ValueError):
    """A code that is not valid; the message (said in the active language, ``jigai.core.said``) says
    exactly what is wrong."""


def credit_check_char(first17: str) -> str:
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    value = 31 - total % 31
    return CREDIT_ALPHABET[0 if value == 31 else value]


# Full-width letters and digits as typed with a Chinese input method (！ U+FF01 … ～ U+FF5E).
_FULLWIDTH = {c: c - 0xFEE0 for c in range(ord("！"), ord("～") + 1)}
_ALPHABET = frozenset(CREDIT_ALPHABET)


def normalize_credit_code(raw: str) -> str:
    text = (raw or "").strip().upper()
    return text.translate(_FULLWIDTH).replace(" ", "")


def validate_credit_code(raw: str) -> str:
    """Return the normalised code or raise CodeError saying what is wrong."""
    code = normalize_credit_code(raw)
    if len(code) != 18:
        raise CodeError(say("统一社会信用代码应为18位，现为%(n)s位", n=len(code)))
    for pos, ch in enumerate(code if not _ALPHABET.issuperset(code) else "", start=1):
        if ch not in _VALUES:
            if ch in "IOSVZ":
                raise CodeError(
                    say(
                        "统一社会信用代码第%(pos)s位“%(ch)s”不是合法字符（不使用 I、O、S、V、Z）",
                        pos=pos,
                        ch=ch,
                    )
                )
            raise CodeError(say("统一社会信用代码第%(pos)s位“%(ch)s”不是合法字符", pos=pos, ch=ch))
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            say(
                "统一社会信用代码校验位错误：第18位应为“%(expected)s”，现为“%(found)s”",
                expected=expected,
                found=code[17],
            )
        )
    return code


PROJECT_CODE_RE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-[0-9A-Z]{6}$")
_SPACE = re.compile(r"\s")


def normalize_project_code(raw: str) -> str:
    return (raw or "").strip().upper()


def project_code_is_current_layout(code: str) -> bool:
    """GB/T 40058-2021 layout YYYY-RRRRRR-DD-TT-NNNNNC; older codes are kept as given (docs/programme.md)."""
    return bool(PROJECT_CODE_RE.match(code))


def validate_project_code(raw: str) -> str:
    code = normalize_project_code(raw)
    if not code:
        return ""
    if len(code) > 40:
        raise CodeError(say("项目代码过长（最多40个字符）"))
    if _SPACE.search(code):
        raise CodeError(say("项目代码不能包含空格"))
    if code[:1].isdigit() and code.count("-") == 4 and not PROJECT_CODE_RE.match(code):
        raise CodeError(say("项目代码格式应为 YYYY-RRRRRR-DD-TT-NNNNNC（如 2021-422801-39-03-012345）"))
    if PROJECT_CODE_RE.match(code):
        year = int(code[:4])
        if not 2000 <= year <= 2100:
            raise CodeError(say("项目代码中的年份 %(year)s 不合理", year=year))
        return code
    if not re.match(r"^[0-9A-Z\-]+$", code):
        raise CodeError(say("项目代码只能包含数字、大写字母和连字符"))
    # A legacy code (2018–2020, docs/programme.md, 参考数据) is kept as given, but it still carries the
    # year it was issued; text without one (“not-a-code”) is not a project code and is not upper-cased
    # into one.
    if not any(2000 <= int(y) <= 2100 for y in re.findall(r"(?<!\d)\d{4}(?!\d)", code)):
        raise CodeError(
            say(
                "“%(text)s”不是项目代码：项目代码由投资项目在线审批监管平台赋予，含发码年份，"
                "现行格式为 YYYY-RRRRRR-DD-TT-NNNNNC（如 2021-422801-39-03-012345）",
                text=(raw or "").strip(),
            )
        )
    return code
