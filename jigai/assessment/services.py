"""Every write of the assessment: publishing a round of rankings (which freezes it and opens the
interviews), unit leaders, the interview's notice, record, follow-up and closing, recorded figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction

from jigai.accounts.permissions import require
from jigai.core import audit, programme
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import next_document_number, number_of
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.models import Region

from . import selectors
from .accountability import BEIJING
from .interviews import PRINCIPAL, cases_for_round
from .models import (
    CaseStatus,
    FollowUp,
    InterviewCase,
    InterviewRecord,
    Ranking,
    TargetClause,
    TargetFigure,
    UnitLeader,
)
from .periods import Period
from .ranking import BASES, RankingResult, RegionFigures, rank_period

S = CaseStatus


STALE = "该记录已被他人修改，您的页面已过期。请重新打开后再操作。"


# --- rankings --------------------------------------------------------------------------------------


def _inputs(results: list[RankingResult], figures) -> dict:
    needed = sorted({k for r in results for k in r.window.needed()})
    return {
        f.code: {
            f"{y}-{m:02d}": (None if f.ytd.get((y, m)) is None else f"{f.ytd[(y, m)]:.2f}") for y, m in needed
        }
        for f in figures
    }


@transaction.atomic
def ranking_publish(*, user, period: Period, basis: str, at: dt.datetime) -> list[Ranking]:
    """Publish the rankings of the period's round (June: Q2 and H1 together; December: Q4 and H2) and
    open the interview cases (docs/programme.md, reading 12). A published ranking is frozen: it cannot be published again,
    on the same or another basis, and its rows never change."""
    require(user, "assessment.publish")
    if basis not in BASES:
        raise ValidationError({"basis": [f"未知的口径：{basis}"]})
    round_periods = period.round()
    codes = [str(p) for p in round_periods]
    done = list(Ranking.objects.filter(period__in=codes).order_by("id"))
    if done:
        names = "、".join(f"{Period.parse(r.period).label}（{r.get_basis_display()}）" for r in done)
        raise ConflictError(f"{names}排名已发布，已发布的排名不能修改或重新发布")
    regions = selectors.units()
    figures = selectors.region_figures((period.year - 1, period.year), regions=regions)
    results = [selectors.ranking_compute(p, basis, figures=figures) for p in round_periods]
    end_key = (period.year, period.end_month)
    if not any(f.ytd.get(end_key) is not None for f in figures):
        raise ConflictError(f"{period.year}年{period.end_month}月尚无任何单位的统计数据，不能发布排名")
    inputs = _inputs(results, figures)
    by_period: dict[str, Ranking] = {}
    try:
        with transaction.atomic():
            for result in results:
                by_period[str(result.period)] = Ranking.objects.create(
                    period=str(result.period), year=result.period.year, end_month=result.period.end_month,
                    basis=basis, rows=[r.as_record() for r in result.rows], inputs=inputs,
                    parameters=result.parameters, published_at=at, published_by=user if user.pk else None,
                    published_by_name=str(user),
                )  # fmt: skip
    except IntegrityError as exc:
        raise ConflictError("该期排名刚刚已由他人发布") from exc
    by_code = {r.code: r for r in regions}
    leaders = selectors.leaders_for(period.year)
    levels = programme.ranking_rules(period.year).interview_levels
    for draft in cases_for_round(results, levels=levels):
        region = by_code[draft.region_code]
        leader = leaders.get(region.pk)
        # The ranking that decided the level: the half-year's for a principal case (4.3.interview_levels).
        primary = next(
            p for p in reversed(draft.periods)
            if levels["quarter" if Period.parse(p).is_quarter else "half_year"] == draft.level
        )  # fmt: skip
        InterviewCase.objects.create(
            ranking=by_period[primary], region=region, year=period.year, end_month=period.end_month,
            periods=",".join(draft.periods), level=draft.level, deputy_attends=draft.deputy_attends,
            figures={p: draft.rows[p].as_record() for p in draft.periods}, explanation=draft.explanation[:500],
            deputy_name=leader.deputy_name if leader else "", deputy_title=leader.deputy_title if leader else "",
            principal_name=leader.principal_name if leader else "",
            principal_title=leader.principal_title if leader else "", created_at=at,
        )  # fmt: skip
    for ranking in by_period.values():
        audit.record(
            "publish", obj=ranking, after={"period": ranking.period, "basis": basis,
                                           "bottom": [r["region_code"] for r in ranking.rows if r["bottom"]]},
            message=f"发布{Period.parse(ranking.period).label}技改投入增幅排名",
        )  # fmt: skip
    return list(by_period.values())


def ranking_recheck(ranking: Ranking) -> bool:
    """Rank again from the ranking's own frozen inputs and parameters: True when the rows are the same."""
    figures = []
    names = {r["region_code"]: r["name"] for r in ranking.rows}
    for code, months in ranking.inputs.items():
        ytd = {}
        for key, value in months.items():
            if value is not None:
                y, m = key.split("-")
                ytd[(int(y), int(m))] = Decimal(value)
        figures.append(RegionFigures(code, names.get(code, code), ytd))
    library = {r["region_code"]: Decimal(r["library_yuan"]) for r in ranking.rows if r.get("library_yuan")}
    # A published ranking records the 4.3 figures it used; one that does not is checked with those in
    # force for its year.
    rules = programme.ranking_rules(ranking.year)
    gap = ranking.parameters.get("library_gap_share")
    result = rank_period(
        figures, Period.parse(ranking.period), basis=ranking.basis,
        bottom_count=ranking.parameters.get("bottom_count", rules.bottom_count), library=library or None,
        library_gap=Fraction(gap) if gap else rules.library_gap,
    )  # fmt: skip
    again = sorted((r.as_dict() for r in result.rows), key=lambda r: r["region_code"])
    frozen = sorted(({k: r[k] for k in again[0]} for r in ranking.rows), key=lambda r: r["region_code"])
    return again == frozen


