"""The demo tells a plausible story: statistics 2017–2020, monthly reports with a few late and missing,
a corrected report and bulletin edition, and a bulletin for every month from 2018."""

from decimal import Decimal

import pytest
from django.db import transaction

from jigai.core.models import AuditEvent
from jigai.demo import registry_data
from jigai.dispatch import demo
from jigai.dispatch.models import Bulletin, ProgressReport, ProgressReportRevision, RegionStatistic


def build(seed):
    registry_data.build(seed=seed, enterprises_target=60, projects_target=90)
    return demo.build(seed=seed)


@pytest.mark.django_db
def test_the_demo_fills_every_month_with_a_plausible_story():
    summary = build(3)
    assert RegionStatistic.objects.count() == 9 * 12 * 4
    assert summary["reports"] == ProgressReport.objects.count() > 500
    assert Bulletin.objects.filter(edition=1).count() == 36
    corrected = Bulletin.objects.get(edition=2)
    assert (corrected.year, corrected.month) == (2019, 5) and corrected.supersedes.edition == 1
    assert ProgressReportRevision.objects.filter(version=2).exclude(reason="").count() == 1
    december = Bulletin.objects.get(year=2020, month=12).snapshot
    growth = Decimal(december["prefecture"]["tech_growth"])
    assert Decimal("0.15") < growth < Decimal("0.25")  # around the 20 % target
    units = {u["code"]: u for u in december["units"]}
    assert Decimal(units["422828"]["tech_growth"]) < Decimal("0.1")  # 鹤峰 lags
    assert Decimal(units["GXQ"]["tech_growth"]) > Decimal("0.2")  # the zone leads
    snaps = [b.snapshot["prefecture"] for b in Bulletin.objects.filter(edition=1)]
    assert sum(s["late"] for s in snaps) > 0 and sum(s["missing"] for s in snaps) > 0
    assert sum(s["due"] for s in snaps) > 10 * sum(s["late"] + s["missing"] for s in snaps)
    # Bulk-created, yet every report and statistic has its own audit record (issue 10 point 5).
    for model, label in (
        (ProgressReport, "dispatch.progressreport"),
        (RegionStatistic, "dispatch.regionstatistic"),
    ):
        recorded = set(
            AuditEvent.objects.filter(object_type=label, event="create").values_list("object_id", flat=True)
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} <= recorded


@pytest.mark.django_db
def test_the_demo_is_deterministic_from_its_seed():
    def snapshot():
        return list(
            ProgressReport.objects.order_by("project__name", "year", "month").values_list(
                "project__name",
                "year",
                "month",
                "month_investment_yuan",
                "cumulative_investment_yuan",
                "state",
            )
        )

    with transaction.atomic():
        build(5)
        first = snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        build(5)
        assert snapshot() == first
        transaction.set_rollback(True)
