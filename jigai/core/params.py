"""Integer parameters from a URL or a query, bounded before they reach the database (issue 11 point 9).

SQLite refuses a Python integer beyond 64 bits with an OverflowError, which would be a 500; a record's id
is a BigAutoField (1 … 2⁶³−1 on both engines), a year has four digits. A page treats a number outside
its bounds as naming nothing (an empty list, a 404); the API refuses it with a Chinese 422
(``Id``/``Year`` in its schemas, so the OpenAPI document states the bounds too).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1, 9999

# For django-ninja: path and query parameters, and body fields, that name a record or a year.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]

# An id that no record has: a filter on it selects nothing (ids start at 1).
NO_ID = 0


def int_param(value, default=None, lo: int | None = None, hi: int | None = None, *, outside=None):
    """``value`` as an int within [lo, hi]; ``default`` when it is not a whole number, ``outside`` (by
    default also ``default``) when it is one outside the bounds."""
    try:
        n = int(str(value).strip()) if value is not None else None
    except ValueError:
        n = None
    if n is None:
        return default
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        return default if outside is None else outside
    return n


def id_param(value):
    """A record's id from a query: None when absent or not a number, :data:`NO_ID` when out of range."""
    return int_param(value, None, 1, MAX_ID, outside=NO_ID)


class IdConverter:
    """``<id:pk>`` in a URL: digits within the range of an id; any other number does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        n = int(value)
        if not 1 <= n <= MAX_ID:
            raise ValueError("id out of range")
        return n

    def to_url(self, value) -> str:
        return str(value)
