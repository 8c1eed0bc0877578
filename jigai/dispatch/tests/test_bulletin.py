"""The bulletin's figures against an independent calculation from the raw rows, and publishing:
frozen numbers, the audit record, document numbers, and corrections as new marked editions."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.core.errors import PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.dispatch import bulletin, services
from jigai.dispatch.models import Bulletin, ProgressReport, RegionStatistic
from jigai.dispatch.periods import BEIJING, Month
from jigai.registry.models import Project, ProjectTransition

from .helpers import WAN, bj, project, report

pytestmark = pytest.mark.django_db
D = dt.date
JUNE = Month(2019, 6)
AS_OF = bj(2019, 7, 12)


def independent(y: int, m: int, as_of: dt.datetime) -> dict:
    """The bulletin's per-unit figures computed directly from the rows, with none of the app's helpers."""
    first_of_year, month_start = D(y, 1, 1), D(y, m, 1)
    month_end = D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    deadline = dt.datetime(y + (m == 12), m % 12 + 1, 6, tzinfo=BEIJING)
    terminated = {
        t.project_id: t.effective_date for t in ProjectTransition.objects.filter(to_status="terminated")
    }

    def end(p):
        dates = [p.actual_completion_date] + ([terminated.get(p.pk)] if p.status == "terminated" else [])
        dates = [d for d in dates if d]
        return min(dates) if dates else None

    def active(p, a, b):
        if p.status == "reserve" or p.actual_start_date is None or p.actual_start_date > b:
            return False
        if p.status == "terminated" and p.pk not in terminated:
            return False
        return end(p) is None or end(p) >= a

    reports = [r for r in ProgressReport.objects.all() if r.first_submitted_at <= as_of]
    stats = {(s.region_id, s.year, s.month): s for s in RegionStatistic.objects.all()}
    out = {}
    for u in Region.objects.filter(level="unit"):
        projects = [p for p in Project.objects.filter(region=u)]
        due = [p for p in projects if active(p, month_start, month_end)]
        this_month = {r.project_id: r for r in reports if (r.year, r.month) == (y, m)}
        cur, base = stats.get((u.pk, y, m)), stats.get((u.pk, y - 1, m))
        tech = cur.tech_investment_ytd_yuan if cur else None
        tech_base = base.tech_investment_ytd_yuan if base else None
        out[u.code] = {
            # docs/programme.md, reading 8: a project cancelled by the month's end does not count.
            "implemented": sum(active(p, first_of_year, month_end) and not (
                p.status == "terminated" and terminated[p.pk] <= month_end) for p in projects),
            "new_starts_ytd": sum(1 for p in projects if p.actual_start_date and first_of_year <= p.actual_start_date <= month_end),
            "completions_ytd": sum(1 for p in projects if p.status in ("completed", "accepted") and p.actual_completion_date
                                   and first_of_year <= p.actual_completion_date <= month_end),
            "due": len(due),
            "on_time": sum(1 for p in due if p.pk in this_month and this_month[p.pk].first_submitted_at < deadline),
            "late": sum(1 for p in due if p.pk in this_month and this_month[p.pk].first_submitted_at >= deadline),
            "missing": sum(1 for p in due if p.pk not in this_month),
            "library_ytd": sum((r.month_investment_yuan for r in reports if r.region_id == u.pk and r.year == y
                                and r.month <= m), Decimal(0)),
            "tech_ytd": tech,
            "tech_growth": (tech - tech_base) / tech_base if tech is not None and tech_base else None,
        }  # fmt: skip
    return out


def test_the_bulletins_unit_figures_equal_an_independent_calculation(world):
    snap = bulletin.compute(JUNE, as_of=AS_OF)
    expected = independent(2019, 6, AS_OF)
    for u in snap["units"]:
        e = expected[u["code"]]
        for key in ("implemented", "new_starts_ytd", "completions_ytd", "due", "on_time", "late", "missing"):
            assert u[key] == e[key], (u["code"], key)
        assert Decimal(u["library_ytd"]) == e["library_ytd"]
        assert (None if u["tech_ytd"] is None else Decimal(u["tech_ytd"])) == e["tech_ytd"]
        if e["tech_growth"] is None:
            assert u["tech_growth"] is None
        else:
            assert Decimal(u["tech_growth"]) == e["tech_growth"].quantize(Decimal("0.000001"))
    p = snap["prefecture"]
    assert p["implemented"] == sum(e["implemented"] for e in expected.values())
    assert Decimal(p["library_ytd"]) == sum(e["library_ytd"] for e in expected.values())


def test_the_bulletins_figures_by_hand(world):
    snap = bulletin.compute(JUNE, as_of=AS_OF)
    units = {u["code"]: u for u in snap["units"]}
    enshi, lichuan, jianshi = units["422801"], units["422802"], units["422822"]
    # 2.1.b: a, b and c were under construction this year (c completed in April); quota 15.
    assert (enshi["implemented"], enshi["quota"], enshi["quota_met"]) == (3, 15, False)
    assert (enshi["new_starts_month"], enshi["new_starts_ytd"], enshi["completions_ytd"]) == (1, 1, 1)
    assert (enshi["due"], enshi["on_time"], enshi["late"], enshi["missing"]) == (2, 1, 1, 0)
    # e was cancelled (终止) on 10 May: due in May, not counted as implemented (docs/programme.md, reading 8).
    assert (lichuan["implemented"], lichuan["due"], lichuan["missing"], lichuan["stalled"]) == (2, 2, 1, 1)
    assert jianshi["implemented"] == 1  # j only: g never started, h starts in July, i ended in 2018
    # Library sum: a's six months (900) + b's June (80) + c's four months (400) = 1380 万元.
    assert Decimal(enshi["library_ytd"]) == Decimal(1380) * WAN
    # 2.1.a: growth and rank (建始 has a zero base and investment now: first; unreported units tie last).
    assert (enshi["tech_growth"], lichuan["tech_growth"], jianshi["tech_growth"]) == (
        "0.200000",
        "0.250000",
        None,
    )
    assert [units[c]["tech_rank"] for c in ("422822", "422802", "422801")] == [1, 2, 3]
    assert {u["tech_rank"] for c, u in units.items() if c not in ("422801", "422802", "422822")} == {4}
    pref = snap["prefecture"]
    assert (
        Decimal(pref["tech_ytd"]) == Decimal(4200) * WAN and Decimal(pref["tech_base"]) == Decimal(3000) * WAN
    )
    assert (
        pref["tech_growth"] == "0.400000"
        and pref["tech_target"] == "0.20"
        and pref["tech_target_met"] is True
    )
    assert pref["industrial_growth"] == "0.400000" and pref["industrial_target_met"] is True
    assert (pref["implemented"], pref["projects_target"], pref["projects_target_met"]) == (6, 100, False)
    # The lists.
    assert [r["name"] for r in snap["late"]] == [world["b"].name]
    assert [r["name"] for r in snap["missing"]] == [world["d"].name]
    assert [r["name"] for r in snap["stalled"]] == [world["f"].name]
    assert {r["name"] for r in snap["problems"]} == {world["f"].name, world["j"].name}
    behind = {r["name"]: r for r in snap["behind"]}
    # j: planned to finish in June (time share 1), 1100 of 4000 invested (27.5 %), and says it is behind.
    assert (
        behind[world["j"].name]["invest_share"] == "0.2750"
        and behind[world["j"].name]["time_share"] == "1.0000"
    )
    assert world["a"].name not in behind  # 3900 of 5000 (78 %) at 84 % of the time: within 10 points
    codes = {(r["unit_code"], r["name"], r["code"]) for r in snap["flags"]}
    assert ("422822", world["j"].name, "cumulative_falling") in codes
    assert ("422823", "", "statistic_missing") in codes
    trend = snap["trend"]
    assert [t["month"] for t in trend] == [1, 2, 3, 4, 5, 6] and trend[5]["tech_growth"] == "0.400000"


def test_a_report_sent_after_the_moment_of_the_bulletin_is_not_in_it(world):
    before = bulletin.compute(JUNE, as_of=bj(2019, 7, 7))
    enshi = next(u for u in before["units"] if u["code"] == "422801")
    assert enshi["late"] == 0 and enshi["missing"] == 1  # b's report came on the 8th
    assert Decimal(enshi["library_ytd"]) == Decimal(1300) * WAN


def test_the_bulletin_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        bulletin.compute(JUNE, as_of=AS_OF)
    for i in range(20):
        project("422823", start=D(2019, 1, 1), name=f"加量项目{i}")
    with django_assert_max_num_queries(8):
        bulletin.compute(JUNE, as_of=AS_OF)


def test_publishing_freezes_the_figures_and_is_audited(world, users):
    b = services.bulletin_publish(user=users["office"], year=2019, month=6, at=AS_OF, issue_date=AS_OF.date())
    assert b.document_number == "恩施州技改办〔2019〕1号" and b.edition == 1
    assert b.title == "关于2019年6月全州技改项目推进情况的通报"
    assert b.snapshot_sha256 == services.snapshot_digest(b.snapshot)
    event = AuditEvent.objects.get(event="publish", object_id=str(b.pk))
    assert (
        event.after["snapshot_sha256"] == b.snapshot_sha256
        and event.after["document_number"] == b.document_number
    )
    frozen = b.snapshot
    # Later data changes nothing in the published bulletin.
    report(users["office"], world["d"], 2019, 6, 300, 700, at=bj(2019, 7, 20))
    b.refresh_from_db()
    assert b.snapshot == frozen
    assert next(u for u in b.snapshot["units"] if u["code"] == "422802")["missing"] == 1
    with pytest.raises(ValidationError):
        services.bulletin_publish(
            user=users["office"], year=2019, month=6, at=bj(2019, 7, 21), issue_date=bj(2019, 7, 21).date()
        )


def test_a_correction_is_a_new_marked_edition_and_the_old_one_stays(world, users):
    first = services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=AS_OF, issue_date=AS_OF.date()
    )
    original = first.snapshot
    report(users["office"], world["d"], 2019, 6, 300, 700, at=bj(2019, 7, 20))
    with pytest.raises(ValidationError):
        services.bulletin_correct(
            user=users["office"],
            bulletin=first,
            reason="",
            at=bj(2019, 7, 21),
            issue_date=bj(2019, 7, 21).date(),
        )
    second = services.bulletin_correct(user=users["office"], bulletin=first, reason="利川市补报1个项目",
                                       at=bj(2019, 7, 21), issue_date=bj(2019, 7, 21).date())  # fmt: skip
    assert (second.edition, second.supersedes_id, second.correction_reason) == (
        2,
        first.pk,
        "利川市补报1个项目",
    )
    assert second.title.endswith("（更正版）") and second.document_number == "恩施州技改办〔2019〕2号"
    assert second.snapshot["document"]["supersedes"] == first.document_number
    assert next(u for u in second.snapshot["units"] if u["code"] == "422802")["missing"] == 0
    first.refresh_from_db()
    assert first.snapshot == original
    assert AuditEvent.objects.filter(event="publish_correction", object_id=str(second.pk)).exists()
    with pytest.raises(ValidationError):  # only the latest edition can be corrected
        services.bulletin_correct(
            user=users["office"],
            bulletin=first,
            reason="再更正",
            at=bj(2019, 7, 22),
            issue_date=bj(2019, 7, 22).date(),
        )


def test_document_numbers_run_per_year_of_issue(world, users):
    office = users["office"]
    dec = services.bulletin_publish(
        user=office, year=2018, month=12, at=bj(2019, 1, 10), issue_date=bj(2019, 1, 10).date()
    )
    nov = services.bulletin_publish(
        user=office, year=2018, month=11, at=bj(2018, 12, 10), issue_date=bj(2018, 12, 10).date()
    )
    assert dec.document_number == "恩施州技改办〔2019〕1号"
    assert nov.document_number == "恩施州技改办〔2018〕1号"
    jun = services.bulletin_publish(user=office, year=2019, month=6, at=AS_OF, issue_date=AS_OF.date())
    assert jun.document_number == "恩施州技改办〔2019〕2号"


def test_only_the_office_publishes_and_only_a_finished_month(world, users):

    with pytest.raises(ValidationError):
        services.bulletin_publish(
            user=users["office"], year=2019, month=7, at=bj(2019, 7, 20), issue_date=bj(2019, 7, 20).date()
        )
    for role in ("clerk", "leader", "finance"):
        with pytest.raises(PermissionDeniedError):
            services.bulletin_publish(user=users[role], year=2019, month=6, at=AS_OF, issue_date=AS_OF.date())
    assert not Bulletin.objects.exists()


def test_the_bulletin_takes_its_targets_from_the_programme_parameters_and_records_them(world, settings):
    settings.JIGAI_PROGRAMME_OVERRIDES = [
        "2.1.b.projects_per_year@2019=120",
        "2.1.a.tech_growth@2019=0.45",
        "2.1.b.unit_quotas@2019=422801:3",
    ]
    snap = bulletin.compute(JUNE, as_of=AS_OF)
    pref = snap["prefecture"]
    assert (pref["projects_target"], pref["tech_target"], pref["tech_target_met"]) == (120, "0.45", False)
    units = {u["code"]: u for u in snap["units"]}
    assert (units["422801"]["quota"], units["422801"]["quota_met"], units["422802"]["quota"]) == (3, True, 0)
    assert snap["settings"]["JIGAI_TARGET_PROJECTS_PER_YEAR"] == "120"
    used = {p["name"]: p for p in snap["parameters"]}
    assert used["2.1.b.projects_per_year"] == {
        "name": "2.1.b.projects_per_year", "value": 120, "start": "2019-01-01", "end": "2019-12-31",
        "clause": "2.1.b",
    }  # fmt: skip
    assert used["4.2.report_deadline_day"]["value"] == 5 and used["4.3.library_gap_share"]["value"] == "0.5"


def test_the_bulletins_snapshot_records_the_shipped_figures_as_it_always_has(world):
    assert bulletin.compute(JUNE, as_of=AS_OF)["settings"] == {
        "JIGAI_REPORT_DEADLINE_DAY": "5", "JIGAI_DISPATCH_OUTLIER_FACTOR": "3",
        "JIGAI_DISPATCH_OUTLIER_MIN_MONTHS": "3", "JIGAI_DISPATCH_LIBRARY_GAP": "0.50",
        "JIGAI_DISPATCH_SCHEDULE_TOLERANCE": "0.10", "JIGAI_TARGET_INDUSTRIAL_GROWTH": "0.15",
        "JIGAI_TARGET_TECH_GROWTH": "0.20", "JIGAI_TARGET_PROJECTS_PER_YEAR": "100",
    }  # fmt: skip


def test_the_trend_section_sums_the_units_month_by_month_alone():
    from types import SimpleNamespace

    a, b = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    stats = [
        (1, 2019, 1, Decimal(100), Decimal(60)), (2, 2019, 1, Decimal(50), Decimal(30)),
        (1, 2018, 1, Decimal(100), Decimal(50)), (2, 2018, 1, Decimal(50), Decimal(40)),
        (9, 2019, 1, Decimal(999), Decimal(999)),  # not a unit of the bulletin
        (1, 2019, 2, Decimal(200), Decimal(120)),
    ]  # fmt: skip
    trend = bulletin.trend_section(Month(2019, 2), [a, b], stats)
    assert trend[0] == {
        "month": 1, "tech_ytd": "90.00", "tech_base": "90.00", "tech_growth": "0.000000",
        "industrial_ytd": "150.00", "industrial_base": "150.00", "industrial_growth": "0.000000",
    }  # fmt: skip
    assert (trend[1]["tech_ytd"], trend[1]["tech_base"], trend[1]["tech_growth"]) == ("120.00", None, None)
