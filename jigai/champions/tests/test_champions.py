"""Champion declarations (隐形冠军, 3.1.2; issue 12 point 5): declare with the certificate, the office
verifies or returns, 3.1.2 decides, the eligible decision goes to funds, approved awards count for 2.2.a."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import EnterpriseFactory, make_user
from jigai.accounts.models import Role
from jigai.accounts.permissions import can
from jigai.attachments import services as attachment_services
from jigai.attachments.models import Attachment
from jigai.attachments.tests import files
from jigai.champions import services
from jigai.champions.models import Declaration, Outcome, State
from jigai.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent
from jigai.core.todo import todos_for
from jigai.funds import selectors as funds_selectors
from jigai.funds.models import ItemState

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(dt.datetime(2020, 3, 2, 10, 0))


@pytest.fixture(autouse=True)
def attachment_root(settings, tmp_path):
    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"


def declare(users, who="enterprise", enterprise=None, **kw):
    data = {
        "technology": "富硒茶多酚提取工艺",
        "year": 2019,
        "level": "national",
        "rank": 2,
        "industry": "硒食品加工",
        "issuer": "中国食品工业协会",
    } | kw
    return services.declaration_create(
        user=users[who], enterprise=enterprise or users["_own_enterprise"], at=AT, **data
    )


def certify(users, d, who="enterprise", data=files.PDF):
    return attachment_services.attachment_store(
        user=users[who], owner=d, kind="certificate", upload=files.upload("证书.pdf", data), at=AT
    )


def submitted(users, **kw):
    d = declare(users, **kw)
    certify(users, d)
    return services.declaration_submit(user=users["enterprise"], declaration=d, at=AT)


def test_a_declaration_needs_its_certificate_before_it_is_submitted(users):
    d = declare(users)
    assert d.state == State.DRAFT and d.declared_by == users["enterprise"]
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(user=users["enterprise"], declaration=d, at=AT)
    assert "certificate" in exc.value.errors
    with pytest.raises(ValidationError):
        certify(users, d, data=files.EXE)  # evidence goes through the attachments' content check
    certify(users, d)
    d = services.declaration_submit(user=users["enterprise"], declaration=d, at=AT)
    assert d.state == State.SUBMITTED and d.submitted_at == AT
    with pytest.raises(ConflictError):
        certify(users, d)  # no new evidence once submitted
    with pytest.raises(ConflictError):
        services.declaration_update(
            user=users["enterprise"], declaration=d, expected_version=d.version, at=AT, rank=1
        )


def test_bad_input_names_the_field(users):
    with pytest.raises(ValidationError) as exc:
        declare(users, technology=" ", year=2035, level="world", rank=0, industry="")
    assert set(exc.value.errors) == {"technology", "year", "level", "rank", "industry"}
    assert not Declaration.objects.exists()


def test_verification_decides_3_1_2_and_proposes_the_award_to_funds(users):
    d = submitted(users)
    d = services.declaration_verify(user=users["office"], declaration=d, at=AT)
    assert d.state == State.VERIFIED and d.verified_by == users["office"]
    assert d.outcome == Outcome.ELIGIBLE and d.amount_yuan == Decimal("100000.00")
    assert "全国第2名" in d.explanation and d.decision["clause"] == "3.1.2"
    (item,) = funds_selectors.items_for_source(f"champion:{d.pk}")
    assert item.clause == "3.1.2" and item.project is None and item.year == 2019
    assert item.entitled_yuan == Decimal("100000.00") and item.state == ItemState.PROPOSED
    assert item.prefecture_share_yuan + item.county_share_yuan == item.entitled_yuan
    assert item.enterprise == users["_own_enterprise"] and item.region == users["_own_enterprise"].region
    assert AuditEvent.objects.filter(event="champion_verify", object_id=str(d.pk)).exists()
    assert AuditEvent.objects.filter(event="propose", object_id=str(item.pk)).exists()


def test_an_ineligible_rank_is_decided_but_nothing_is_proposed(users):
    d = submitted(users, level="provincial", rank=5)
    d = services.declaration_verify(user=users["office"], declaration=d, at=AT)
    assert d.outcome == Outcome.INELIGIBLE and d.amount_yuan == 0 and "前3名" in d.explanation
    assert funds_selectors.items_for_source(d.source) == []


def test_an_unlisted_industry_needs_the_offices_written_confirmation(users):
    d = submitted(users, industry="纺织服装", level="provincial", rank=1)
    with pytest.raises(ValidationError) as exc:
        services.declaration_verify(user=users["office"], declaration=d, at=AT)
    assert "industry_confirmation" in exc.value.errors
    d.refresh_from_db()
    assert d.state == State.SUBMITTED
    d = services.declaration_verify(
        user=users["office"], declaration=d, industry_confirmation="州领导小组会议纪要认定为特色产业", at=AT
    )
    assert d.outcome == Outcome.ELIGIBLE and d.amount_yuan == Decimal("100000.00")
    assert "州领导小组会议纪要" in d.explanation
    (item,) = funds_selectors.items_for_source(d.source)
    assert item.entitled_yuan == Decimal("100000.00")


def test_the_higher_award_only_for_the_same_technology_and_year(users):
    low = services.declaration_verify(
        user=users["office"], declaration=submitted(users, level="provincial", rank=1), at=AT
    )
    assert low.amount_yuan == Decimal("100000.00")
    assert funds_selectors.items_for_source(low.source)[0].state == ItemState.PROPOSED
    high = services.declaration_verify(
        user=users["office"], declaration=submitted(users, level="national", rank=1), at=AT
    )
    low.refresh_from_db()
    assert high.amount_yuan == Decimal("200000.00")
    assert low.outcome == Outcome.INELIGIBLE and low.amount_yuan == 0
    assert funds_selectors.items_for_source(low.source) == []  # its proposal withdrawn
    assert funds_selectors.items_for_source(high.source)[0].entitled_yuan == Decimal("200000.00")


def test_the_office_returns_with_reasons_and_the_declarer_resubmits(users):
    d = submitted(users)
    with pytest.raises(ValidationError):
        services.declaration_return(user=users["office"], declaration=d, reason="", at=AT)
    d = services.declaration_return(
        user=users["office"], declaration=d, reason="证书为复印件，请上传原件扫描件", at=AT
    )
    assert d.state == State.RETURNED
    keys = {t.key for t in todos_for(users["enterprise"], AT.date())}
    assert f"champions.declaration.{d.pk}.resubmit" in keys
    d = services.declaration_update(
        user=users["enterprise"], declaration=d, expected_version=d.version, at=AT, issuer="工信部"
    )
    d = services.declaration_submit(user=users["enterprise"], declaration=d, at=AT)
    assert d.state == State.SUBMITTED
    assert f"champions.declaration.{d.pk}.verify" in {t.key for t in todos_for(users["office"], AT.date())}


def test_who_may_do_what_and_another_enterprise_is_404(users, client_for):
    other = EnterpriseFactory()
    with pytest.raises(PermissionDeniedError):
        declare(users, enterprise=other)
    with pytest.raises(PermissionDeniedError):
        declare(users, who="office")
    d = declare(users, who="clerk")  # on the enterprise's behalf (same county)
    certify(users, d, who="clerk")
    services.declaration_submit(user=users["clerk"], declaration=d, at=AT)
    with pytest.raises(PermissionDeniedError):
        services.declaration_verify(user=users["enterprise"], declaration=d, at=AT)
    stranger = make_user("stranger", Role.ENTERPRISE, credit_code=other.credit_code)
    c = client_for("office")
    c.force_login(stranger)
    assert c.get(f"/champions/{d.pk}/").status_code == 404
    assert c.get(f"/api/v1/champions/{d.pk}").status_code == 404
    att = Attachment.objects.get()
    assert c.get(f"/attachments/{att.pk}/").status_code == 404
    c.force_login(users["enterprise"])
    assert c.get(f"/attachments/{att.pk}/").status_code == 200
    with pytest.raises(NotFoundError):
        attachment_services.attachment_store(
            user=stranger, owner=d, kind="certificate", upload=files.upload("a.pdf", files.PDF), at=AT
        )


@pytest.mark.parametrize(
    ("role", "view", "declare_", "verify"),
    [
        ("office", True, False, True),
        ("finance", True, False, False),
        ("clerk", True, True, False),
        ("enterprise", True, True, False),
        ("leader", True, False, False),
        ("bank", False, False, False),
        ("auditor", False, False, False),
        ("security_admin", False, False, False),
        ("sysadmin", False, False, False),
    ],
)
def test_role_by_operation(users, client_for, role, view, declare_, verify):
    assert can(users[role], "champion.view") is view
    assert can(users[role], "champion.declare") is declare_
    assert can(users[role], "champion.verify") is verify
    d = submitted(users)
    c = client_for(role)
    assert c.get(f"/champions/{d.pk}/").status_code == (200 if view else 403)
    assert c.get("/champions/new/").status_code == (200 if declare_ else 403)
    r = c.post(f"/champions/{d.pk}/verify/", {"industry_confirmation": ""})
    assert r.status_code == (302 if verify else 403)
    d.refresh_from_db()
    assert d.state == (State.VERIFIED if verify else State.SUBMITTED)


def test_the_pages_walk_the_declaration(users, client_for):
    c = client_for("enterprise")
    ent = users["_own_enterprise"]
    r = c.post(
        "/champions/new/",
        {
            "enterprise": ent.pk,
            "technology": "硒肽提取",
            "year": 2019,
            "level": "provincial",
            "rank": 1,
            "industry": "生物医药",
        },
    )
    d = Declaration.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/champions/{d.pk}/"
    r = c.post(f"/champions/{d.pk}/submit/", {"version": d.version}, follow=True)
    assert "请先上传获奖证书" in r.content.decode()
    c.post(f"/champions/{d.pk}/certificate/", {"file": files.upload("证书.pdf", files.PDF)})
    page = c.get(f"/champions/{d.pk}/").content.decode()
    assert "证书.pdf" in page and "提交核实" in page
    c.post(f"/champions/{d.pk}/submit/", {"version": d.version})
    d.refresh_from_db()
    assert d.state == State.SUBMITTED
    c = client_for("office")
    page = c.get(f"/champions/{d.pk}/").content.decode()
    assert "全省同行业第1名奖励100,000.00元" in page and "核实无误" in page
    c.post(f"/champions/{d.pk}/verify/", {"industry_confirmation": ""})
    page = c.get(f"/champions/{d.pk}/").content.decode()
    assert "已核实" in page and "待报批" in page and "100000.00" in page
    assert "硒肽提取" in client_for("leader").get("/champions/").content.decode()


def test_the_api_walks_the_declaration(users, client_for):
    c = client_for("enterprise")
    ent = users["_own_enterprise"]
    r = c.post(
        "/api/v1/champions",
        {
            "enterprise_id": ent.pk,
            "technology": "硒肽提取",
            "year": 2019,
            "level": "national",
            "rank": 3,
            "industry": "生物医药",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(
        "/api/v1/attachments",
        {
            "owner_type": "champions.declaration",
            "owner_id": pk,
            "kind": "certificate",
            "file": files.upload("c.pdf", files.PDF),
        },
    )
    assert r.status_code == 201
    r = c.post(f"/api/v1/champions/{pk}/submit", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "submitted" and len(r.json()["certificates"]) == 1
    assert c.post(f"/api/v1/champions/{pk}/verify", {}, content_type="application/json").status_code == 403
    c = client_for("office")
    r = c.post(f"/api/v1/champions/{pk}/verify", {}, content_type="application/json")
    body = r.json()
    assert r.status_code == 200 and body["outcome"] == "eligible" and body["amount_yuan"] == "50000.00"
    assert body["funds"][0]["state"] == "proposed"
    r = c.post(
        "/api/v1/champions",
        {
            "enterprise_id": ent.pk,
            "technology": "x",
            "year": 2019,
            "level": "national",
            "rank": 3,
            "industry": "y",
        },
        content_type="application/json",
    )
    assert r.status_code == 403
