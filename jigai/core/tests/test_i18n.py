"""English is switchable; Chinese, the source language, renders exactly as written (msgids are Chinese).

Also: the committed .mo is what Babel compiles the committed .po to, and every converted template string
has an English translation. (How to add a string: docs/architecture.md, "Translations".)
"""

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation

from conftest import ProjectFactory
from jigai.registry.models import ProjectPlanYear, ProjectStatus

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
JIGAI = Path(settings.BASE_DIR) / "jigai"
TEMPLATES = JIGAI / "templates"
# The static error pages stay bilingual on purpose (they render without the catalogue).
STATIC_PAGES = {TEMPLATES / "413.html", TEMPLATES / "500.html", TEMPLATES / "503.html"}
ALL_TEMPLATES = sorted({*TEMPLATES.glob("**/*.html"), *JIGAI.glob("*/templates/**/*.html")})
CONVERTED = [p for p in ALL_TEMPLATES if p not in STATIC_PAGES]


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread; don't leak English."""
    yield
    translation.deactivate()


def switch(client, language: str, next_url: str = "/") -> None:
    r = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert r.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


@pytest.fixture
def project(users):
    p = ProjectFactory(region=users["clerk"].region, is_key=True, project_code="2018-422801-13-03-000001")
    ProjectPlanYear.objects.create(project=p, year=2018)
    ProjectPlanYear.objects.create(project=p, year=2019)
    return p


# ---- pages -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_project_pages_switch_to_english_and_back(client_for, project):
    c = client_for("office")
    switch(c, "en", "/projects/")
    html = c.get("/projects/").content.decode()
    assert '<html lang="en">' in html
    for text in (
        "Technical renovation project library",
        "1 project",
        "Reporting unit",
        "Plan year",
        "Total investment (10k yuan)",
        "Pipeline",
        "Key project",
        "Export to Excel",
        "Log out",
        "Prefecture Economy &amp; IT Commission",
        "2018, 2019",
        "Page 1 of 1",
        "Monthly progress",
    ):
        assert text in html, text
    for text in ("技改项目库", "报送单位", "储备", "退出", "全部", "重点项目"):
        assert text not in html, text

    html = c.get(f"/projects/{project.pk}/").content.decode()
    for text in (
        "Back to project library",
        "Status history",
        "Planned start/completion",
        "10k yuan",
        ">Edit<",
        "Change status",
        "Confirm change",
        "No status changes since registration.",
    ):
        assert text in html, text

    html = c.get(f"/projects/{project.pk}/edit/").content.decode()
    for text in (
        '<label for="id_name">Project name:</label>',
        "Equipment investment (10k yuan)",
        "Planned completion date",
        "Liaison leader&#x27;s title",
        "leave blank if not listed",
        "Edit project: " + project.name,
        ">Save<",
        ">Cancel<",
    ):
        assert text in html, text

    switch(c, "zh-hans", "/projects/")
    html = c.get("/projects/").content.decode()
    assert '<html lang="zh-hans">' in html
    for text in (
        "技改项目库",
        "共 1 个项目",
        "报送单位",
        "储备",
        "退出",
        "第 1 / 1 页",
        "2018、2019",
        "州经信委（领导小组办公室）",
    ):
        assert text in html, text
    assert "Technical renovation project library" not in html
    html = c.get(f"/projects/{project.pk}/edit/").content.decode()
    assert '<label for="id_name">项目名称:</label>' in html and "修改项目：" in html


@pytest.mark.django_db
def test_errors_and_messages_follow_the_language(client_for, project):
    c = client_for("clerk")
    switch(c, "en")
    r = c.post(f"/projects/{project.pk}/edit/", {"name": project.name, "total_investment_wan": "-1"})
    html = r.content.decode()
    assert "Amount cannot be negative" in html and "Enter an amount" in html
    r = c.post(
        f"/projects/{project.pk}/transition/",
        {
            "to_status": "construction",
            "reason": "started",
            "effective_date": "2018-03-01",
            "version": project.version,
        },
        follow=True,
    )
    assert "Status changed to “Under construction”." in r.content.decode()
    assert "Under construction" in r.content.decode()
    switch(c, "zh-hans")
    r = c.post(f"/projects/{project.pk}/edit/", {"name": project.name, "total_investment_wan": "-1"})
    assert "金额不能为负数" in r.content.decode()


