"""Reads of attachments, scoped by the owner's ``can_view`` rule (registry)."""

from __future__ import annotations

from django.db import models

from jigai.accounts.permissions import can

from .models import Attachment
from .registry import rules_for


def attachments_for(owner: models.Model):
    """The owner's live (not deleted) attachments, oldest first. The caller has already decided that the
    user may see ``owner``; downloads check again (``attachment_for_download``)."""
    if owner is None or owner.pk is None:
        return Attachment.objects.none()
    return Attachment.objects.live().of(owner).select_related("uploaded_by").order_by("uploaded_at", "pk")


def attachment_visible(user, pk: int) -> Attachment | None:
    """The live attachment ``pk`` if ``user`` may download it (the operation, and the owner's rule);
    None otherwise, so the edge answers 404 whether it does not exist or is someone else's."""
    if not can(user, "attachment.download"):
        return None
    attachment = Attachment.objects.live().select_related("owner_type").filter(pk=pk).first()
    if attachment is None:
        return None
    rules = rules_for(attachment.owner_type.model_class() or Attachment)
    if rules is None:
        return None
    owner = attachment.owner
    if owner is None or not rules.can_view(user, owner):
        return None
    return attachment


def may_attach(user, owner: models.Model) -> bool:
    rules = rules_for(owner)
    return (
        can(user, "attachment.upload")
        and rules is not None
        and rules.can_view(user, owner)
        and rules.can_attach(user, owner)
    )
