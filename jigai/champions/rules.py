"""Who may see a declaration and add files to it (the attachments' owner rules)."""

from __future__ import annotations

from jigai.accounts.permissions import can, in_unit

from .models import EDITABLE


def may_view(user, declaration) -> bool:
    return can(user, "champion.view") and in_unit(user, declaration)


def may_attach(user, declaration) -> bool:
    """The declarer (the enterprise, or its county's clerk) while it is a draft or returned."""
    return can(user, "champion.declare") and in_unit(user, declaration) and declaration.state in EDITABLE
