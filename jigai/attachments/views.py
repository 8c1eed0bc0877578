"""Download (and withdraw) an attachment. Whoever the owner's ``can_view`` rule refuses gets 404, as for
a record that does not exist; every download is audited."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import guard, not_found
from jigai.core import audit
from jigai.core.edges import refused

from . import selectors, services
from .http import download_response
from .models import Attachment


def record_download(attachment: Attachment, *, via: str) -> None:
    audit.record(
        "download",
        obj=attachment,
        after={
            "owner": f"{attachment.owner_type.app_label}.{attachment.owner_type.model}:{attachment.owner_id}",
            "sha256": attachment.sha256,
            "size": attachment.size,
            "via": via,
        },
        message=f"下载附件 {attachment.original_name}",
    )


@guard("attachment.download")
def download(request, pk: int):
    attachment = selectors.attachment_visible(request.user, pk)
    if attachment is None:
        raise not_found(Attachment, pk, gettext("附件不存在或无权访问"))
    inline = request.GET.get("inline") == "1"
    response = download_response(attachment, inline=inline)
    record_download(attachment, via="page")
    return response


def _back(request, attachment: Attachment):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("/")


@require_POST
@guard("attachment.upload")
def delete(request, pk: int):
    attachment = selectors.attachment_visible(request.user, pk)
    if attachment is None:
        raise not_found(Attachment, pk, gettext("附件不存在或无权访问"))
    with refused(request=request) as attempt:
        services.attachment_delete(
            user=request.user, attachment=attachment, reason=request.POST.get("reason", ""), at=timezone.now()
        )
    if attempt.ok:
        messages.success(request, gettext("附件“%(name)s”已删除。") % {"name": attachment.original_name})
    return _back(request, attachment)
