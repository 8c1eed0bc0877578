"""``reports_submit_many``: report_submit for many rows (imports), the same checks, one record a row."""

from decimal import Decimal

import pytest

from jigai.core import audit
from jigai.core.errors import ValidationError
from jigai.core.models import AuditEvent
from jigai.dispatch import services
from jigai.dispatch.models import ProgressReport, ProgressReportRevision

from .helpers import bj, project, report

pytestmark = pytest.mark.django_db
AT = bj(2019, 7, 5)
FILE = "6月.xlsx (sha256:abc)"


def data(month_yuan="100.00", cumulative_yuan="100.00"):
    return {
        "month_investment_yuan": Decimal(month_yuan),
        "cumulative_investment_yuan": Decimal(cumulative_yuan),
    }


def test_each_report_of_a_batch_has_its_own_record_naming_the_user_and_the_file(users):
    a, b = project(name="甲"), project(name="乙")
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    reports = services.reports_submit_many(
        user=users["clerk"], rows=[(a, 2019, 6, data()), (b, 2019, 6, data())], at=AT, source_detail=FILE
    )
    events = list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))
    assert [(e.event, e.object_type, e.object_id) for e in events] == [
        ("create", "dispatch.progressreport", str(r.pk)) for r in reports
    ]
    assert {(e.username, e.source, e.source_detail) for e in events} == {("clerk", "import", FILE)}
    assert events[0].after == audit.snapshot(reports[0])  # what report_submit's save records
    assert ProgressReportRevision.objects.filter(report__in=reports, version=1).count() == 2
    assert audit.verify() == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (lambda other: (other, 2019, 6, data()), "只能填报本单位"),
        (
            lambda other: (project(name="丙"), 2019, 6, data("9.00", "1.00")),
            "开工累计完成投资不能小于本月完成投资",
        ),
        (lambda other: (project(name="丁"), 2019, 9, data()), "尚未到来"),
        (lambda other: (project(name="戊", start=None), 2019, 6, data()), "尚未开工"),
    ],
    ids=["other-unit", "impossible", "future-month", "not-started"],
)
def test_one_refused_row_refuses_the_whole_batch(users, row, message):
    good = project(name="好项目")
    other = project("422802", name="外县项目")
    with pytest.raises(ValidationError, match=message):
        services.reports_submit_many(
            user=users["clerk"], rows=[(good, 2019, 6, data()), row(other)], at=AT, source_detail=FILE
        )
    assert not ProgressReport.objects.exists()


def test_a_month_already_reported_is_not_submitted_again(users):
    a = project(name="甲")
    report(users["clerk"], a, 2019, 6, 1, 1)
    with pytest.raises(ValidationError, match="已报送"):
        services.reports_submit_many(
            user=users["clerk"], rows=[(a, 2019, 6, data())], at=AT, source_detail=FILE
        )
    assert ProgressReport.objects.count() == 1
