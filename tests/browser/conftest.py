"""Browser tests drive Debian's Chromium through Playwright. Outside CI they skip where no Chromium is
installed; in CI (.ci/run sets JIGAI_REQUIRE_BROWSER=1 and installs it) a missing Chromium fails."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("JIGAI_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("未找到 Debian 的 Chromium（/usr/bin/chromium）：CI 中浏览器测试不能跳过")
        pytest.skip("未安装 Chromium（apt-get install chromium），跳过浏览器测试")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
