import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.finance import services
from jigai.finance.models import Bank, BankKind, BankMembership

AT = timezone.make_aware(dt.datetime(2019, 6, 1, 10, 0))


@pytest.fixture
def fin(users, region, other_region):
    """Two banks with a user each, projects in 恩施市 (the clerk's and the enterprise's own) and 利川市, an
    open need on each, and a loan by bank A on the own project."""
    a = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行", kind=BankKind.STATE)
    b = Bank.objects.create(name="湖北银行恩施分行", short_name="湖北银行", kind=BankKind.LOCAL)
    BankMembership.objects.create(user=users["bank"], bank=a)
    bank_b = make_user("bank_b", Role.BANK)
    BankMembership.objects.create(user=bank_b, bank=b)
    own = ProjectFactory(enterprise=users["_own_enterprise"], name="本企业技改项目")
    other_ent = EnterpriseFactory(region=region, name="同县他企")
    same_county = ProjectFactory(enterprise=other_ent, name="同县他企项目")
    far = ProjectFactory(enterprise=EnterpriseFactory(region=other_region, name="利川企业"), name="利川项目")
    office = users["office"]
    needs = {
        p.name: services.need_post(
            user=office,
            project=p,
            amount_yuan=Decimal("5000000"),
            purpose="购置设备",
            term_months=36,
            posted_on=dt.date(2019, 3, 1),
            at=AT,
        )
        for p in (own, same_county, far)
    }
    loan_a = services.loan_record(
        user=users["bank"],
        need=needs["本企业技改项目"],
        amount_yuan=Decimal("3000000"),
        rate_percent=Decimal("4.35"),
        issued_on=dt.date(2019, 4, 1),
        maturity_on=dt.date(2022, 4, 1),
        at=AT,
    )
    loan_b = services.loan_record(
        user=bank_b,
        need=needs["利川项目"],
        amount_yuan=Decimal("5000000"),
        rate_percent=Decimal("4.90"),
        issued_on=dt.date(2019, 5, 1),
        maturity_on=dt.date(2022, 5, 1),
        at=AT,
    )
    return {
        "bank_a": a,
        "bank_b": b,
        "bank_b_user": bank_b,
        "own": own,
        "same_county": same_county,
        "far": far,
        "needs": needs,
        "loan_a": loan_a,
        "loan_b": loan_b,
    }