@pytest.mark.django_db
def test_the_login_page_switches_without_logging_in(client):
    switch(client, "en", "/accounts/login/")
    html = client.get("/accounts/login/").content.decode()
    for text in (
        "Log in to Jigaitong",
        "Username",
        "Password",
        "One-time code (if enabled)",
        "lock the account for 30 minutes",
        "Jigaitong",
    ):
        assert text in html, text
    html = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    assert "Incorrect username or password" in html
    switch(client, "zh-hans", "/accounts/login/")
    html = client.get("/accounts/login/").content.decode()
    assert "登录技改通" in html and "用户名" in html and "Log in to Jigaitong" not in html


@pytest.mark.django_db
def test_the_calculator_page_switches(client_for, project):
    c = client_for("office")
    switch(c, "en")
    html = c.get(f"/policy/calculator/?project={project.pk}").content.decode()
    for text in (
        "Policy calculator",
        "Clause-by-clause estimate",
        "prefilled from the project library",
        "Equipment investment (10k yuan)",
        "Listed in annual renovation plan",
        "Not listed",
        ">Calculate<",
        "“Hidden champion” awards (3.1.2)",
        ">National<",
        "Enter the Chinese name",
    ):
        assert text in html, text
    switch(c, "zh-hans")
    html = c.get("/policy/calculator/").content.decode()
    assert "政策计算器" in html and "未列入" in html and "2018年" in html and "Policy calculator" not in html


@pytest.mark.django_db
def test_enterprise_audit_and_error_pages_switch(client_for, users):
    c = client_for("office")
    switch(c, "en")
    html = c.get("/projects/enterprises/").content.decode()
    assert "Enterprise directory" in html and "1 enterprise" in html and "Yes" in html
    html = c.get(f"/projects/enterprises/{users['_own_enterprise'].pk}/").content.decode()
    assert "Back to enterprise directory" in html and "Renovation projects" in html
    r = c.get("/projects/999999/")
    assert r.status_code == 404 and "The record does not exist" in r.content.decode()
    r = c.get("/audit/")
    assert r.status_code == 403 and "You do not have permission" in r.content.decode()
    a = client_for("auditor")
    html = a.get("/audit/").content.decode()
    assert "Audit log" in html and "Outcome" in html and "Page 1 of 1" in html


# ---- catalogue --------------------------------------------------------------------------------------


def _catalogue(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


def _po() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, abort_invalid=True)


def _compiled(catalog: Catalog) -> bytes:
    """The .mo that ``pybabel compile`` writes: fuzzy and untranslated entries left out."""
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _key(message) -> str:
    """The key GNUTranslations looks a message up by."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    base = "\x00".join(ids)  # msgid NUL msgid_plural
    return base if not message.context else f"{message.context}\x04{base}"


def _translations(t: gettext.GNUTranslations) -> dict:
    """The catalogue less its header, whose Generated-By line names the Babel version."""
    return {k: v for k, v in t._catalog.items() if k != ""}


def test_the_committed_mo_is_the_committed_po_compiled():
    """A stale .mo fails here: run `.venv/bin/pybabel compile -d jigai/locale -D django` and commit both."""
    compiled = _catalogue(_compiled(_po()))
    committed = _catalogue(MO.read_bytes())
    assert _translations(compiled) == _translations(committed)
    assert len(_translations(committed)) > 250
    for name in ("language", "plural-forms", "content-type"):
        assert compiled.info()[name] == committed.info()[name], name
    assert (
        [compiled.plural(n) for n in range(5)] == [committed.plural(n) for n in range(5)] == [1, 0, 1, 1, 1]
    )


def test_every_po_entry_is_translated_and_keeps_its_placeholders():
    catalog = _po()
    assert not catalog.fuzzy and catalog.locale_identifier == "en"
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert not m.fuzzy, ids[0]
        assert all(strings), f"untranslated: {ids[0]!r}"
        assert len(strings) == len(ids), ids[0]
        for text in strings:
            assert set(placeholder.findall(text)) == set(placeholder.findall(ids[0])), ids[0]


def _template_messages(path: Path) -> list[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) of each {% translate "…" %} and {% blocktranslate %}, built as makemessages
    does: text with % doubled, {{ var }} as %(var)s."""
    found, block, context, singular, plural = [], None, None, [], None
    literal = re.compile(r'^(?:translate|trans)\s+"((?:[^"\\]|\\.)*)"(?:\s+context\s+"([^"]*)")?')
    for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
        content = token.contents
        if block is not None:
            if token.token_type == TokenType.BLOCK and content in ("endblocktranslate", "endblocktrans"):
                found.append((context, "".join(singular), None if plural is None else "".join(plural)))
                block = None
            elif token.token_type == TokenType.BLOCK and content == "plural":
                plural = []
            else:
                target = singular if plural is None else plural
                if token.token_type == TokenType.VAR:
                    target.append(f"%({content})s")
                elif token.token_type == TokenType.TEXT:
                    target.append(content.replace("%", "%%"))
                else:
                    raise AssertionError(f"{path.name}: tag inside blocktranslate: {content}")
            continue
        if token.token_type != TokenType.BLOCK:
            continue
        m = literal.match(content)
        if m:
            # As makemessages and the translate tag do: a lone % is looked up as %%.
            found.append((m.group(2), re.sub(r"(?<!%)%(?!%)", "%%", m.group(1)), None))
        elif content.split()[0] in ("blocktranslate", "blocktrans"):
            assert "trimmed" not in content.split(), f"{path.name}: keep blocktranslate untrimmed"
            ctx = re.search(r'\scontext\s+"([^"]*)"', content)
            block, context, singular, plural = content, ctx and ctx.group(1), [], None
    return found


