"""Words and colours as the office writes them, checked on the demo: people's names not logins, one
word once, dates with their year, digests kept in the details, Django's validators in the office's words,
colours by meaning (red late, amber at risk, green done)."""

import re

import pytest
from django.test import Client
from django.utils import translation

from jigai.accounts.models import User
from jigai.assessment.forms import RecordForm, TargetFigureForm
from jigai.dispatch.models import Bulletin

pytestmark = pytest.mark.django_db


def test_words_and_colours_on_the_demo(demo_data):
    """The shared demo (`demo_data`) for every page check below."""
    people_are_named_not_their_logins()
    a_correction_names_itself_once_in_the_bulletin_list()
    the_audit_digest_stays_in_the_details()
    the_months_deadlines_carry_their_year()
    colours_follow_meaning()


def client(role: str) -> Client:
    c = Client()
    c.force_login(User.objects.filter(role=role).order_by("pk").first())
    return c


def people_are_named_not_their_logins():
    c = client("office")
    logins = set(User.objects.values_list("username", flat=True))
    # The acceptance team and the bank users linked to banks: the person's name (display name).
    from jigai.registry.models import Project

    acceptance = next(
        url
        for url in (
            f"/acceptance/projects/{pk}/"
            for pk in Project.objects.order_by("pk").values_list("pk", flat=True)
        )
        if "验收组成员" in c.get(url).content.decode()
    )
    pages = ["/finance/banks/", acceptance]
    assert len(pages) == 2
    for url in pages:
        html = c.get(url).content.decode()
        body = html.split("</header>", 1)[-1]
        shown = {w for w in re.findall(r">\s*([A-Za-z][\w]+)\s*[（<、]", body)} & logins
        assert not shown, (url, shown)
    office = User.objects.filter(role="office").order_by("pk").first()
    assert office.display_name and f">{office.display_name}（" in c.get(pages[1]).content.decode()


def a_correction_names_itself_once_in_the_bulletin_list():
    assert Bulletin.objects.filter(edition__gt=1).exists()
    html = client("office").get("/dispatch/bulletins/").content.decode()
    assert "（更正版）</a>" in html
    assert not re.search(r"更正版）</a></td>\s*<td>[^<]*<span[^>]*>更正版", html)
    assert re.search(r"更正版）</a></td>\s*<td><span class=\"tag tag-warn\">第2版</span>", html)


def the_audit_digest_stays_in_the_details():
    b = Bulletin.objects.exclude(snapshot__audit_checkpoint=None).order_by("pk").first()
    html = client("office").get(f"/dispatch/bulletins/{b.pk}/").content.decode()
    digests = re.findall(r"\b[0-9a-f]{64}\b", html)
    assert digests
    details = "".join(re.findall(r"<details.*?</details>", html, re.S))
    assert all(d in details for d in digests)


def the_months_deadlines_carry_their_year():
    html = client("office").get("/").content.decode()
    whens = re.findall(r'<span class="when">([^<]*)', html)
    assert whens
    assert any(re.search(r"\d{4}年\d{1,2}月\d{1,2}日", w) for w in whens)
    for w in whens:
        assert not re.search(r"(?<![年\d])\d{1,2}月\d{1,2}日", w), w


def colours_follow_meaning():
    """Overdue and defaulted in red; the cockpit's target statuses coloured as on the targets page."""
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "jigai" / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert 'class="tag">已逾期' not in text, path
        assert 'class="tag">已违约' not in text, path
    html = client("leader").get("/").content.decode()
    statuses = re.findall(r'class="tag status-(\w+)"', html)
    assert statuses and set(statuses) <= {"done", "on_course", "at_risk", "missed", "no_data"}
    css = (Path(settings.BASE_DIR) / "jigai" / "static" / "jigai" / "app.css").read_text()
    colour = {s: re.search(rf"\.status-{s} {{ background:(#\w+)", css).group(1) for s in set(statuses)}
    assert len(set(colour.values())) == len(colour)  # one colour, one meaning


def test_djangos_validators_speak_as_the_office_does():
    with translation.override("zh-hans"):
        errors = TargetFigureForm({"clause": "2.2.a", "value": "100001"}).errors
        assert errors["value"] == ["不能大于 100000。"]
        errors = RecordForm({"held_date": "x"}).errors
        assert errors["held_date"] == ["请填写有效的日期（如 2021-01-15）。"]
        assert errors["interviewer"] == ["请填写此项。"]
