"""Issue 11, point 13: under the Content-Security-Policy (scripts and styles from the platform's own files
only) the pages still work in a real browser: the charts draw, the language switch submits, the API
browser renders, and the browser reports no refused script or style."""

import re

import pytest

from conftest import PASSWORD, make_user
from jigai.accounts.models import Role
from jigai.assessment.tests.factories import june_2019

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(transactional_db):
    make_user("office_csp", Role.OFFICE)
    june_2019()


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if re.search(r"Content Security Policy|Refused to", m.text, re.I)
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def test_the_pages_work_under_the_content_security_policy(live_server, page, office):
    problems = _watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office_csp")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#todo-list")  # the login lands on the home page

    for path in (
        "/assessment/rankings/?period=2019Q2",
        "/assessment/targets/?year=2019&as_of=2019-07-15",
        "/dispatch/bulletins/draft/2019/6/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(".chart canvas", state="attached")
        assert page.locator(".chart canvas").count() >= 1, path

    # The language switch submits itself (a listener in jigai/app.js, no inline onchange).
    page.goto(f"{live_server.url}/projects/")
    page.select_option("select[name=language]", "en")
    # A selector, not wait_for_function: a string predicate is polled by eval() in the page, which the
    # policy rightly refuses once the answer is slower than the first check.
    page.wait_for_selector("html[lang=en]", state="attached")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]", state="attached")

    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", state="attached")

    assert not problems, "\n".join(problems)
