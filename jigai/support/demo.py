"""Demo enterprise services: a secretary for every live key project, approval items (done, in progress
and overdue), land facts with priority handling, filings (one qualifying with its receipt, one not), and
consultation meetings with follow-ups fed by the month screen's problems. Every write goes through the
services, so each row has its audit record."""

from __future__ import annotations

import datetime as dt
import random

from jigai.accounts.models import Role, User
from jigai.registry.models import Project, ProjectStatus

from . import selectors, services
from .models import ApprovalItem, State

LIVE = (ProjectStatus.RESERVE, ProjectStatus.CONSTRUCTION, ProjectStatus.COMPLETED)
FACTS = (
    {"project_type": "equipment_renewal", "new_land_area_m2": "0"},
    {"project_type": "expansion", "new_land_area_m2": "0", "advanced_mature_process": True},
    {
        "project_type": "new_build",
        "new_land_area_m2": "12000",
        "changes_pollutant_discharge": True,
        "new_buildings": True,
    },
    {"project_type": "expansion", "new_land_area_m2": "3000", "involves_major_hazard": True},
)


def build(*, seed: int, now: dt.datetime) -> dict:
    rng = random.Random(seed + 15)
    office = User.objects.get(username="office")
    clerks = {u.region_id: u for u in User.objects.filter(role=Role.CLERK)}
    key = list(Project.objects.filter(is_key=True, status__in=LIVE).select_related("region").order_by("id"))
    # 秘书制 (3.5): the county's clerk serves its key projects; a few are served by the office itself.
    for i, p in enumerate(key):
        who = office if i % 10 == 0 else clerks.get(p.region_id) or office
        phone = f"0718-82{p.region.code[-2:]}{i % 1000:03d}"
        services.secretary_assign(user=office, project=p, secretary=who, phone=phone, at=now)
    # 审批代办: items proposed by the 3.5 rule for the first key projects, taken in during 2020; most done,
    # some still in progress past their deadline (overdue: on the accountability list).
    items = 0
    for i, p in enumerate(key[:40]):
        facts = FACTS[i % len(FACTS)]
        _, created = services.approvals_propose(
            user=office, project=p, facts=facts, today=dt.date(2020, 3, 2), at=now
        )
        if not created:
            created = [services.approval_add(user=office, project=p, kind="construction", at=now)]
        for j, item in enumerate(created):
            start = dt.date(2020, 3, 2) + dt.timedelta(days=rng.randrange(0, 200))
            if (i + j) % 4 == 3:
                continue  # not started yet: on the secretary's list
            done = (i + j) % 3 != 0
            item = services.approval_update(
                user=office, item=item, state=State.IN_PROGRESS, department=item.department,
                time_limit_days=item.time_limit_days, started_date=start, expected_version=item.version, at=now,
            )  # fmt: skip
            if done:
                services.approval_update(
                    user=office, item=item, state=State.DONE, department=item.department,
                    time_limit_days=item.time_limit_days, started_date=start,
                    done_date=start + dt.timedelta(days=rng.randrange(5, 40)), expected_version=item.version, at=now,
                )  # fmt: skip
            items += 1
    # 用地 (3.3): two sites raising the plot ratio, one that changes use; priority handling for one.
    land_rows = [
        ("existing", "0.8", "1.5", {"extra_floors": True}, False),
        ("existing", "1.0", "1.6", {"underground": True, "multi_storey": True}, False),
        ("existing", "0.9", "1.2", {}, True),
    ]
    for p, (kind, before, after, flags, change) in zip(key[40:43], land_rows, strict=False):
        services.land_save(
            user=office, project=p, at=now,
            data={"land_kind": kind, "industrial_land": True, "area_m2": "18000", "plot_ratio_before": before,
                  "plot_ratio_after": after, "change_of_use": change, "conforms_urban_plan": True,
                  "within_original_site": True, "approval": "approved", "approval_date": dt.date(2019, 5, 20),
                  "application_date": dt.date(2019, 4, 1), **flags},
        )  # fmt: skip
    if len(key) > 43:
        p = key[43]
        services.land_save(
            user=office, project=p, at=now,
            data={"land_kind": "new", "industrial_land": True, "area_m2": "30000", "plot_ratio_before": "0",
                  "plot_ratio_after": "1.2", "acquisition": "lease_then_transfer",
                  "application_date": dt.date(2020, 6, 1)},
        )  # fmt: skip
        services.land_priority(
            user=office, project=p, kinds=["land_planning", "land_approval", "land_supply"],
            started_date=dt.date(2020, 6, 1), at=now,
        )  # fmt: skip
    # 网上备案 (3.5): the first demo enterprise user files one qualifying project and one that is not.
    pairs = [
        (u, p)
        for u in User.objects.filter(role=Role.ENTERPRISE).order_by("username")
        for p in Project.objects.filter(enterprise__credit_code=u.credit_code).order_by("id")
    ][:2]
    filings = 0
    for (ent, p), facts, day in zip(
        pairs, (FACTS[0], FACTS[2]), (dt.date(2019, 4, 8), dt.date(2019, 5, 6)), strict=False
    ):
        services.filing_submit(
            user=ent, project=p, facts=facts, content=p.content or "技术改造", filing_date=day, at=now
        )
        filings += 1
    # 会商 (4.2): two meetings on the problems reported in the month screen, with follow-ups.
    meetings = 0
    for date, title in (
        (dt.date(2019, 7, 10), "2019年第二季度技改项目会商会"),
        (dt.date(2020, 4, 15), "2020年一季度技改项目会商会"),
    ):
        since = selectors.last_meeting_date(office)
        reports = [
            r for r in selectors.agenda(office, since=since) if (r.year, r.month) <= (date.year, date.month)
        ][:6]
        projects = list({r.project_id: r.project for r in reports}.values())
        decisions = [
            {
                "decision": f"协调解决{r.project.name}：{r.problems[:60]}",
                "owner": clerks.get(r.project.region_id) or office,
                "time_limit_days": 10 + 5 * (i % 3),
                "project": r.project,
            }
            for i, r in enumerate(reports[:4])
        ]
        meeting = services.meeting_record(
            user=office, kind="consultation", title=title, date=date, chair="州经信委主任",
            participants="州发改委、州财政局、州国土资源局、州环保局、州安监局、各县市经信局",
            projects=projects, problems="\n".join(f"{r.project.name}：{r.problems}" for r in reports),
            decisions=decisions, at=now,
        )  # fmt: skip
        for f in list(meeting.followups.order_by("id"))[::2]:  # half carried out, half still open (overdue)
            services.followup_close(
                user=f.owner,
                followup=f,
                done_date=f.due_date,
                result="已协调解决，企业确认",
                expected_version=f.version,
                at=now,
            )
        meetings += 1
    if key:  # a leader's contact-point visit to a key project (领导挂点联系)
        p = key[0]
        services.meeting_record(
            user=office, kind="contact_point", title=f"州领导挂点联系{p.enterprise.name}", date=dt.date(2020, 5, 12),
            chair=p.leader_name or "州领导", participants="州经信委、县市政府分管领导、企业负责人", projects=[p],
            problems="项目用电增容", decisions=[{"decision": "供电公司一个月内完成增容", "owner": office,
                                                  "time_limit_days": 22, "project": p}], at=now,
        )  # fmt: skip
    return {
        "secretaries": len(key),
        "approval_items": ApprovalItem.objects.count(),
        "filings": filings,
        "meetings": meetings,
    }
