"""Shared by the tests that read pages in the English interface: the visible text of a page, and the
Chinese left in it once data values (names, what people typed, document numbers) and the record texts a
page marks ``lang="zh-Hans"`` are taken out. An app's test adds its own data values (bank names, meeting
titles, …) with ``values_of``."""

import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model

HAN = re.compile(r"[\u4e00-\u9fff]+")
DOCUMENT_NUMBER = re.compile(r"\S*〔\d{4}〕\d+号")


class _Text(HTMLParser):
    """The visible text of a page, less <script>/<style> and elements marked lang="zh-Hans"."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append((tag, tag in ("script", "style") or dict(attrs).get("lang") == "zh-Hans"))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "".join(p.parts)


def values_of(model, *fields) -> set[str]:
    """The Chinese data values in these fields of every row of a model."""
    out: set[str] = set()
    for f in fields:
        out.update(v for v in model.objects.values_list(f, flat=True) if isinstance(v, str))
    return out


def people_and_places() -> set[str]:
    """Values every page may show: unit names, enterprise and project names, people's names."""
    from jigai.core.models import Region
    from jigai.registry.models import Enterprise, Project

    values = values_of(Region, "name") | values_of(Enterprise, "name") | values_of(Project, "name")
    User = get_user_model()
    values |= values_of(User, *(f for f in ("display_name", "username", "first_name", "last_name")
                                if hasattr(User, f)))  # fmt: skip
    return values


def chinese_left(html: str, values) -> list[str]:
    """The Chinese left on a page once ``values`` (longest first), document numbers and the language
    switch's own 简体中文 are taken out; each with 30 characters either side, to find it."""
    text = visible_text(html)
    for v in sorted((v for v in values if v and HAN.search(v)), key=len, reverse=True):
        text = text.replace(v, "")
    text = DOCUMENT_NUMBER.sub("", text).replace("简体中文", "")
    return [text[max(m.start() - 30, 0) : m.end() + 30] for m in HAN.finditer(text)]
