"""Issue 11, point 13: a Content-Security-Policy (no inline script, the platform's own origin only) on every
answer, `Cache-Control: no-store` on authenticated pages and API answers, and templates that need no
inline script, handler or style to work under that policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from jigai.accounts.services import token_create

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "jigai" / "templates"]


def _csp(r) -> dict[str, str]:
    return dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in r["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/password/", "/projects/", "/api/v1/projects", "/api/v1/docs"])
def test_every_answer_carries_a_same_origin_policy_without_inline_script(client_for, path):
    r = client_for("office").get(path)
    assert r.status_code == 200
    policy = _csp(r)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe-inline" not in r["Content-Security-Policy"]
    assert "unsafe-eval" not in r["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/projects/", "/projects/export.xlsx", "/accounts/tokens/", "/api/v1/projects", "/audit/"]
)
def test_authenticated_pages_and_api_answers_are_not_stored(client_for, path):
    role = "auditor" if path == "/audit/" else "office"
    r = client_for(role).get(path)
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]


@pytest.mark.django_db
def test_a_token_api_answer_and_an_api_refusal_are_not_stored(client, users):
    token = token_create(user=users["office"], name="报表")
    r = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    r = client.get("/api/v1/projects")
    assert r.status_code == 401 and "no-store" in r["Cache-Control"]


@pytest.mark.django_db
def test_an_anonymous_page_and_a_static_file_carry_the_policy_too(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200 and _csp(r)["frame-ancestors"] == "'none'"
    r = client.get("/static/jigai/app.js")
    assert r.status_code == 200 and _csp(r)["default-src"] == "'self'"
    assert "no-store" not in r.get("Cache-Control", "")


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_an_inline_script_or_style():
    found = []
    for base in TEMPLATE_DIRS:
        for path in sorted(base.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for m in pattern.finditer(text):
                    line = text.count("\n", 0, m.start()) + 1
                    found.append(f"{path.relative_to(base)}:{line}: {what}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_pages_load_their_behaviour_from_static_files(client_for):
    page = client_for("office").get("/projects/").content.decode()
    assert re.search(r'<script src="/static/jigai/app\.js"', page)
    assert "data-autosubmit" in page and "onchange" not in page
