"""Issue 14, point 13 ("English is complete"), checked from the outside: on the demo, each of the nine roles
logs in, switches to English and follows every link the pages offer it (one page per URL shape: the
first project's page stands for every project's), and no page it reaches has Chinese left outside data
values — any text a record holds (names, what people typed, titles, document numbers, frozen record texts)
— and the elements a page marks ``lang="zh-Hans"``. Downloads (.docx, .xlsx, .csv: official documents stay
Chinese) and the pages that change state (logout) are not followed.

The apps' own English tests say what each page must read; this one finds the page nobody listed."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.utils import translation

from jigai.accounts.models import Role
from jigai.core.tests.english import HAN, chinese_left, visible_text
from jigai.core.tests.test_i18n import switch

pytestmark = pytest.mark.django_db

SKIP = re.compile(
    r"^/(static|media|i18n|admin|api)/|/logout/|\.(docx|xlsx|csv|pdf|zip|ico|png|json)$|/download/|/export"
)
PAGES_PER_ROLE = 120
# Point 12 ("words and colours"): developer values a page must not show, in either language. ISO dates are
# allowed on the audit log (an auditor's record, to the second) and inside form fields (not visible text).
RAW = re.compile(r"\bTrue\b|\bFalse\b|\{'|\[\]|\[\'|\b\d{4}-\d{2}-\d{2}\b")
RAW_ALLOWED = re.compile(r"^/audit/")


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    p = _Links()
    p.feed(html)
    return p.hrefs


def shape(url: str) -> str:
    """One page per URL shape: ids and dates in the path and the query's values do not make a new page."""
    path, _, query = url.partition("?")
    path = re.sub(r"/\d[\d-]*(?=/|$)", "/N", path)
    keys = sorted(k.split("=")[0] for k in query.split("&") if k and not k.startswith("page="))
    return path + ("?" + "&".join(keys) if keys else "")


def data_values() -> set[str]:
    """Every Chinese text any record holds: names, what people typed, titles, stored explanations."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("jigai."):
            continue
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for v in row:
                if isinstance(v, str) and HAN.search(v):
                    values.add(v)
                    values.update(line.strip() for line in v.splitlines() if line.strip())
    User = get_user_model()
    values.update(str(u) for u in User.objects.all())
    return values


def test_every_page_every_role_can_reach_reads_in_english_on_the_demo(demo_data):
    values = data_values()
    User = get_user_model()
    left: dict[str, list[str]] = {}
    errors: dict[str, int] = {}
    raw: dict[str, list[str]] = {}
    visited_total = 0
    for role in Role.values:
        user = User.objects.filter(role=role, is_active=True).order_by("id").first()
        c = Client()
        c.force_login(user)
        switch(c, "en", "/")
        queue, seen, came_from = ["/"], {shape("/")}, {"/": "login"}
        visited = 0
        while queue and visited < PAGES_PER_ROLE:
            url = queue.pop(0)
            r = c.get(url)
            visited += 1
            if r.status_code in (301, 302):
                continue
            if r.status_code != 200:
                errors[f"{role} {url} (linked from {came_from[url]})"] = r.status_code
                continue
            if not r.get("Content-Type", "").startswith("text/html"):
                continue
            html = r.content.decode()
            found = chinese_left(html, values)
            if found:
                left[f"{role} {url}"] = found[:5]
            if not RAW_ALLOWED.search(url):
                text = visible_text(html)
                for v in values:
                    text = text.replace(v, "") if v in text else text
                raw_found = [text[max(m.start() - 30, 0) : m.end() + 30] for m in RAW.finditer(text)]
                if raw_found:
                    raw[f"{role} {url}"] = raw_found[:3]
            for href in links(html):
                href = urldefrag(href)[0]
                if SKIP.search(urlsplit(href).path) or SKIP.search(href):
                    continue
                s = shape(href)
                if s not in seen:
                    seen.add(s)
                    queue.append(href)
                    came_from[href] = url
        visited_total += visited
        assert visited > 3, (role, visited)
    assert visited_total > 150, visited_total
    assert not errors, errors
    assert not raw, "\n".join(f"{url}: {found}" for url, found in sorted(raw.items()))
    assert not left, "\n".join(f"{url}: {han}" for url, han in sorted(left.items()))
