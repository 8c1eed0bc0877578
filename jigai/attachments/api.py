"""/api/v1 routes for attachments: the same rules, validation and audit as the pages.

Upload names the owner by its type (``owner_type``, e.g. ``incentives.application``: any type an app
registered, see ``registry``) and id; download answers the file itself, as the page does."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jigai.accounts.permissions import guard, not_found
from jigai.core.errors import ValidationError
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut

from . import selectors, services
from .http import download_response
from .models import Attachment
from .registry import registered_labels, rules_for_label
from .views import record_download

router = Router(tags=["附件"])


class AttachmentOut(Schema):
    id: int
    owner_type: str
    owner_id: int
    kind: str
    kind_label: str
    name: str
    file_type: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def from_model(a: Attachment) -> dict:
        return {
            "id": a.pk,
            "owner_type": f"{a.owner_type.app_label}.{a.owner_type.model}",
            "owner_id": a.owner_id,
            "kind": a.kind,
            "kind_label": str(a.get_kind_display()),
            "name": a.download_name,
            "file_type": a.file_type,
            "media_type": a.media_type,
            "size": a.size,
            "sha256": a.sha256,
            "uploaded_by": a.uploaded_by.username,
            "uploaded_at": a.uploaded_at,
            "download_url": f"/api/v1/attachments/{a.pk}/content",
        }


class AttachmentPage(Schema):
    items: list[AttachmentOut]


class DeleteIn(Schema):
    reason: str


def _visible_or_404(request, pk: int) -> Attachment:
    a = selectors.attachment_visible(request.user, pk)
    if a is None:
        raise not_found(Attachment, pk, "附件不存在或无权访问")
    return a


def _owner(request, owner_type: str, owner_id: int):
    rules = rules_for_label((owner_type or "").strip().lower())
    if rules is None:
        raise ValidationError(
            {
                "owner_type": [
                    f"不能添加附件的记录类型：{owner_type}（可用：{'、'.join(registered_labels())}）"
                ]
            }
        )
    owner = rules.model._default_manager.filter(pk=owner_id).first()
    if owner is None or not rules.can_view(request.user, owner):
        raise not_found(rules.model, owner_id, "所属记录不存在或无权访问")
    return owner


@router.get(
    "/attachments", response={200: AttachmentPage, 400: ErrorOut, 404: ErrorOut}, summary="某条记录的附件"
)
@guard("attachment.download")
def list_attachments(request, owner_type: str, owner_id: Id):
    owner = _owner(request, owner_type, owner_id)
    return {"items": [AttachmentOut.from_model(a) for a in selectors.attachments_for(owner)]}


@router.get("/attachments/{int:pk}", response={200: AttachmentOut, 404: ErrorOut}, summary="附件信息")
@guard("attachment.download")
def get_attachment(request, pk: Id):
    return AttachmentOut.from_model(_visible_or_404(request, pk))


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


@router.get(
    "/attachments/{int:pk}/content",
    response={404: ErrorOut},
    summary="下载附件（留痕）",
    # The file itself: the OpenAPI document promises its 200 and the five accepted content types.
    openapi_extra={
        "responses": {"200": {"description": "附件内容", "content": dict.fromkeys(_FILE_TYPES, _BINARY)}}
    },
)
@guard("attachment.download")
def download_attachment(request, pk: Id):
    a = _visible_or_404(request, pk)
    response = download_response(a)
    record_download(a, via="api")
    return response


@router.post(
    "/attachments",
    response={201: AttachmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="上传附件（只接受内容为 PDF、JPEG、PNG、.xlsx、.docx 的文件）",
)
@guard("attachment.upload")
def upload_attachment(
    request, owner_type: Form[str], owner_id: Form[Id], kind: Form[str], file: File[UploadedFile]
):
    owner = _owner(request, owner_type, owner_id)
    a = services.attachment_store(user=request.user, owner=owner, kind=kind, upload=file, at=timezone.now())
    return Status(201, AttachmentOut.from_model(a))


@router.post(
    "/attachments/{int:pk}/delete",
    response={200: AttachmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="删除附件（须说明原因；留痕）",
)
@guard("attachment.upload")
def delete_attachment(request, pk: Id, payload: DeleteIn):
    a = _visible_or_404(request, pk)
    a = services.attachment_delete(user=request.user, attachment=a, reason=payload.reason, at=timezone.now())
    return AttachmentOut.from_model(a)
