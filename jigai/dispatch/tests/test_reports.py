"""Submitting progress reports, correcting them with a reason and history, and the month screen's save."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.core.errors import PermissionDeniedError, StaleEditError, ValidationError
from jigai.core.models import AuditEvent
from jigai.dispatch import services
from jigai.dispatch.models import ProgressReport
from jigai.dispatch.periods import Month

from .helpers import WAN, bj, project, report

pytestmark = pytest.mark.django_db


def test_a_clerk_submits_a_report_and_its_first_version_is_kept(users):
    p = project()
    r = report(users["clerk"], p, 2019, 6, "120.5", 800, progress_text="主体封顶", state="on_schedule")
    assert r.version == 1 and r.region_id == p.region_id
    assert r.month_investment_yuan == Decimal("1205000.00")
    assert r.first_submitted_at == r.submitted_at == bj(2019, 7, 3)
    assert list(r.revisions.values_list("version", "reason")) == [(1, "")]
    assert AuditEvent.objects.filter(
        object_type="dispatch.progressreport", object_id=str(r.pk), event="create"
    ).exists()


def test_a_second_submission_for_the_same_month_is_refused_as_a_correction(users):
    p = project()
    report(users["clerk"], p, 2019, 6, 100, 800)
    with pytest.raises(services.AlreadyReportedError):
        report(users["clerk"], p, 2019, 6, 100, 900)


def test_a_correction_needs_a_reason_and_keeps_every_version(users):
    p = project()
    r = report(users["clerk"], p, 2019, 6, 100, 800)
    data = {"cumulative_investment_yuan": Decimal(900) * WAN}
    with pytest.raises(ValidationError) as exc:
        services.report_correct(user=users["clerk"], report=r, data=data, reason=" ", at=bj(2019, 7, 10))
    assert "reason" in exc.value.errors
    r, changed = services.report_correct(user=users["clerk"], report=r, data=data, reason="补录发票",
                                         at=bj(2019, 7, 10), expected_version=1)  # fmt: skip
    assert changed and r.version == 2 and r.cumulative_investment_yuan == Decimal(900) * WAN
    assert r.first_submitted_at == bj(2019, 7, 3) and r.submitted_at == bj(2019, 7, 10)
    history = list(r.revisions.order_by("version").values_list("version", "reason", "data"))
    assert [(v, reason) for v, reason, _ in history] == [(1, ""), (2, "补录发票")]
    assert history[0][2]["cumulative_investment_yuan"] == "8000000.00"
    assert history[1][2]["cumulative_investment_yuan"] == "9000000.00"
    event = AuditEvent.objects.filter(event="update", object_id=str(r.pk)).latest("seq")
    assert event.before["cumulative_investment_yuan"] == "8000000.00"
    assert event.after["cumulative_investment_yuan"] == "9000000.00"
    assert AuditEvent.objects.filter(
        event="correct", object_id=str(r.pk), message__contains="补录发票"
    ).exists()


def test_a_correction_that_changes_nothing_writes_nothing(users):
    r = report(users["clerk"], project(), 2019, 6, 100, 800)
    same, changed = services.report_correct(user=users["clerk"], report=r, data={"progress_pct": 30}, reason="",
                                            at=bj(2019, 7, 10))  # fmt: skip
    assert not changed and same.version == 1 and r.revisions.count() == 1


def test_a_stale_correction_is_refused(users):
    r = report(users["clerk"], project(), 2019, 6, 100, 800)
    services.report_correct(user=users["office"], report=r, data={"progress_pct": 40}, reason="核实",
                            at=bj(2019, 7, 10), expected_version=1)  # fmt: skip
    with pytest.raises(StaleEditError):
        services.report_correct(user=users["clerk"], report=r, data={"progress_pct": 50}, reason="核实",
                                at=bj(2019, 7, 11), expected_version=1)  # fmt: skip


def test_flags_are_recomputed_for_the_whole_series_when_a_month_is_corrected(users):
    p = project()
    clerk = users["clerk"]
    report(clerk, p, 2019, 4, 100, 500)
    may = report(clerk, p, 2019, 5, 100, 600)
    june = report(clerk, p, 2019, 6, 100, 550)  # typed below May's cumulative
    assert [f["code"] for f in june.flags] == ["cumulative_falling"]
    services.report_correct(user=clerk, report=may, data={"cumulative_investment_yuan": Decimal(450) * WAN,
                                                          "month_investment_yuan": Decimal(0)},
                            reason="5月累计数填错", at=bj(2019, 7, 10))  # fmt: skip
    june.refresh_from_db()
    may.refresh_from_db()
    assert june.flags == []  # 450 + 100 = 550: consistent again
    assert [f["code"] for f in may.flags] == ["cumulative_falling"]


@pytest.mark.parametrize(
    ("year", "month", "start", "field"),
    [
        (2019, 8, dt.date(2019, 1, 10), "month"),  # a month still to come
        (2018, 12, dt.date(2019, 1, 10), "month"),  # before the project started
        (2019, 6, None, "project"),  # never started
    ],
)
def test_impossible_months_are_refused(users, year, month, start, field):
    p = project(start=start, status="construction" if start else "reserve")
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            user=users["clerk"],
            project=p,
            year=year,
            month=month,
            at=bj(2019, 7, 3),
            data={"month_investment_yuan": Decimal(1), "cumulative_investment_yuan": Decimal(1)},
        )
    assert field in exc.value.errors
    assert not ProgressReport.objects.exists()


def test_impossible_values_block_but_unusual_ones_only_flag(users):
    p = project(total_wan=1000)
    with pytest.raises(ValidationError) as exc:
        report(users["clerk"], p, 2019, 6, 900, 800)
    assert "cumulative_investment_yuan" in exc.value.errors
    r = report(users["clerk"], p, 2019, 6, 900, 1200)  # above the planned total: saved, flagged
    assert [f["code"] for f in r.flags] == ["above_planned_total"]


def test_a_clerk_cannot_report_another_units_project_and_an_enterprise_only_its_own(users):
    other = project("422802")
    with pytest.raises(ValidationError):
        report(users["clerk"], other, 2019, 6, 1, 1)
    own = project(enterprise=users["_own_enterprise"])
    assert report(users["enterprise"], own, 2019, 6, 1, 1).pk
    with pytest.raises(ValidationError):
        report(users["enterprise"], project(), 2019, 6, 1, 1)
    for role in ("leader", "finance", "bank"):
        with pytest.raises(PermissionDeniedError):
            report(users[role], own, 2019, 5, 1, 1)


def test_the_month_screen_saves_all_rows_or_none(users):
    a, b, c = project(), project(), project()
    clerk = users["clerk"]
    existing = report(clerk, c, 2019, 6, 10, 100)
    good = {"month_investment_yuan": Decimal(100) * WAN, "cumulative_investment_yuan": Decimal(300) * WAN}
    bad = {"month_investment_yuan": Decimal(500) * WAN, "cumulative_investment_yuan": Decimal(300) * WAN}
    with pytest.raises(services.MonthSaveError) as exc:
        services.month_save(user=clerk, month=Month(2019, 6), rows=[(a, dict(good)), (b, dict(bad))], reason="",
                            at=bj(2019, 7, 4))  # fmt: skip
    assert set(exc.value.rows) == {b.pk}
    assert ProgressReport.objects.count() == 1
    # A changed row with a report is a correction: it needs the reason.
    changed = {**good, "version": existing.version}
    with pytest.raises(services.MonthSaveError) as exc:
        services.month_save(user=clerk, month=Month(2019, 6), rows=[(a, dict(good)), (c, dict(changed))],
                            reason="", at=bj(2019, 7, 4))  # fmt: skip
    assert "reason" in exc.value.rows[c.pk]
    result = services.month_save(user=clerk, month=Month(2019, 6), rows=[(a, dict(good)), (c, dict(changed))],
                                 reason="更正累计数", at=bj(2019, 7, 4))  # fmt: skip
    assert (len(result.created), len(result.corrected), result.unchanged) == (1, 1, 0)
    assert ProgressReport.objects.get(pk=existing.pk).version == 2


def test_an_amount_too_large_to_store_is_refused_with_a_message_not_a_crash(users):
    # Found by the API fuzzer: 9.5e307 yuan made the fen rounding raise InvalidOperation (a 500).
    p = project()
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            user=users["clerk"], project=p, year=2019, month=6, at=bj(2019, 7, 3),
            data={"month_investment_yuan": Decimal("9.5e307"), "cumulative_investment_yuan": Decimal("1e15")},
        )  # fmt: skip
    assert exc.value.errors["month_investment_yuan"] == ["金额超出上限（最多 99,999,999,999,999.99 元）"]
    assert exc.value.errors["cumulative_investment_yuan"] == ["金额超出上限（最多 99,999,999,999,999.99 元）"]
    assert not ProgressReport.objects.exists()


def test_a_statistic_too_large_to_store_is_refused(users):
    from jigai.core.models import Region

    with pytest.raises(ValidationError) as exc:
        services.statistic_save(
            user=users["clerk"], region=Region.objects.get(code="422801"), year=2019, month=6,
            industrial_yuan=Decimal("1e14"), tech_yuan=Decimal("99999999999999.99"), at=bj(2019, 7, 3),
        )  # fmt: skip
    assert list(exc.value.errors) == ["industrial_investment_ytd_yuan"]
