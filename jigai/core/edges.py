"""Where a domain error meets a page: the one place each refusal is answered and each denial recorded.

The API's counterpart is the exception handler in jigai/api/api.py; both call :func:`record_denial`, so
a denied access leaves the same audit record whichever path it came by (docs/security.md, 安全审计: one
record for each denied access). The record is written by the edge, after the transaction of the service
that refused has rolled back, so the refusal cannot take its own record down with it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from . import audit
from .errors import DomainError, NotFoundError, PermissionDeniedError


def record_denial(where, exc: Exception) -> None:
    """Audit a denied access: a refused operation (403), or another unit's record asked for (404).

    ``where`` is the request (its path is recorded) or, off the web, the command's name."""
    if isinstance(exc, NotFoundError):
        if exc.outside_scope is None:  # a record that does not exist is not a denial
            return
        object_type, object_id = exc.outside_scope
    elif isinstance(exc, (PermissionDeniedError, PermissionDenied)):
        obj = getattr(exc, "obj", None)  # Django's own PermissionDenied has none
        object_type = obj._meta.label_lower if obj is not None else ""
        object_id = str(obj.pk) if obj is not None else ""
    else:
        return
    # The path as sent: a %00 in it is decoded to a NUL, which PostgreSQL cannot store.
    place = (where if isinstance(where, str) else where.path).replace("\x00", "%00")
    operation = getattr(exc, "operation", "")
    audit.record(
        "access_denied",
        outcome="failure",
        object_type=object_type,
        object_id=object_id,
        message=f"{operation} {place}" if operation else place,
    )


@dataclass
class Attempt:
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextlib.contextmanager
def refused(
    *,
    form: forms.BaseForm | None = None,
    request=None,
    field_map: dict[str, str] | None = None,
    above_form: bool = False,
):
    """Run one domain call for a page; a refused write (400, 409) is shown where the user acts on it.

    With a form, each message lands on its field (or above the form, always with ``above_form``, for a
    row of a formset that shows no field errors); otherwise, with the request, each
    message becomes an error message on the next page. A refusal of access (403) or a record outside the
    user's scope (404) is not caught here: :class:`DomainErrorMiddleware` answers those::

        with refused(form=form) as attempt:
            project = services.project_create(...)
        if attempt.ok:
            return redirect(...)
    """
    attempt = Attempt()
    try:
        yield attempt
    except DomainError as exc:
        if isinstance(exc, (PermissionDeniedError, NotFoundError)):
            raise
        attempt.error = exc
        if form is not None:
            add_to_form(form, exc, field_map, above_form=above_form)
        elif request is not None:
            for text in exc.messages():
                messages.error(request, text)
        else:
            raise


def form_errors_to_messages(request, form: forms.BaseForm) -> None:
    """A form posted from a page that shows no form (a button, an inline row): each error becomes a
    message on the page it returns to, with its field's label."""
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(
                request, gettext("%(label)s：%(error)s") % {"label": label, "error": e} if label else e
            )


def add_to_form(form: forms.BaseForm, exc: DomainError, field_map=None, *, above_form: bool = False) -> None:
    if above_form:
        form.add_error(None, str(exc))
        return
    field_map = field_map or {}
    for field, msgs in exc.errors.items():
        name = field_map.get(field, field)
        target = name if name in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


def page_answer(request, exc: Exception):
    """The page's answer to an error a view let through (None: not ours, Django answers it)."""
    if isinstance(exc, PermissionDenied):  # Django's own, e.g. from the admin
        record_denial(request, exc)
        return None
    if not isinstance(exc, DomainError):
        return None
    record_denial(request, exc)
    if isinstance(exc, PermissionDeniedError):
        return response_for_exception(request, PermissionDenied(str(exc)))
    if isinstance(exc, NotFoundError):
        return response_for_exception(request, Http404(str(exc)))
    # A refusal no form or message could take: back to the page the user came from, or a plain page.
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        for text in exc.messages():
            messages.error(request, text)
        return redirect(referer)
    return render(request, "refused.html", {"messages_list": exc.messages()}, status=exc.status)
