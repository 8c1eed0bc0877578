"""On the demo (`jigai demo`), every page of the header's menu, every figure of the home page and the
first detail page each list links to answer each of the nine roles with content: 200 (or a deliberate
redirect), never a server error, never a page the role may not open. The filing receipt's number is a
line of the document-number register."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jigai.accounts.models import Role, User

pytestmark = pytest.mark.django_db

# One demo user of each role (the county clerk of 恩施市, the first enterprise, a bank with its own bank).
DEMO_USERS = {
    Role.OFFICE: "office", Role.FINANCE: "finance", Role.CLERK: "clerk_422801", Role.ENTERPRISE: "ent01",
    Role.BANK: "bank_icbc", Role.LEADER: "leader", Role.AUDITOR: "auditor", Role.SECURITY_ADMIN: "secadmin",
    Role.SYSADMIN: "sysadmin",
}  # fmt: skip
DETAIL = re.compile(
    r"^/(projects|enterprises|finance/(needs|loans|meetings)|support/(projects|filings|meetings))/\d+/$"
)


def _links(html: str, section: str) -> list[str]:
    part = html.split(section, 1)[1].split("</nav>" if section == "<nav>" else "</section>", 1)[0]
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', part)]


def test_every_demo_role_opens_its_menu_figures_and_details(demo_data):
    from jigai.core.models import DocumentNumber
    from jigai.support.models import Filing, Outcome

    # The demo's qualifying filing took its receipt number from the register.
    receipts = Filing.objects.filter(outcome=Outcome.ELIGIBLE)
    assert receipts.exists()
    for f in receipts:
        entry = DocumentNumber.objects.get(
            issuer="恩施州技改备", year=f.receipt_year, serial=f.receipt_serial
        )
        assert entry.kind == DocumentNumber.Kind.FILING_RECEIPT and f.project.name in entry.title
    assert set(DEMO_USERS) == set(Role.values)
    failures, visited = [], {}
    for role, username in DEMO_USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        home = client.get("/")
        assert home.status_code == 200, role
        html = home.content.decode()
        pages = set(_links(html, "<nav>"))
        if 'id="figures"' in html:
            pages |= set(_links(html, 'id="figures"'))
        assert len(pages) >= 3, (role, pages)
        details = {}
        for path in sorted(pages):
            response = client.get(path)
            if response.status_code in (301, 302):
                continue
            body = response.content.decode(errors="replace")
            if response.status_code != 200 or "<main" not in body or len(body) < 1500:
                failures.append((role, path, response.status_code))
                continue
            for href in re.findall(r'href="(/[^"#?]*)"', body):
                key = DETAIL.sub(r"\1", href) if DETAIL.match(href) else None
                if key and key not in details:
                    details[key] = href
        visited[role] = (len(pages), sorted(details))
        for path in details.values():
            response = client.get(path)
            if response.status_code != 200:
                failures.append((role, path, response.status_code))
    assert not failures, failures
    # The crawl reached the new apps' detail pages, not only the lists.
    assert {"finance/needs", "finance/loans", "support/filings", "support/projects"} <= set(
        visited[Role.OFFICE][1]
    )
    assert {"finance/needs", "finance/loans"} <= set(visited[Role.BANK][1])
    assert {"support/filings", "support/projects", "finance/needs"} <= set(visited[Role.ENTERPRISE][1])
