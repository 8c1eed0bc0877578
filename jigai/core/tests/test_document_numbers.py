"""The document-number register (发文登记): every 发文字号 the platform issues is handed out once, whatever
the kind of document, and the office sees the register (docs/documents.md)."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection, connections

from jigai.assessment import services as assessment_services
from jigai.assessment.models import InterviewCase, UnitLeader
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019
from jigai.core.docnumbers import Kind, next_document_number
from jigai.core.errors import PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, DocumentNumber, Region
from jigai.dispatch import services as dispatch_services

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=BEIJING)


def test_numbers_of_one_issuer_and_year_are_handed_out_once_across_kinds(users):
    office = users["office"]
    first = next_document_number(issuer="恩施州技改办", year=2021, kind=Kind.BULLETIN, at=_at(2021, 1, 15),
                                 user=office, title="关于2020年12月全州技改项目推进情况的通报")  # fmt: skip
    second = next_document_number(issuer="恩施州技改办", year=2021, kind=Kind.INTERVIEW_NOTICE,
                                  at=_at(2021, 1, 23), user=office, title="关于约谈来凤县人民政府的通知")  # fmt: skip
    other_year = next_document_number(issuer="恩施州技改办", year=2020, kind=Kind.MEETING_PACK,
                                      at=_at(2021, 1, 23), user=office)  # fmt: skip
    other_issuer = next_document_number(issuer="恩施州经信委", year=2021, kind=Kind.OTHER, at=_at(2021, 1, 23),
                                        user=office)  # fmt: skip
    assert [n.text for n in (first, second, other_year, other_issuer)] == [
        "恩施州技改办〔2021〕1号", "恩施州技改办〔2021〕2号", "恩施州技改办〔2020〕1号", "恩施州经信委〔2021〕1号",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(event="document_number").count() == 4
    with pytest.raises(ValidationError, match="未知的文种"):
        next_document_number(issuer="恩施州技改办", year=2021, kind="memo", at=_at(2021, 1, 23), user=office)


def test_the_december_bulletin_and_the_january_interview_notice_no_longer_share_a_number(users):
    june_2019()
    office = users["office"]
    bulletin = dispatch_services.bulletin_publish(user=office, year=2019, month=6, at=_at(2019, 7, 12),
                                                  issue_date=dt.date(2019, 7, 12))  # fmt: skip
    assessment_services.ranking_publish(user=office, period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    for r in Region.objects.filter(level="unit"):
        UnitLeader.objects.create(region=r, year=2019, deputy_name="副", principal_name="正")
    case = InterviewCase.objects.order_by("id").first()
    case = assessment_services.interview_notify(user=office, case=case, notice_date=dt.date(2019, 7, 15),
                                                at=_at(2019, 7, 15))  # fmt: skip
    assert bulletin.document_number == "恩施州技改办〔2019〕1号"
    assert case.notice_number == "恩施州技改办〔2019〕2号"
    kinds = list(DocumentNumber.objects.order_by("serial").values_list("serial", "kind"))
    assert kinds == [(1, "bulletin"), (2, "interview_notice")]


def test_the_office_sees_the_register_and_a_county_clerk_does_not(users, client_for):
    next_document_number(issuer="恩施州技改办", year=2021, kind=Kind.BULLETIN, at=_at(2021, 1, 15, 15),
                         user=users["office"], title="关于2020年12月全州技改项目推进情况的通报",
                         issue_date=dt.date(2021, 1, 15))  # fmt: skip
    html = client_for("office").get("/documents/numbers/").content.decode()
    assert "恩施州技改办〔2021〕1号" in html and "月通报" in html and "2021年1月15日 15:00" in html
    assert "关于2020年12月全州技改项目推进情况的通报" in html
    assert client_for("clerk").get("/documents/numbers/").status_code == 403
    assert client_for("auditor").get("/documents/numbers/").status_code == 200


def test_a_meeting_pack_takes_its_number_once_per_quarter(users, client_for):
    office = users["office"]
    q = Period.parse("2020Q4")
    first = assessment_services.meeting_pack_number(user=office, period=q, at=_at(2021, 1, 20),
                                                    issue_date=dt.date(2021, 1, 20))  # fmt: skip
    again = assessment_services.meeting_pack_number(user=office, period=q, at=_at(2021, 1, 21),
                                                    issue_date=dt.date(2021, 1, 21))  # fmt: skip
    assert first.pk == again.pk and first.kind == "meeting_pack"
    with pytest.raises(PermissionDeniedError):
        assessment_services.meeting_pack_number(user=users["leader"], period=Period.parse("2020Q3"),
                                                at=_at(2021, 1, 20), issue_date=dt.date(2021, 1, 20))  # fmt: skip
    html = client_for("leader").get("/assessment/meeting-pack/?period=2020Q4").content.decode()
    assert first.text in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_offices_taking_numbers_at_the_same_moment_get_two_numbers(users):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL only (SQLite has one write lock)")
    office = users["office"]
    results, barrier = [], threading.Barrier(4)

    def take():
        try:
            barrier.wait(5)
            n = next_document_number(issuer="恩施州技改办", year=2022, kind=Kind.OTHER, at=_at(2022, 1, 5),
                                     user=office)  # fmt: skip
            results.append(n.serial)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [1, 2, 3, 4]