# --- unit leaders ----------------------------------------------------------------------------------

LEADER_FIELDS = ("deputy_name", "deputy_title", "principal_name", "principal_title")


@transaction.atomic
def unit_leader_save(*, user, region: Region, year: int, data: dict) -> UnitLeader:
    require(user, "assessment.manage")
    if region.level != Region.Level.UNIT:
        raise ValidationError({"region": ["只能为报送单位登记领导"]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [f"年度 {year} 不合理"]})
    values = {k: str(data.get(k) or "").strip() for k in LEADER_FIELDS}
    errors = {k: ["过长"] for k, v in values.items() if len(v) > (40 if k.endswith("name") else 80)}
    if errors:
        raise ValidationError(errors)
    leader, created = UnitLeader.objects.select_for_update().get_or_create(
        region=region, year=year, defaults=values
    )
    if not created and any(getattr(leader, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(leader, k, v)
        leader.version += 1
        leader.save()
    return leader


# --- interviews ------------------------------------------------------------------------------------


def _lock(case: InterviewCase, expected_version: int | None) -> InterviewCase:
    current = InterviewCase.objects.select_for_update().select_related("region").get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError(STALE)
    return current


def _need_status(case: InterviewCase, allowed: set[str], action: str) -> None:
    if case.status not in allowed:
        need = "、".join(S(s).label for s in sorted(allowed))
        raise ValidationError(f"约谈当前为“{S(case.status).label}”，{action}须在“{need}”状态下进行")


NOTICE_PREFIX = "恩施州技改办"


@transaction.atomic
def interview_notify(
    *,
    user,
    case: InterviewCase,
    notice_date: dt.date,
    scheduled_text: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> InterviewCase:
    """Issue the notice: a document number 〔YYYY〕N (the year's next serial) and the leaders' names."""
    require(user, "assessment.interview")
    current = _lock(case, expected_version)
    _need_status(current, {S.OPEN, S.NOTIFIED}, "发出约谈通知")
    leader = UnitLeader.objects.filter(region=current.region, year=current.year).first()
    for field in LEADER_FIELDS:
        if not getattr(current, field) and leader is not None:
            setattr(current, field, getattr(leader, field))
    missing = []
    if not current.principal_name and current.level == PRINCIPAL:
        missing.append("主要领导")
    if not current.deputy_name and (current.level != PRINCIPAL or current.deputy_attends):
        missing.append("分管领导")
    if missing:
        raise ValidationError(
            f"请先登记{current.region.name}{current.year}年的{'、'.join(missing)}姓名和职务（县市领导名单）"
        )
    if not current.notice_serial:
        # The office's one register of 发文字号 (docs/documents.md): a bulletin of the same year never
        # shares the notice's number.
        number = next_document_number(
            issuer=NOTICE_PREFIX, year=notice_date.year, kind=DocKind.INTERVIEW_NOTICE,
            at=at or dt.datetime.combine(notice_date, dt.time(9), tzinfo=BEIJING), user=user,
            title=f"关于约谈{current.region.name}人民政府的通知", issue_date=notice_date, obj=current,
        )  # fmt: skip
        current.notice_year, current.notice_serial = number.year, number.serial
        current.notice_number = number.text
    current.notice_date = notice_date
    current.scheduled_text = (scheduled_text or "").strip()[:200]
    current.status = S.NOTIFIED
    current.version += 1
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as exc:
        raise ValidationError("文号刚刚被占用，请重试") from exc
    return current


@transaction.atomic
def interview_record(
    *,
    user,
    case: InterviewCase,
    held_date: dt.date,
    interviewer: str,
    attendees: str,
    commitments: str,
    follow_up_deadline_date: dt.date,
    place: str = "",
    at: dt.datetime,
    expected_version: int | None = None,
) -> InterviewRecord:
    require(user, "assessment.interview")
    current = _lock(case, expected_version)
    _need_status(current, {S.NOTIFIED}, "登记约谈记录")
    errors: dict[str, list[str]] = {}
    for name, value, label in (
        ("interviewer", interviewer, "约谈人"),
        ("attendees", attendees, "参加人员"),
        ("commitments", commitments, "整改承诺"),
    ):
        if not str(value or "").strip():
            errors[name] = [f"请填写{label}"]
    if current.notice_date and held_date < current.notice_date:
        errors["held_date"] = ["约谈日期不能早于通知日期"]
    if follow_up_deadline_date < held_date:
        errors["follow_up_deadline_date"] = ["整改报告期限不能早于约谈日期"]
    if errors:
        raise ValidationError(errors)
    record = InterviewRecord.objects.create(
        case=current, held_date=held_date, place=(place or "").strip()[:100], interviewer=interviewer.strip()[:100],
        attendees=attendees.strip(), commitments=commitments.strip(),
        follow_up_deadline_date=follow_up_deadline_date, recorded_at=at, recorded_by=user if user.pk else None,
    )  # fmt: skip
    current.status = S.HELD
    current.version += 1
    current.save()
    return record


@transaction.atomic
def followup_submit(
    *,
    user,
    case: InterviewCase,
    reported_date: dt.date,
    content: str,
    at: dt.datetime,
    expected_version: int | None = None,
) -> FollowUp:
    """The unit's report on its commitments; a county clerk reports for the own unit only."""
    require(user, "assessment.followup")
    current = _lock(case, expected_version)
    require(user, "assessment.followup", current, message="只能报送本单位的整改情况")
    _need_status(current, {S.HELD, S.FOLLOWED_UP}, "报送整改情况")
    if not str(content or "").strip():
        raise ValidationError({"content": ["请填写整改落实情况"]})
    if reported_date < current.record.held_date:
        raise ValidationError({"reported_date": ["报告日期不能早于约谈日期"]})
    follow = FollowUp.objects.create(
        case=current, reported_date=reported_date, content=content.strip(), submitted_at=at,
        submitted_by=user if user.pk else None, submitted_by_name=str(user),
    )  # fmt: skip
    current.status = S.FOLLOWED_UP
    current.version += 1
    current.save()
    return follow


@transaction.atomic
def interview_close(
    *, user, case: InterviewCase, note: str, expected_version: int | None = None
) -> InterviewCase:
    require(user, "assessment.interview")
    current = _lock(case, expected_version)
    _need_status(current, {S.FOLLOWED_UP}, "办结")
    if not str(note or "").strip():
        raise ValidationError({"note": ["请填写办结意见"]})
    current.closing_note = note.strip()[:500]
    current.status = S.CLOSED
    current.version += 1
    current.save()
    return current


# --- figures ---------------------------------------------------------------------------------------


@transaction.atomic
def target_figure_set(*, user, year: int, clause: str, value: int, note: str = "") -> TargetFigure:
    require(user, "assessment.manage")
    if clause not in TargetClause.values:
        raise ValidationError({"clause": [f"未知条款：{clause}"]})
    if int(value) < 0:
        raise ValidationError({"value": ["数值不能为负数"]})
    if clause == TargetClause.CHAMPIONS and selectors.champion_awards_exist(year):
        # 2.2.a is counted from the approved 3.1.2 awards; a hand-typed figure is history only.
        raise ConflictError(
            f"{year} 年已有经批准的隐形冠军奖励（第3.1.2条），2.2.a 按奖励自动统计，不能再手工登记"
        )
    figure, created = TargetFigure.objects.select_for_update().get_or_create(
        year=year, clause=clause, defaults={"value": int(value), "note": note.strip()[:500]}
    )
    if not created and (figure.value != int(value) or figure.note != note.strip()[:500]):
        figure.value, figure.note = int(value), note.strip()[:500]
        figure.save()
    return figure


def meeting_pack_ref(period: Period) -> tuple[str, str]:
    return ("assessment.meeting_pack", str(period))


@transaction.atomic
def meeting_pack_number(*, user, period: Period, at: dt.datetime, issue_date: dt.date):
    """Give a quarter's joint-meeting pack (4.1) its 发文字号 from the register, once per quarter."""
    require(user, "assessment.publish")
    ref = meeting_pack_ref(period)
    existing = number_of(DocKind.MEETING_PACK, ref=ref)
    if existing is not None:
        return existing
    return next_document_number(
        issuer=NOTICE_PREFIX, year=issue_date.year, kind=DocKind.MEETING_PACK, at=at, user=user,
        title=f"{period.label}联席会议材料", issue_date=issue_date, ref=ref,
    )  # fmt: skip
