"""Which records may own attachments, and who may see or add them.

The app that owns a kind of record declares it once, in its AppConfig.ready::

    from jigai.attachments.registry import register_owner
    register_owner(Application, can_view=may_view_application, can_attach=may_attach_to_application)

``can_view(user, owner)`` decides who may download an owner's files (everyone else gets 404, as for the
record itself); ``can_attach(user, owner)`` who may add or remove one (for example the enterprise only
while its application is a draft). Both are the owning app's rules: this app knows no business model.
A record of a type nobody registered can own no attachment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

Check = Callable[[object, models.Model], bool]


@dataclass(frozen=True)
class OwnerRules:
    model: type[models.Model]
    can_view: Check
    can_attach: Check


_OWNERS: dict[str, OwnerRules] = {}


def register_owner(model: type[models.Model], *, can_view: Check, can_attach: Check) -> None:
    """Declare ``model`` as an owner of attachments with its two rules (called again: replaced)."""
    _OWNERS[model._meta.label_lower] = OwnerRules(model=model, can_view=can_view, can_attach=can_attach)


def unregister_owner(model: type[models.Model]) -> None:
    _OWNERS.pop(model._meta.label_lower, None)


def rules_for_label(label: str) -> OwnerRules | None:
    return _OWNERS.get(label)


def rules_for(owner_or_model) -> OwnerRules | None:
    meta = owner_or_model._meta
    return _OWNERS.get(meta.label_lower)


def registered_labels() -> list[str]:
    return sorted(_OWNERS)
