"""The API's error body, once for every app's routes: what jigai/api/api.py's handlers write for a
:class:`jigai.core.errors.DomainError` and every other refusal (docs/errors-and-guards.md)."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    detail: str  # 中文说明
    errors: list[dict] = []  # 逐字段的错误：{"field": …, "message": …}
