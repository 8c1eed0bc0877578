"""/api/v1 routes for public notices (公示): the same permissions, validation and audit as the pages.
The public page has no API route: it is the page, open to anyone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found
from jigai.core.errors import ValidationError
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.funds.models import Item

from . import selectors, services
from .models import Notice, Objection

router = Router(tags=["公示"])


class ObjectionOut(Schema):
    id: int
    entry_id: int
    raised_by: str
    contact: str
    received_on: dt.date
    content: str
    status: str
    upheld: bool | None
    resolution: str


class EntryOut(Schema):
    id: int
    position: int
    item_id: int
    unit: str
    enterprise: str
    project: str
    clause: str
    amount_yuan: str
    item_state: str
    item_state_label: str
    objections: list[ObjectionOut]


class NoticeOut(Schema):
    id: int
    ref: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    state_label: str
    ended_on: dt.date | None
    version: int
    public_url: str
    entries: list[EntryOut]

    @staticmethod
    def from_model(n: Notice) -> dict:
        return {
            "id": n.pk,
            "ref": n.ref,
            "title": n.title,
            "starts_on": n.starts_on,
            "ends_on": n.ends_on,
            "state": n.state,
            "state_label": str(n.get_state_display()),
            "ended_on": n.ended_on,
            "version": n.version,
            "public_url": f"/public/notices/{n.pk}/",
            "entries": [
                {
                    "id": e.pk,
                    "position": e.position,
                    "item_id": e.item_id,
                    "unit": e.unit_name,
                    "enterprise": e.enterprise_name,
                    "project": e.project_name,
                    "clause": e.clause,
                    "amount_yuan": str(e.amount_yuan),
                    "item_state": e.item.state,
                    "item_state_label": str(e.item.get_state_display()),
                    "objections": [
                        {
                            "id": o.pk,
                            "entry_id": e.pk,
                            "raised_by": o.raised_by,
                            "contact": o.contact,
                            "received_on": o.received_on,
                            "content": o.content,
                            "status": o.status_label,
                            "upheld": o.upheld,
                            "resolution": o.resolution,
                        }
                        for o in e.objections.all()
                    ],
                }
                for e in n.entries.all()
            ],
        }


class NoticeSummary(Schema):
    id: int
    ref: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    entries: int


class PublishIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=120)
    item_ids: list[Id] = Field(min_length=1, max_length=1000)
    starts_on: dt.date
    days: int | None = Field(
        None, ge=1, le=60, description="公示期（天，含发布当日）；缺省取 JIGAI_NOTICE_PERIOD_DAYS"
    )


class ObjectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    entry_id: Id
    raised_by: str = Field(max_length=100)
    contact: str = Field("", max_length=100)
    received_on: dt.date
    content: str = Field(max_length=5000)


class ResolveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    upheld: bool
    resolution: str = Field(max_length=500)


class EndIn(Schema):
    model_config = ConfigDict(extra="forbid")
    on: dt.date
    version: int | None = None


def _notice(request, pk: int) -> Notice:
    n = selectors.notice_detail(request.user, pk)
    if n is None:
        raise not_found(Notice, pk)
    return n


@router.get("/notices", response=list[NoticeSummary], summary="公示列表")
@guard("notice.view")
def list_notices(request):
    return [
        {
            "id": n.pk,
            "ref": n.ref,
            "title": n.title,
            "starts_on": n.starts_on,
            "ends_on": n.ends_on,
            "state": n.state,
            "entries": n.n,
        }
        for n in selectors.notice_list(request.user).order_by("-starts_on", "-id")[:500]
    ]


@router.get("/notices/{int:pk}", response={200: NoticeOut, 404: ErrorOut}, summary="公示详情（含异议）")
@guard("notice.view")
def get_notice(request, pk: Id):
    return NoticeOut.from_model(_notice(request, pk))


@router.post(
    "/notices",
    response={201: NoticeOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="发布公示（已批准的事项转为“公示中”）",
)
@guard("notice.publish")
def publish_notice(request, payload: PublishIn):
    items = list(Item.objects.filter(pk__in=payload.item_ids))
    if len(items) != len(set(payload.item_ids)):
        raise ValidationError({"item_ids": ["所选事项不存在"]})
    n = services.notice_publish(
        user=request.user,
        items=items,
        title=payload.title,
        starts_on=payload.starts_on,
        days=payload.days,
        at=timezone.now(),
    )
    return Status(201, NoticeOut.from_model(_notice(request, n.pk)))


@router.post(
    "/notices/{int:pk}/objections",
    response={201: NoticeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="登记公示异议（该事项暂停拨付）",
)
@guard("notice.objection")
def add_objection(request, pk: Id, payload: ObjectionIn):
    n = _notice(request, pk)
    entry = n.entries.filter(pk=payload.entry_id).first()
    if entry is None:
        raise ValidationError({"entry_id": ["该公示中没有这一事项"]})
    data = payload.dict()
    data.pop("entry_id")
    services.objection_record(user=request.user, entry=entry, at=timezone.now(), **data)
    return Status(201, NoticeOut.from_model(_notice(request, pk)))


@router.post(
    "/objections/{int:pk}/resolve",
    response={200: NoticeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="登记异议处理结果",
)
@guard("notice.objection")
def resolve_objection(request, pk: Id, payload: ResolveIn):
    o = selectors.objection_detail(request.user, pk)
    if o is None:
        raise not_found(Objection, pk)
    services.objection_resolve(
        user=request.user,
        objection=o,
        upheld=payload.upheld,
        resolution=payload.resolution,
        at=timezone.now(),
    )
    return NoticeOut.from_model(_notice(request, o.entry.notice_id))


@router.post(
    "/notices/{int:pk}/end",
    response={200: NoticeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="结束公示（公示期满后；无异议的事项转为“待拨付”）",
)
@guard("notice.publish")
def end_notice(request, pk: Id, payload: EndIn):
    n = _notice(request, pk)
    services.notice_end(
        user=request.user, notice=n, on=payload.on, expected_version=payload.version, at=timezone.now()
    )
    return NoticeOut.from_model(_notice(request, pk))
