"""Fast bulk inserts for imports and other mass writes.

bulk_create builds a model instance per row and on SQLite sends at most 999 parameters per statement
(39 projects); 50,000 projects and their 50,000 audit records took about 20 s that way. These write
plain tuples in statements as large as the database allows (PostgreSQL: COPY).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import connections, models, router


def _batch_rows(conn: Any, columns: int) -> int:
    conn.ensure_connection()
    limit = conn.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(2000, limit // columns))


def _adapter(field: Any, conn: Any) -> Any:
    """How a field's Python value goes to the database driver: the backend's own adaptation for
    dates, datetimes, decimals and JSON; other values (text, numbers, booleans, ids) as they are."""
    ops = conn.ops
    postgres = conn.vendor == "postgresql"
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, conn)
    if postgres and isinstance(field, models.DateField):
        # DateField and DateTimeField: PostgreSQL's adapt_date(time)field_value return the value as it
        # is (psycopg adapts it), so there is nothing to do per row.
        return None
    if isinstance(field, models.DateTimeField):
        last: list[Any] = [None, None]  # an import writes one "now" on every row: adapt it once

        def adapt_datetime(value: Any) -> Any:
            if value is not last[0]:
                last[0], last[1] = value, ops.adapt_datetimefield_value(value)
            return last[1]

        return adapt_datetime
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):  # MoneyField too: integer fen on SQLite
        prep = field.get_db_prep_save
        if postgres:
            # On PostgreSQL the field's preparation of a finite Decimal is the Decimal itself
            # (to_python copies it, adapt_decimalfield_value returns it): skip the two calls for those.
            return lambda value: value if type(value) is Decimal and value.is_finite() else prep(value, conn)
        return lambda value: prep(value, conn)
    return None


def fast_insert(
    model: Any,
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    returning: Sequence[str] = (),
    raw: Sequence[str] = (),
) -> list[tuple]:
    """Insert rows of Python values (in ``attnames`` order); return ``returning`` columns of each.

    ``raw`` names columns whose values are already in the database's text form (JSON serialised by
    the caller): they are passed through without the field's adaptation.

    PostgreSQL: ids are taken from the table's sequence first, then ``COPY … FROM STDIN``.
    SQLite: ``INSERT … VALUES (…), (…) [RETURNING …]`` in statements as large as SQLite allows.
    The order of the returned tuples is not guaranteed: callers match them by a unique column."""
    conn = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [meta.get_field(a) for a in attnames]
    adapters = [None if a in raw else _adapter(f, conn) for a, f in zip(attnames, fields, strict=True)]
    quote = conn.ops.quote_name
    table = quote(meta.db_table)

    def adapted(row: Sequence[Any]) -> list[Any]:
        return [v if a is None or v is None else a(v) for a, v in zip(adapters, row, strict=True)]

    if conn.vendor == "postgresql":
        # Rows are produced while COPY sends them (not all made first): the server inserts the rows
        # already sent while this process makes the next ones (the audit records' hashes, for one).
        if not any(adapters):  # every value goes to psycopg as it is
            return _copy(conn, meta, table, fields, rows, returning)
        return _copy(conn, meta, table, fields, (adapted(r) for r in rows), returning)
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from the model, values bound
    tail = " RETURNING " + ", ".join(quote(meta.get_field(a).column) for a in returning) if returning else ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _batch_rows(conn, len(fields))
    out: list[tuple] = []
    it = iter(rows)
    with conn.cursor() as cursor:
        while batch := list(islice(it, size)):
            params = [value for row in batch for value in adapted(row)]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            if returning:
                out.extend(tuple(r) for r in cursor.fetchall())
    return out


def _copy(
    conn: Any, meta: Any, table: str, fields: list, rows: Iterable[Sequence[Any]], returning: Sequence[str]
) -> list:
    quote = conn.ops.quote_name
    if "id" in returning:
        rows = list(rows)  # as many ids as rows, taken before the COPY
        if not rows:
            return []
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [meta.db_table, len(rows)],
            )
            ids: list[int] = [r[0] for r in cursor.fetchall()]
        fields = [meta.pk, *fields]
        rows = [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
    elif returning:
        rows = list(rows)  # returned below
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return []
    columns = ", ".join(quote(f.column) for f in fields)
    with conn.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write_row(first)
        for row in it:
            copy.write_row(row)
    if not returning:
        return []
    positions = [[f.attname for f in fields].index(a) for a in returning]
    return [tuple(row[i] for i in positions) for row in rows]
