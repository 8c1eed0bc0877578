"""The platform's one family of domain errors (docs/architecture.md, "Errors").

Services raise these; the edges map them to an answer once: the API's exception handler
(jigai/api/api.py) and, for pages, :class:`jigai.core.middleware.DomainErrorMiddleware` together with
:func:`jigai.core.edges.refused`. Every message is Chinese (its msgid), marked with gettext at the raise — named placeholders, never
f-strings — so it reads in the language of the request, and says what is wrong and where; ``errors``
maps a field name (or ``"__all__"`` for the record as a whole) to its messages.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ConflictError",
    "DomainError",
    "NotFoundError",
    "PermissionDeniedError",
    "StaleEditError",
    "ValidationError",
]

NON_FIELD = "__all__"


class DomainError(Exception):
    """A refused operation. ``status`` is the HTTP status the edges answer with."""

    status = 400
    default_message = _("操作未完成")

    def __init__(self, errors: dict[str, list[str]] | str | None = None):
        if errors is None:
            errors = self.default_message
        if isinstance(errors, (str, Promise)):
            errors = {NON_FIELD: [errors]}
        # Messages marked with gettext_lazy (the defaults below) read in the language active where raised.
        self.errors: dict[str, list[str]] = {
            f: [str(m) if isinstance(m, Promise) else m for m in msgs] for f, msgs in errors.items()
        }
        super().__init__("；".join(self.messages()))

    @property
    def message(self) -> str:
        return str(self)

    def messages(self) -> list[str]:
        return [m for msgs in self.errors.values() for m in msgs]

    def field_errors(self) -> list[dict]:
        """The API body's ``errors``: one item per message, named by its field."""
        return [{"field": f, "message": m} for f, msgs in self.errors.items() for m in msgs]


class ValidationError(DomainError):
    """The input cannot be accepted as given (a field, or the record as a whole): 400."""


class ConflictError(DomainError):
    """The input is fine but the record's current state refuses it (already done, published): 409."""

    status = 409


class StaleEditError(ConflictError):
    """Optimistic version check (docs/security.md, Money and concurrency): the record changed meanwhile."""

    default_message = _("该记录已被他人修改，您的页面已过期。请重新打开后再修改，以免覆盖他人的修改。")


class NotFoundError(DomainError):
    """The record does not exist, or lies outside the user's unit: the two answer alike (404)."""

    status = 404
    default_message = _("记录不存在或无权访问")
    # (model label, id) when the record exists outside the user's scope: a denied access to record.
    outside_scope: tuple[str, str] | None = None


class PermissionDeniedError(DomainError):
    """The role may not perform the operation (accounts.permissions.MATRIX): 403."""

    status = 403
    default_message = _("您没有执行此操作的权限")
    operation: str = ""  # the MATRIX operation refused, for the audit record
    obj = None  # the record, where a row-level check refused