def test_every_converted_template_string_has_an_english_translation():
    po = {_key(m): m for m in _po() if m.id}
    missing, total = [], 0
    for path in CONVERTED:
        for context, msgid, plural in _template_messages(path):
            total += 1
            key = msgid if plural is None else f"{msgid}\x00{plural}"
            key = key if context is None else f"{context}\x04{key}"
            strings = po[key].string if key in po else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if key not in po or not all(strings) or po[key].fuzzy:
                missing.append(f"{path.relative_to(JIGAI)}: {msgid!r}")
    assert total > 200
    assert not missing, "\n".join(missing)


def test_every_template_is_converted_but_the_static_error_pages():
    """CONVERTED is every template under jigai/ (the project's and the apps' own directories) less the
    bilingual static error pages."""
    names = {p.relative_to(JIGAI).as_posix() for p in CONVERTED}
    assert {
        "templates/base.html",
        "templates/core/document_register.html",
        "templates/incentives/application_detail.html",
        "notices/templates/notices/public_detail.html",
        "champions/templates/champions/detail.html",
        "attachments/templates/attachments/_list.html",
    } <= names
    assert all(p.is_file() for p in STATIC_PAGES) and not STATIC_PAGES & set(CONVERTED)
    assert set(CONVERTED) | STATIC_PAGES == set(ALL_TEMPLATES)
    assert {
        "templates/funds/ledger.html",
        "templates/support/project.html",
        "templates/home/_cockpit.html",
    } <= names


def test_converted_templates_hold_no_untranslated_chinese():
    """Chinese outside tags would not switch; 500.html is static and stays bilingual on purpose."""
    tag = re.compile(
        r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S
    )
    han = re.compile(r"[\u4e00-\u9fff]")
    for path in CONVERTED:
        text = path.read_text(encoding="utf-8")
        outside = tag.sub("", text)
        assert not han.search(outside), f"{path.relative_to(JIGAI)}: {han.search(outside)}"
        for m in re.finditer(r"\{%\s*(?:if|for|with|url|block)\b.*?%\}", text):
            assert not han.search(m.group()), f"{path.name}: {m.group()}"
    html = (TEMPLATES / "500.html").read_text(encoding="utf-8")
    assert "系统暂时出现问题" in html and "temporary problem" in html


def test_labels_are_lazy_and_follow_the_active_language():
    with translation.override("en"):
        assert ProjectStatus.RESERVE.label == "Pipeline"
        assert str(ProjectStatus.COMPLETED.label) == "Completed & in production"
    with translation.override("zh-hans"):
        assert ProjectStatus.RESERVE.label == "储备"
        assert [str(label) for _, label in ProjectStatus.choices] == [
            "储备",
            "在建",
            "竣工投产",
            "已验收",
            "终止",
        ]


@pytest.mark.django_db
def test_lazy_verbose_names_need_no_migration():
    with translation.override("en"):
        call_command("makemigrations", "core", "accounts", "registry", check=True, dry_run=True, verbosity=0)


# ---- the catalogue against GNU gettext ---------------------------------------------------------------


def test_babel_compiles_what_msgfmt_compiles_when_it_is_installed(tmp_path):
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext is not installed")
    out = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(out), str(PO)], check=True)
    assert _translations(_catalogue(out.read_bytes())) == _translations(_catalogue(MO.read_bytes()))
